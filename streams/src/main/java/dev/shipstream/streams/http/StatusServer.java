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
 * The HTTP server of the streams app: {@code GET /health/live} (200 while the application can make progress
 * without a restart, 503 once it cannot, e.g. Kafka Streams in ERROR), {@code GET /health/ready} (200 while it
 * processes records, 503 otherwise) and {@code GET /metrics} (Prometheus text).
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
     * @param live     whether the application is live; must not block
     * @param ready    whether the application is ready; must not block
     * @param registry rendered on {@code /metrics}
     * @return the listening server (see {@link HttpServer#actualPort()})
     */
    public static Future<HttpServer> start(Vertx vertx, String host, int port, BooleanSupplier live,
                                           BooleanSupplier ready, PrometheusMeterRegistry registry) {
        return vertx.createHttpServer()
                .requestHandler(router(vertx, live, ready, registry))
                .listen(port, host);
    }

    static Router router(Vertx vertx, BooleanSupplier live, BooleanSupplier ready, PrometheusMeterRegistry registry) {
        Objects.requireNonNull(live, "live");
        Objects.requireNonNull(ready, "ready");
        Objects.requireNonNull(registry, "registry");
        Router router = Router.router(vertx);
        router.get("/health/live").handler(ctx -> status(ctx, live.getAsBoolean()));
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
