package dev.shipstream.ingress.verify;

import java.util.Optional;

/**
 * What a verifier may look at of one webhook request: headers, query parameters, the peer address and the raw
 * body bytes. Implemented by the HTTP layer; verifiers know nothing else about HTTP.
 */
public interface SignedRequest {

    /** The first value of a header, looked up case-insensitively. */
    Optional<String> header(String name);

    /** How many times the header occurs; a signature header repeated is malformed. */
    int headerCount(String name);

    /** The first value of a query parameter. */
    Optional<String> queryParameter(String name);

    /** The peer's IP address as text (IPv4 or IPv6 literal). */
    String remoteAddress();

    /** The body exactly as received. Verifiers must not modify it. */
    byte[] body();
}
