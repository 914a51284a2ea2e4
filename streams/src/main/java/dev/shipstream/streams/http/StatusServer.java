package dev.shipstream.streams.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The HTTP server of the streams app: {@code GET /health/live} (the process serves HTTP), {@code GET /health/ready}
 * (200 while the Kafka Streams client is RUNNING, 503 otherwise) and {@code GET /metrics} (Prometheus text).
 * The whole route table is in {@link #router}; the analyst query API will join it here.
 */
public final class StatusServer {

    private StatusServer() {
    }

    /**
     * Starts listening.
     *
     * @param vertx    the Vert.x instance (the caller closes it)
     * @param host     the address to bind, e.g. 127.0.0.1
     * @param port     the port, 0 for any free one
     * @param ready    whether the application is ready; must not block
     * @param registry rendered on {@code /metrics}
     * @return the listening server (see {@link HttpServer#actualPort()})
     */
    public static Future<HttpServer> start(Vertx vertx, String host, int port, BooleanSupplier ready,
                                           PrometheusMeterRegistry registry) {
        return vertx.createHttpServer()
                .requestHandler(router(vertx, ready, registry))
                .listen(port, host);
    }

    static Router router(Vertx vertx, BooleanSupplier ready, PrometheusMeterRegistry registry) {
        Objects.requireNonNull(ready, "ready");
        Objects.requireNonNull(registry, "registry");
        Router router = Router.router(vertx);
        router.get("/health/live").handler(ctx -> status(ctx, true));
        router.get("/health/ready").handler(ctx -> status(ctx, ready.getAsBoolean()));
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                .end(registry.scrape()));
        return router;
    }

    private static void status(RoutingContext ctx, boolean up) {
        ctx.response().setStatusCode(up ? 200 : 503)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
    }
}
