package dev.shipstream.ingress.verify;

import java.util.Optional;

/**
 * Authenticates one webhook request against an endpoint's active secrets, on the raw bytes, before any parsing.
 * Implementations are pure (no I/O), thread-safe, compare in constant time and never throw for any input.
 */
public interface WebhookVerifier {

    Verification verify(SignedRequest request);

    /**
     * What can already be refused from the headers, the query and the peer address, before the body is read (so an
     * unauthenticated sender cannot make the ingress buffer its body): empty if the request may go on to
     * {@link #verify}. Never calls {@link SignedRequest#body()}. A request this does not refuse may still fail
     * {@link #verify}; one it refuses would fail {@link #verify} for the same reason.
     */
    default Optional<Verification.Rejected> refuseBeforeBody(SignedRequest headersOnly) {
        return Optional.empty();
    }
}
