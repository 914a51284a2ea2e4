package dev.shipstream.ingress;

import dev.shipstream.ingress.http.AccessLines;
import dev.shipstream.ingress.http.AccessLog;
import dev.shipstream.ingress.http.ConnectionDeadlines;
import dev.shipstream.ingress.http.EdgeAdmission;
import dev.shipstream.ingress.http.IngressMetrics;
import dev.shipstream.ingress.http.Routes;
import dev.shipstream.ingress.http.UnauthorizedLimiter;
import dev.shipstream.ingress.http.WebhookEndpoint;
import dev.shipstream.ingress.publish.RawWebhookPublisher;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One event loop's HTTP server: binds the configured address (instances share it) with the route table of
 * {@link Routes}. {@link #start()} returns the listen future; {@link #stop()} shuts the server down gracefully:
 * it stops accepting and waits for in-flight requests, which the publish timeout bounds.
 */
public final class IngressVerticle extends VerticleBase {

    /** Kept small: webhook requests carry few headers, and large ones only cost memory. */
    public static final int MAX_HEADER_SIZE = 16 * 1024;

    private final IngressConfig config;
    private final List<WebhookEndpoint> endpoints;
    private final RawWebhookPublisher publisher;
    private final IngressMetrics metrics;
    private final PrometheusMeterRegistry registry;
    private final AtomicBoolean draining;
    private final AtomicInteger boundPort;
    private final EdgeAdmission admission;
    private final UnauthorizedLimiter limiter;
    private final AccessLines accessLines;
    private HttpServer server;
    private ConnectionDeadlines deadlines;
    private AccessLog accessLog;

    /**
     * @param endpoints shared, immutable; verifiers are thread-safe
     * @param publisher shared by every instance
     * @param draining  set by the owner when shutdown starts
     * @param boundPort receives the port actually bound
     * @param admission connection and buffered-bytes bounds, shared by every instance
     * @param limiter   the 401 rate limit, shared by every instance
     * @param accessLines where the access log's batches go, shared by every instance
     */
    public IngressVerticle(IngressConfig config, List<WebhookEndpoint> endpoints, RawWebhookPublisher publisher,
            IngressMetrics metrics, PrometheusMeterRegistry registry, AtomicBoolean draining, AtomicInteger boundPort,
            EdgeAdmission admission, UnauthorizedLimiter limiter, AccessLines accessLines) {
        this.config = config;
        this.endpoints = endpoints;
        this.publisher = publisher;
        this.metrics = metrics;
        this.registry = registry;
        this.draining = draining;
        this.boundPort = boundPort;
        this.admission = admission;
        this.limiter = limiter;
        this.accessLines = accessLines;
    }

    @Override
    public Future<?> start() {
        deadlines = new ConnectionDeadlines(vertx, config.headerDeadline(), config.bodyDeadline());
        deadlines.start();
        accessLog = config.accessLog() ? new AccessLog(vertx, accessLines) : null;
        HttpServerOptions options = serverOptions(config);
        server = vertx.createHttpServer(options)
                .connectionHandler(connection -> deadlines.connectionOpened(connection, admission.connectionOpened(),
                        admission::connectionClosed))
                .requestHandler(new Routes(vertx, config, endpoints, publisher, metrics, registry, deadlines,
                        admission, limiter, draining::get, Clock.systemUTC(), accessLog));
        return server.listen().onSuccess(s -> boundPort.set(s.actualPort()));
    }

    @Override
    public Future<?> stop() {
        deadlines.stop();
        long graceMillis = config.publishTimeout().toMillis() + 1000;
        // The access lines of the requests finished during the shutdown are flushed after it, on this context.
        return server.shutdown(graceMillis, TimeUnit.MILLISECONDS).andThen(ar -> {
            if (accessLog != null) {
                accessLog.flush();
            }
        });
    }

    /** The HTTP server's options: HTTP/1.1 only, no compression either way, no WebSocket extensions. */
    static HttpServerOptions serverOptions(IngressConfig config) {
        return new HttpServerOptions()
                .setHost(config.host())
                .setPort(config.port())
                .setDecompressionSupported(false)
                .setCompressionSupported(false)
                .setMaxHeaderSize(MAX_HEADER_SIZE)
                .setTcpNoDelay(true)
                // Routes answers Expect: 100-continue, after every check that needs no body has passed;
                // answering it here would invite refused clients to send their bodies.
                .setHandle100ContinueAutomatically(false)
                // With h2c on, Vert.x holds a new connection back until it has seen enough bytes to choose HTTP/1 or
                // HTTP/2, and the connection handler (hence the header deadline) would not see a slow sender at all.
                .setHttp2ClearTextEnabled(false)
                // No WebSocket is served: without these, Netty's WebSocket extension handler sits in every
                // connection's pipeline and inspects every request and response (about 1 % of an event loop's time).
                .setPerFrameWebSocketCompressionSupported(false)
                .setPerMessageWebSocketCompressionSupported(false);
    }
}
