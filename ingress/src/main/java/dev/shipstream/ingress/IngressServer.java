package dev.shipstream.ingress;

import dev.shipstream.ingress.http.AccessLines;
import dev.shipstream.ingress.http.AccessLog;
import dev.shipstream.ingress.http.EdgeAdmission;
import dev.shipstream.ingress.http.IngressMetrics;
import dev.shipstream.ingress.http.RawWebhooks;
import dev.shipstream.ingress.http.UnauthorizedLimiter;
import dev.shipstream.ingress.http.WebhookEndpoint;
import dev.shipstream.ingress.http.WebhookPathWarmup;
import dev.shipstream.ingress.publish.RawWebhookPublisher;
import dev.shipstream.ingress.publish.RawWebhookProducers;
import dev.shipstream.ingress.publish.RecordEnvelope;
import dev.shipstream.ingress.verify.WebhookSecret;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running ingress: the HTTP verticles and the publisher behind them. The embeddable entry point, used by
 * {@link IngressMain}, the devstack launcher and tests.
 *
 * <p>{@link #close()} shuts down gracefully: readiness turns DOWN, the servers stop accepting and finish in-flight
 * requests (bounded by the publish timeout), then the publisher flushes and closes, then Vert.x (if owned).
 */
public final class IngressServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngressServer.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final RawWebhookPublisher publisher;
    private final PrometheusMeterRegistry registry;
    private final AtomicBoolean draining;
    private final String deploymentId;
    private final int port;
    private final Duration closeTimeout;
    private final AccessLines accessLines;

    private IngressServer(Vertx vertx, boolean ownsVertx, RawWebhookPublisher publisher,
            PrometheusMeterRegistry registry, AtomicBoolean draining, String deploymentId, int port,
            Duration closeTimeout, AccessLines accessLines) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.publisher = publisher;
        this.registry = registry;
        this.draining = draining;
        this.deploymentId = deploymentId;
        this.port = port;
        this.closeTimeout = closeTimeout;
        this.accessLines = accessLines;
    }

    /**
     * Starts an ingress publishing to the configured Kafka cluster with its own Vert.x instance, and waits until it
     * listens.
     *
     * @param producerOverrides extra producer properties (e.g. {@code linger.ms}); durability settings still win
     * @throws IllegalStateException if it does not start within a minute or fails to
     */
    public static IngressServer start(IngressConfig config, Map<String, Object> producerOverrides) {
        return start(config, producerOverrides, AccessLines.logger());
    }

    /**
     * {@link #start(IngressConfig, Map)} with the access log's batches going to {@code accessLines}, which the server
     * closes when it shuts down.
     */
    public static IngressServer start(IngressConfig config, Map<String, Object> producerOverrides,
            AccessLines accessLines) {
        Vertx vertx = vertx(config.nativeTransport());
        try {
            RawWebhookPublisher publisher =
                    RawWebhookProducers.create(vertx, config, recordEnvelope(config), producerOverrides);
            return await(start(vertx, true, config, publisher, accessLines), START_TIMEOUT);
        } catch (RuntimeException e) {
            accessLines.close();
            vertx.close();
            throw e;
        }
    }

    /**
     * A Vert.x instance on the native transport if {@code preferNative} and Netty's native library loads here, else on
     * Java NIO; a native transport that was wanted but could not load is logged with the reason.
     */
    static Vertx vertx(boolean preferNative) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(preferNative));
        if (preferNative && !vertx.isNativeTransportEnabled()) {
            // No cause when Netty's native classes are missing altogether (Transport.nativeTransport() is null).
            Throwable cause = vertx.unavailableNativeTransportCause();
            LOG.warn("the native transport is not available here, running on Java NIO: {}",
                    cause == null ? "no native transport on the class path" : cause.toString());
        }
        return vertx;
    }

    /**
     * The most a raw-topic record adds to a body accepted by this configuration: the ids it configures, the headers
     * {@link RawWebhooks} copies and the header size the HTTP server allows.
     */
    public static RecordEnvelope recordEnvelope(IngressConfig config) {
        return RecordEnvelope.of(IngressVerticle.MAX_HEADER_SIZE,
                config.endpoints().stream().map(EndpointConfig::id).toList(),
                config.endpoints().stream().flatMap(e -> e.secrets().stream()).map(WebhookSecret::id).toList(),
                RawWebhooks.HEADER_ALLOW_LIST);
    }

    /**
     * Starts an ingress on {@code vertx} (which the caller keeps owning) with {@code publisher} (which the server
     * closes). With port 0 a single instance is deployed, because verticles cannot share an ephemeral port. Access
     * lines go to the logger {@value AccessLog#LOGGER}.
     */
    public static Future<IngressServer> start(Vertx vertx, IngressConfig config, RawWebhookPublisher publisher) {
        return start(vertx, false, config, publisher, AccessLines.logger());
    }

    private static Future<IngressServer> start(Vertx vertx, boolean ownsVertx, IngressConfig config,
            RawWebhookPublisher publisher, AccessLines accessLines) {
        List<WebhookEndpoint> endpoints = config.endpoints().stream().map(WebhookEndpoint::of).toList();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        IngressMetrics metrics = new IngressMetrics(registry);
        EdgeAdmission admission = new EdgeAdmission(config.edge().maxConnections(), config.edge().maxBufferedBytes(),
                registry);
        UnauthorizedLimiter limiter = new UnauthorizedLimiter(config.edge().maxUnauthorized(),
                config.edge().unauthorizedWindow());
        FunctionCounter.builder("shipstream.ingress.access.batches.dropped", accessLines, AccessLines::dropped)
                .description("Access-log batches dropped because the writer fell behind or could not write")
                .register(registry);
        AtomicBoolean draining = new AtomicBoolean();
        AtomicInteger boundPort = new AtomicInteger();
        int instances = config.port() == 0 ? 1 : config.instances();
        Duration closeTimeout = config.publishTimeout().plusSeconds(5);
        // The warm-up runs on a worker thread while the publisher learns the schema id and the topic's metadata.
        Future<Void> warmup = vertx.executeBlocking(() -> warmUp(endpoints), false);
        return Future.join(publisher.start(), warmup)
                .compose(v -> vertx.deployVerticle(() -> new IngressVerticle(config, endpoints, publisher, metrics,
                        registry, draining, boundPort, admission, limiter, accessLines),
                        new DeploymentOptions().setInstances(instances)))
                .map(id -> {
                    String transport = vertx.isNativeTransportEnabled() ? "the native transport" : "Java NIO";
                    LOG.info("ingress listening on {}:{} with {} instance(s) on {}; endpoints {}", config.host(),
                            boundPort.get(), instances, transport,
                            config.endpoints().stream().map(EndpointConfig::name).toList());
                    return new IngressServer(vertx, ownsVertx, publisher, registry, draining, id, boundPort.get(),
                            closeTimeout, accessLines);
                })
                .recover(e -> publisher.close(Duration.ofSeconds(1)).transform(ignored -> Future.failedFuture(e)));
    }

    /**
     * {@link WebhookPathWarmup#run}, logged; a failure is logged too and the server starts anyway, since the warm-up
     * only spares the first webhook a pause.
     */
    private static Void warmUp(List<WebhookEndpoint> endpoints) {
        long start = System.nanoTime();
        try {
            List<WebhookPathWarmup.Result> warmed = WebhookPathWarmup.run(endpoints);
            LOG.info("webhook path warmed up for {} in {} ms", warmed.stream().map(r -> r.source().pathSegment())
                    .toList(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } catch (RuntimeException e) {
            LOG.warn("could not warm the webhook path up; the first webhook will wait for it: {}", e.toString());
        }
        return null;
    }

    /** The port the server listens on. */
    public int port() {
        return port;
    }

    /** Whether the HTTP server runs on the native transport (epoll) rather than Java NIO. */
    public boolean nativeTransport() {
        return vertx.isNativeTransportEnabled();
    }

    /** The meters of this server, as rendered on {@code /metrics}. */
    public PrometheusMeterRegistry meterRegistry() {
        return registry;
    }

    /** Shuts down gracefully; see the class comment. */
    public Future<Void> shutdown() {
        draining.set(true);
        Promise<Void> done = Promise.promise();
        vertx.undeploy(deploymentId)
                .transform(ar -> publisher.close(closeTimeout))
                .onComplete(ar -> {
                    registry.close();
                    // On a thread of no Vert.x context: closing the access lines waits for their writer, and this
                    // callback may run on an event loop that Vertx.close() stops, which could then never deliver the
                    // close's own completion.
                    new Thread(() -> {
                        accessLines.close();
                        if (ownsVertx) {
                            vertx.close().onComplete(closed -> done.handle(ar));
                        } else {
                            done.handle(ar);
                        }
                    }, "shipstream-ingress-close").start();
                });
        return done.future();
    }

    /** {@link #shutdown()} and wait for it. */
    @Override
    public void close() {
        await(shutdown(), closeTimeout.multipliedBy(2));
    }

    private static <T> T await(Future<T> future, Duration timeout) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the ingress", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("ingress failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("ingress did not finish within " + timeout, e);
        }
    }
}
