package dev.shipstream.streams.enrich;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Objects;

/**
 * Signs the bearer tokens of the App Store Connect API: ES256 (JOSE R||S signature), header {@code kid} and {@code
 * typ: JWT}, claims {@code iss}, {@code iat}, {@code exp} and {@code aud: appstoreconnect-v1}.
 *
 * <p>Apple rejects tokens living longer than 20 minutes and asks clients to reuse one token until it expires, so a
 * token is signed once and handed out until it has less than {@link #renewBefore} left. Thread-safe. The token and
 * the key are never logged or put in a {@link #toString()}.
 */
public final class AppStoreConnectJwt {

    /** The audience App Store Connect expects. */
    public static final String AUDIENCE = "appstoreconnect-v1";
    /** Apple's upper bound on a token's lifetime for ordinary requests. */
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(20);
    /** How long before expiry a token is replaced: well above any request's duration and clock skew. */
    public static final Duration DEFAULT_RENEW_BEFORE = Duration.ofMinutes(5);

    private final String keyId;
    private final String issuerId;
    private final ECDSASigner signer;
    private final Clock clock;
    private final Duration lifetime;
    private final Duration renewBefore;

    private String token;
    private Instant expiresAt = Instant.MIN;

    /**
     * A signer with the longest allowed lifetime.
     *
     * @param keyId the API key id
     * @param issuerId the team's issuer id
     * @param privateKey the EC P-256 private key
     * @param clock the clock for {@code iat} and {@code exp}
     */
    public AppStoreConnectJwt(String keyId, String issuerId, ECPrivateKey privateKey, Clock clock) {
        this(keyId, issuerId, privateKey, clock, MAX_LIFETIME, DEFAULT_RENEW_BEFORE);
    }

    /**
     * A signer with an explicit lifetime.
     *
     * @param keyId the API key id
     * @param issuerId the team's issuer id
     * @param privateKey the EC P-256 private key
     * @param clock the clock for {@code iat} and {@code exp}
     * @param lifetime {@code exp - iat}, at most {@link #MAX_LIFETIME}
     * @param renewBefore remaining lifetime below which a new token is signed; less than {@code lifetime}
     */
    public AppStoreConnectJwt(String keyId, String issuerId, ECPrivateKey privateKey, Clock clock,
                              Duration lifetime, Duration renewBefore) {
        this.keyId = requireText(keyId, "keyId");
        this.issuerId = requireText(issuerId, "issuerId");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        this.renewBefore = Objects.requireNonNull(renewBefore, "renewBefore");
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("token lifetime must be positive and at most " + MAX_LIFETIME);
        }
        if (renewBefore.isNegative() || renewBefore.compareTo(lifetime) >= 0) {
            throw new IllegalArgumentException("renewBefore must be at least zero and less than the lifetime");
        }
        if (Curve.forECParameterSpec(Objects.requireNonNull(privateKey, "privateKey").getParams()) != Curve.P_256) {
            throw new IllegalArgumentException("the private key is not on curve P-256");
        }
        try {
            this.signer = new ECDSASigner(privateKey);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the private key cannot sign ES256: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a {@code .p8} file: PEM ({@code -----BEGIN PRIVATE KEY-----}) or bare base64 of a PKCS#8 EC P-256 key.
     *
     * @param file the key file
     * @return the key
     * @throws IllegalArgumentException naming the file (never its content) when it is unreadable or not such a key
     */
    public static ECPrivateKey readPrivateKey(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(EnrichmentSettings.PRIVATE_KEY_FILE_ENV + ": cannot read " + file
                    + " (" + e.getClass().getSimpleName() + ")", e);
        }
        String base64 = text.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
            if (key instanceof ECPrivateKey ec && Curve.forECParameterSpec(ec.getParams()) == Curve.P_256) {
                return ec;
            }
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            // Falls through to the message below; the exception may quote key bytes, so it is not attached.
        }
        throw new IllegalArgumentException(EnrichmentSettings.PRIVATE_KEY_FILE_ENV + ": " + file
                + " is not a PKCS#8 EC P-256 private key (.p8)");
    }

    /**
     * The current token, signing a new one when there is none or the current one is about to expire.
     *
     * @return a compact JWS
     * @throws IllegalStateException when signing fails
     */
    public synchronized String token() {
        Instant now = clock.instant();
        if (token == null || !now.isBefore(expiresAt.minus(renewBefore))) {
            // JWT times are whole seconds; truncating keeps exp - iat exactly the lifetime.
            Instant issuedAt = Instant.ofEpochSecond(now.getEpochSecond());
            Instant expiry = issuedAt.plus(lifetime);
            token = sign(issuedAt, expiry);
            expiresAt = expiry;
        }
        return token;
    }

    /** Forgets the current token so the next call signs a new one, e.g. after the API answered 401. */
    public synchronized void invalidate() {
        token = null;
        expiresAt = Instant.MIN;
    }

    private String sign(Instant issuedAt, Instant expiry) {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256)
                .keyID(keyId)
                .type(JOSEObjectType.JWT)
                .build();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuerId)
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(expiry))
                .audience(AUDIENCE)
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the App Store Connect token", e);
        }
        return jwt.serialize();
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    @Override
    public String toString() {
        return "AppStoreConnectJwt[kid=" + keyId + "]";
    }
}
