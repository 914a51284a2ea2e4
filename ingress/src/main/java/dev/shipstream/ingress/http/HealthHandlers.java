package dev.shipstream.ingress.http;

import dev.shipstream.ingress.publish.RawWebhookPublisher;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.function.BooleanSupplier;

/**
 * {@code /health/live} (the process serves HTTP), {@code /health/ready} (the publisher knows the raw topic's schema
 * id and reaches the cluster, and the server is not shutting down) and {@code /metrics}. Readiness checks are shared
 * while one is running and their result is reused for a second, so probes cannot pile up blocking calls on worker
 * threads. One instance per verticle; used only from its event loop.
 */
public final class HealthHandlers {

    private static final long READY_CACHE_NANOS = 1_000_000_000L;

    private final RawWebhookPublisher publisher;
    private final PrometheusMeterRegistry registry;
    private final BooleanSupplier draining;
    private Future<Boolean> running;
    private boolean lastReady;
    private long lastCheck = System.nanoTime() - 2 * READY_CACHE_NANOS;

    /**
     * @param publisher answers readiness
     * @param registry  rendered on {@code /metrics}
     * @param draining  true once shutdown started
     */
    public HealthHandlers(RawWebhookPublisher publisher, PrometheusMeterRegistry registry, BooleanSupplier draining) {
        this.publisher = publisher;
        this.registry = registry;
        this.draining = draining;
    }

    /** Always {@code 200 {"status":"UP"}}. */
    public void live(HttpServerResponse response) {
        status(response, true);
    }

    /** 200 when ready, 503 otherwise. */
    public void ready(HttpServerResponse response) {
        if (draining.getAsBoolean()) {
            status(response, false);
            return;
        }
        if (System.nanoTime() - lastCheck < READY_CACHE_NANOS) {
            status(response, lastReady);
            return;
        }
        Future<Boolean> check = running;
        if (check == null) {
            check = publisher.ready();
            // Assigned before the callback is attached: a check that is already complete (the publisher can answer
            // "not ready" without asking anyone) runs the callback at once, which must find it to clear it.
            running = check;
            check.onComplete(ar -> {
                lastReady = ar.succeeded() && Boolean.TRUE.equals(ar.result());
                lastCheck = System.nanoTime();
                running = null;
            });
        }
        check.onComplete(ar -> status(response, ar.succeeded() && Boolean.TRUE.equals(ar.result())));
    }

    /** The Prometheus text exposition of every meter. */
    public void metrics(HttpServerResponse response) {
        response.putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                .end(registry.scrape());
    }

    private static void status(HttpServerResponse response, boolean up) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(up ? 200 : 503)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
    }
}
