package dev.shipstream.ingress.verify;

import dev.shipstream.ingress.verify.Verification.RejectionReason;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;

/**
 * The body-HMAC check shared by {@link AppStoreConnectVerifier} and {@link EasVerifier}: one signature header
 * {@code <prefix><hex>} holding the HMAC of the raw body with one of the active secrets.
 *
 * <p>Timing: the HMAC is computed and compared (with {@link MessageDigest#isEqual}, constant time for equal-length
 * digests) for every active secret, whatever matched, so the time depends on the number of active secrets (public
 * configuration) and the body length, not on whether or which secret matched.
 */
final class HmacSignatureCheck {

    private static final byte[] EMPTY = new byte[0];

    private final String headerName;
    private final String prefix;
    private final HmacAlgorithm algorithm;
    private final List<Key> keys;

    HmacSignatureCheck(String source, String headerName, String prefix, HmacAlgorithm algorithm,
                       List<WebhookSecret> activeSecrets) {
        this.headerName = headerName;
        this.prefix = prefix;
        this.algorithm = algorithm;
        this.keys = keys(source, algorithm, activeSecrets);
    }

    private static List<Key> keys(String source, HmacAlgorithm algorithm, List<WebhookSecret> activeSecrets) {
        List<WebhookSecret> secrets = requireActiveSecrets(source, activeSecrets);
        return secrets.stream().map(s -> new Key(s.id(), algorithm, s.secret())).toList();
    }

    /**
     * Fail closed: an endpoint without a secret must not start, and two secrets with one id would make the
     * accepted secret id ambiguous.
     */
    static List<WebhookSecret> requireActiveSecrets(String source, List<WebhookSecret> activeSecrets) {
        if (activeSecrets == null || activeSecrets.isEmpty()) {
            throw new IllegalArgumentException(source + " verifier needs at least one active secret");
        }
        Set<String> ids = new HashSet<>();
        for (WebhookSecret secret : activeSecrets) {
            if (secret == null) {
                throw new IllegalArgumentException(source + " verifier was given a null secret");
            }
            if (!ids.add(secret.id())) {
                throw new IllegalArgumentException(source + " verifier was given two secrets with id '"
                        + secret.id() + "'");
            }
        }
        return List.copyOf(activeSecrets);
    }

    /**
     * A missing, repeated or malformed signature header, refused without the body; otherwise the check of the body
     * against the digest the header holds (looked up and parsed here, once per request).
     */
    Precheck beforeBody(SignedRequest request) {
        if (request == null) {
            return new Verification.Rejected(RejectionReason.MISSING_SIGNATURE);
        }
        if (request.headerCount(headerName) > 1) {
            return new Verification.Rejected(RejectionReason.MALFORMED_SIGNATURE);
        }
        Optional<String> header = Requests.header(request, headerName);
        if (header.isEmpty()) {
            return new Verification.Rejected(RejectionReason.MISSING_SIGNATURE);
        }
        Optional<byte[]> digest = SignatureHeader.parse(header.get(), prefix, algorithm.digestLength);
        if (digest.isEmpty()) {
            return new Verification.Rejected(RejectionReason.MALFORMED_SIGNATURE);
        }
        byte[] expected = digest.get();
        return (Precheck.BodyCheck) body -> verifyBody(expected, body == null ? EMPTY : body);
    }

    private Verification verifyBody(byte[] expected, byte[] body) {
        String matchedId = null;
        for (Key key : keys) {
            boolean equal = MessageDigest.isEqual(key.sign(body), expected);
            if (equal && matchedId == null) {
                matchedId = key.id;
            }
        }
        return matchedId == null
                ? Verification.rejected(RejectionReason.SIGNATURE_MISMATCH)
                : Verification.accepted(algorithm.scheme, matchedId);
    }

    /** The header value a provider would send for {@code body} signed with {@code secret}. */
    static String headerValue(String prefix, HmacAlgorithm algorithm, Secret secret, byte[] body) {
        return prefix + HexFormat.of().formatHex(algorithm.sign(secret, body));
    }

    /** One active secret with a Mac per thread: creating a Mac per request costs a provider lookup each time. */
    private static final class Key {
        final String id;
        final ThreadLocal<Mac> mac;

        Key(String id, HmacAlgorithm algorithm, Secret secret) {
            this.id = id;
            // Built once here so that a platform without the algorithm fails at start-up, not per request.
            Mac first = algorithm.newMac(secret);
            this.mac = ThreadLocal.withInitial(() -> {
                try {
                    return (Mac) first.clone();
                } catch (CloneNotSupportedException e) {
                    return algorithm.newMac(secret);
                }
            });
        }

        byte[] sign(byte[] body) {
            // doFinal resets the Mac, so the thread's instance is ready for the next request.
            return mac.get().doFinal(body);
        }
    }
}
