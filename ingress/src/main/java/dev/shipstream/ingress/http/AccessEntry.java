package dev.shipstream.ingress.http;

import io.vertx.core.http.HttpMethod;

/**
 * What the access log keeps of a finished request until its line is written: only references to what the request
 * already holds and a few numbers, so that the event loop that finished it does no formatting.
 * {@link AccessLineFormat} makes the line of it.
 *
 * @param millis        when the request ended, milliseconds since the epoch
 * @param id            the request id
 * @param clientAddress the client address as the ingress saw it
 * @param method        the request method
 * @param path          the path as sent, undecoded (null if it had none)
 * @param status        the answer's status, or {@link Routes#ABORTED}
 * @param bytesWritten  the bytes of the answer
 * @param micros        how long the request took
 * @param source        the source's path segment, or {@code unknown} for a request to no endpoint
 * @param endpoint      the endpoint id, or {@code unknown}
 */
record AccessEntry(long millis, String id, String clientAddress, HttpMethod method, String path, int status,
        long bytesWritten, long micros, String source, String endpoint) {
}
