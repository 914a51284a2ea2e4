package dev.shipstream.ingress.verify;

import java.util.Optional;

/**
 * Null-tolerant reads of a {@link SignedRequest}, so that a verifier rejects rather than throws when the HTTP layer
 * hands it a null where an empty value was meant.
 */
final class Requests {

    private Requests() {
    }

    static Optional<String> header(SignedRequest request, String name) {
        Optional<String> value = request.header(name);
        return value == null ? Optional.empty() : value.filter(v -> v != null);
    }

    static Optional<String> queryParameter(SignedRequest request, String name) {
        Optional<String> value = request.queryParameter(name);
        return value == null ? Optional.empty() : value.filter(v -> v != null);
    }
}
