package dev.shipstream.ingress.verify;

/**
 * Authenticates one webhook request against an endpoint's active secrets, on the raw bytes, before any parsing.
 * Implementations are pure (no I/O), thread-safe, compare in constant time and never throw for any input.
 *
 * <p>In two steps, so that the HTTP layer can refuse before it reads a body and still look nothing up twice:
 * {@link #beforeBody} on the headers, query and peer address, then the {@link Precheck.BodyCheck} it returns on the
 * body. {@link #verify} is both at once.
 */
public interface WebhookVerifier {

    /**
     * The checks that need no body, run before the body is read (so that an unauthenticated sender cannot make the
     * ingress buffer its body): the rejection, or the check left for the body. Never calls
     * {@link SignedRequest#body()}. A request this rejects is one {@link #verify} rejects for the same reason.
     */
    Precheck beforeBody(SignedRequest headersOnly);

    /** The whole verification of a request whose body has been read: {@link #beforeBody}, then its body check. */
    default Verification verify(SignedRequest request) {
        Precheck precheck = beforeBody(request);
        if (precheck instanceof Precheck.BodyCheck bodyCheck) {
            return bodyCheck.verify(request.body());
        }
        return (Verification.Rejected) precheck;
    }
}
