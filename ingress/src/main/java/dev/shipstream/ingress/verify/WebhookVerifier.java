package dev.shipstream.ingress.verify;

/**
 * Authenticates one webhook request against an endpoint's active secrets, on the raw bytes, before any parsing.
 * Implementations are pure (no I/O), thread-safe, compare in constant time and never throw for any input.
 */
public interface WebhookVerifier {

    Verification verify(SignedRequest request);
}
