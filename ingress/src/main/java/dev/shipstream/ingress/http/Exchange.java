package dev.shipstream.ingress.http;

import dev.shipstream.ingress.verify.Precheck;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * One request and its answer, with what the steps of {@link Routes} learn about it: its id, client address and start
 * (set when it begins), its endpoint, the bytes it reserved and a {@code Retry-After} of its own (set by the checks).
 * Used only from the request's event loop.
 */
final class Exchange {

    final HttpServerRequest request;
    final HttpServerResponse response;
    /** The request's path as sent, undecoded ("" if it had none), read once: Vert.x reads it under a lock. */
    final String path;
    final String id;
    final String clientAddress;
    /** When the request began, by {@link System#currentTimeMillis()} (its id holds the same milliseconds). */
    final long startMillis;
    /** When the request began, by {@link System#nanoTime()}. */
    final long startNanos;
    /** The deadlines of the request's connection, looked up once when it began. */
    final ConnectionDeadlines.Watch connection;
    /** The resolved endpoint; null until the route resolved it, and for requests to no endpoint. */
    WebhookEndpoint endpoint;
    /** What is left of the verification once the body is read; set by the checks before the body. */
    Precheck.BodyCheck bodyCheck;
    /** Buffered bytes this request reserved ({@link EdgeAdmission}), returned when it ends. */
    long reservedBytes;
    /** The {@code Retry-After} in seconds of this request's error answer, when not the default; 0 for the default. */
    long retryAfterSeconds;
    private boolean ended;

    Exchange(HttpServerRequest request, String id, String clientAddress, long startMillis, long startNanos,
            ConnectionDeadlines.Watch connection) {
        this.request = request;
        this.response = request.response();
        String sent = request.path();
        this.path = sent == null ? "" : sent;
        this.id = id;
        this.clientAddress = clientAddress;
        this.startMillis = startMillis;
        this.startNanos = startNanos;
        this.connection = connection;
    }

    /** True the first time only: whichever of the response's end, close or failure comes first ends the exchange. */
    boolean end() {
        if (ended) {
            return false;
        }
        ended = true;
        return true;
    }
}
