package dev.shipstream.ingress.http;

import io.vertx.ext.web.RoutingContext;

/**
 * What the handlers of one request share: its id and client address (set when it begins), its endpoint and the
 * bytes it reserved (set by the checks). Kept in the routing context under one key, {@value #KEY}, rather than one
 * key each: every context lookup is a hash-map operation on the request path, and with a key per fact they added up
 * to about 2 % of an event loop's samples in the benchmark's profile (end to end, below what the benchmark resolves;
 * see docs/benchmarks.md). Used only from the request's event loop.
 */
final class RequestFacts {

    /** The routing context key. */
    static final String KEY = "shipstream.request";

    final String id;
    final String clientAddress;
    /** The resolved endpoint; null until the route resolved it, and for requests to no endpoint. */
    WebhookEndpoint endpoint;
    /** Buffered bytes this request reserved ({@link EdgeAdmission}), returned when it ends. */
    long reservedBytes;

    RequestFacts(String id, String clientAddress) {
        this.id = id;
        this.clientAddress = clientAddress;
    }

    /** The facts of the request of {@code ctx}; null only before {@link Routes} saw it. */
    static RequestFacts of(RoutingContext ctx) {
        return ctx.get(KEY);
    }
}
