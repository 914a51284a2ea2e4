package dev.shipstream.ingress.verify;

import dev.shipstream.ingress.verify.Verification.RejectionReason;
import dev.shipstream.schemas.AuthScheme;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Authenticates Ionic Appflow webhooks, which carry no signature (docs/sources.md), by a per-endpoint token and
 * an optional allow-list of peer address blocks.
 *
 * <p>Order: the peer address is checked first ({@code ADDRESS_NOT_ALLOWED} unless the allow-list is empty or a
 * block contains it), so a request from outside the list learns nothing about tokens. Then the token is read from
 * {@code Authorization: Bearer <t>} ({@code BEARER_TOKEN}) or, when there is no bearer token, from the query
 * parameter {@code token} ({@code QUERY_TOKEN}), because Appflow's UI only takes a URL. A bearer token, when present,
 * is the only one considered, so a request cannot offer two candidates. A repeated {@code Authorization} header is
 * refused as ambiguous ({@code TOKEN_MISMATCH}); no token at all is {@code MISSING_TOKEN}.
 *
 * <p>Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, against every active token, so the
 * time depends neither on the presented token's length nor on which token matched. Thread-safe; never throws from
 * {@link #verify}.
 */
public final class AppflowTokenVerifier implements WebhookVerifier {

    /** The query parameter that carries the token when the sender cannot set headers. */
    public static final String TOKEN_PARAMETER = "token";
    static final String AUTHORIZATION = "authorization";
    private static final String BEARER = "bearer";

    private final List<Token> tokens;
    private final List<CidrBlock> allowList;

    /**
     * @param tokens    the endpoint's active tokens, at least one (several during a rotation)
     * @param allowList peer address blocks allowed to call; empty allows any address
     * @throws IllegalArgumentException if there is no token, a null one, two with the same id, or a null block
     */
    public AppflowTokenVerifier(List<WebhookSecret> tokens, List<CidrBlock> allowList) {
        this.tokens = HmacSignatureCheck.requireActiveSecrets("Appflow", tokens).stream()
                .map(t -> new Token(t.id(), t.secret().sha256()))
                .toList();
        if (allowList == null || allowList.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("Appflow verifier needs an allow-list without nulls (empty = any)");
        }
        this.allowList = List.copyOf(allowList);
    }

    /** Decided without the body (which it never reads), so also for a request whose body was not read. */
    @Override
    public Verification verify(SignedRequest request) {
        if (request == null) {
            return Verification.rejected(allowList.isEmpty()
                    ? RejectionReason.MISSING_TOKEN : RejectionReason.ADDRESS_NOT_ALLOWED);
        }
        if (!allowList.isEmpty() && !isAllowed(request.remoteAddress())) {
            return Verification.rejected(RejectionReason.ADDRESS_NOT_ALLOWED);
        }
        if (request.headerCount(AUTHORIZATION) > 1) {
            return Verification.rejected(RejectionReason.TOKEN_MISMATCH);
        }
        Optional<String> bearer = Requests.header(request, AUTHORIZATION).flatMap(AppflowTokenVerifier::bearerToken);
        if (bearer.isPresent()) {
            return check(bearer.get(), AuthScheme.BEARER_TOKEN);
        }
        Optional<String> query = Requests.queryParameter(request, TOKEN_PARAMETER).filter(t -> !t.isEmpty());
        if (query.isPresent()) {
            return check(query.get(), AuthScheme.QUERY_TOKEN);
        }
        return Verification.rejected(RejectionReason.MISSING_TOKEN);
    }

    /** The whole check, once: Appflow requests carry nothing in their body that authenticates them. */
    @Override
    public Precheck beforeBody(SignedRequest headersOnly) {
        Verification verification = verify(headersOnly);
        if (verification instanceof Verification.Rejected rejected) {
            return rejected;
        }
        return (Precheck.BodyCheck) body -> verification;
    }

    private boolean isAllowed(String remoteAddress) {
        for (CidrBlock block : allowList) {
            if (block.contains(remoteAddress)) {
                return true;
            }
        }
        return false;
    }

    /** The token of {@code Bearer <token>} (scheme case-insensitive, RFC 7235), or empty for any other value. */
    private static Optional<String> bearerToken(String authorization) {
        String value = authorization.strip();
        if (value.length() <= BEARER.length() + 1
                || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || value.charAt(BEARER.length()) != ' ') {
            return Optional.empty();
        }
        String token = value.substring(BEARER.length() + 1).strip();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    private Verification check(String presented, AuthScheme scheme) {
        byte[] digest = Secret.sha256(presented.getBytes(StandardCharsets.UTF_8));
        String matchedId = null;
        for (Token token : tokens) {
            boolean equal = MessageDigest.isEqual(token.sha256, digest);
            if (equal && matchedId == null) {
                matchedId = token.id;
            }
        }
        return matchedId == null
                ? Verification.rejected(RejectionReason.TOKEN_MISMATCH)
                : Verification.accepted(scheme, matchedId);
    }

    /** Only the digest is kept: the verifier never needs the token itself again. */
    private record Token(String id, byte[] sha256) {
    }

    @Override
    public String toString() {
        return "AppflowTokenVerifier[tokens=" + tokens.stream().map(Token::id).toList()
                + ", allowList=" + allowList + "]";
    }
}
