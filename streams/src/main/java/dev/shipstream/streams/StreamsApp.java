package dev.shipstream.streams;

import dev.shipstream.schemas.DeadLetter;
import dev.shipstream.schemas.ReviewCycle;
import dev.shipstream.schemas.serde.AvroDeserializer;
import dev.shipstream.schemas.serde.AvroSerdeConfig;
import dev.shipstream.schemas.serde.AvroSerializer;
import dev.shipstream.schemas.serde.SchemaRegistryClient;
import dev.shipstream.schemas.serde.SchemaRegistryClients;
import dev.shipstream.streams.enrich.EnrichmentStage;
import dev.shipstream.streams.errors.BoundedThreadReplacement;
import dev.shipstream.streams.errors.DeadLetterMetrics;
import dev.shipstream.streams.errors.DeadLetters;
import dev.shipstream.streams.errors.RegistryOutageTolerance;
import dev.shipstream.streams.http.StatusServer;
import dev.shipstream.streams.query.ReviewCycleApi;
import dev.shipstream.streams.query.ReviewCycleStream;
import dev.shipstream.streams.topology.Names;
import dev.shipstream.streams.topology.PipelineTopology;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running streams application: the Kafka Streams client over the {@link PipelineTopology}, the enrichment stage,
 * and the HTTP server with health ({@link StreamsHealth}) and metrics. The embeddable entry point, used by
 * {@link StreamsMain}, the devstack launcher and tests.
 *
 * <p>{@link #close()} stops Kafka Streams (which commits what it processed), then the HTTP server (which answers
 * queries with 503 meanwhile), then the review-cycle stream ({@link ReviewCycleStream}), then the
 * enrichment stage, the registry client and the meters.
 */
public final class StreamsApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsApp.class);

    /** How many dead stream threads are replaced within {@link #REPLACEMENT_WINDOW} before the client shuts down. */
    static final int MAX_THREAD_REPLACEMENTS = 3;
    static final Duration REPLACEMENT_WINDOW = Duration.ofMinutes(10);
    // The dead-letter schema id is fetched before the first failure needs it; a registry still down after this
    // does not stop the start (the exception handlers retry records instead).
    private static final Duration DEAD_LETTER_SCHEMA_WARM_UP = Duration.ofSeconds(30);
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** How long a client that had been running may have no stream thread before liveness fails. */
    static final Duration LOST_THREADS_GRACE = Duration.ofSeconds(10);

    private final KafkaStreams streams;
    private final HttpServer http;
    private final PrometheusMeterRegistry meters;
    private final Deque<AutoCloseable> resources;
    private final CompletableFuture<KafkaStreams.State> firstSettled;

    private StreamsApp(KafkaStreams streams, HttpServer http, PrometheusMeterRegistry meters,
                       Deque<AutoCloseable> resources, CompletableFuture<KafkaStreams.State> firstSettled) {
        this.streams = streams;
        this.http = http;
        this.meters = meters;
        this.resources = resources;
        this.firstSettled = firstSettled;
    }

    /**
     * Starts the application and returns once the HTTP server listens; Kafka Streams goes on rebalancing and
     * restoring in the background ({@code /health/ready} tells when it runs).
     *
     * @param settings the settings
     * @param env      the environment, for the enrichment's {@code SHIPSTREAM_ASC_*} variables
     * @return the running application
     */
    public static StreamsApp start(StreamsSettings settings, Map<String, String> env) {
        return start(settings, env, Map.of());
    }

    /**
     * Starts the application with extra Kafka Streams properties (e.g. for tests or benchmarks); the exactly-once
     * guarantee and the exception handlers cannot be overridden.
     *
     * @param settings  the settings
     * @param env       the environment, for the enrichment's {@code SHIPSTREAM_ASC_*} variables
     * @param overrides extra Streams, consumer or producer properties
     * @return the running application
     */
    public static StreamsApp start(StreamsSettings settings, Map<String, String> env, Map<String, ?> overrides) {
        // Closed in reverse order of creation, on failure here or on close().
        Deque<AutoCloseable> resources = new ArrayDeque<>();
        try {
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            resources.push(meters::close);
            SchemaRegistryClient registry = SchemaRegistryClients.fromConfig(
                    Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, settings.schemaRegistryUrl()));
            if (!settings.schemaRegistryUrl().startsWith(AvroSerdeConfig.MOCK_URL_PREFIX)) {
                // An in-memory scope is shared by the whole JVM and must outlive this app.
                resources.push(registry::close);
            }
            EnrichmentStage enrichment = EnrichmentStage.fromEnvironment(env, meters);
            resources.push(enrichment::close);
            DeadLetters deadLetters = new DeadLetters(settings.deadLetterTopic(), settings.applicationId(),
                    new AvroSerializer<DeadLetter>(registry, Map.of()), new DeadLetterMetrics(meters),
                    Clock.systemUTC());
            deadLetters.warmUp(DEAD_LETTER_SCHEMA_WARM_UP);

            Topology topology = PipelineTopology.build(settings.pipeline(), registry, enrichment, deadLetters);
            // The HTTP server listens before Kafka Streams exists: application.server must carry its actual port
            // (the setting may be 0). Until the client is attached the query API answers 503, health says DOWN.
            HealthHolder holder = new HealthHolder();
            Vertx vertx = Vertx.vertx();
            resources.push(() -> await(vertx.close(), CLOSE_TIMEOUT));
            ReviewCycleApi api = new ReviewCycleApi(vertx, Names.REVIEW_HISTORY_STORE, settings.rawTopic(),
                    Names.METRICS_STORE, Names.metricsRepartitionTopic(settings.applicationId()));
            ReviewCycleStream cycleStream = reviewCycleStream(settings, vertx, registry);
            resources.push(cycleStream::close);
            cycleStream.start();
            HttpServer http = await(StatusServer.start(vertx, settings.httpHost(), settings.httpPort(),
                    holder::live, holder::ready, meters, api, cycleStream::subscribe), HTTP_TIMEOUT);
            resources.push(() -> await(http.close(), CLOSE_TIMEOUT));
            HostInfo self = new HostInfo(settings.advertisedHost(), http.actualPort());

            Properties properties = StreamsProperties.of(settings, deadLetters, overrides,
                    self.host() + ":" + self.port());
            KafkaStreams streams = new KafkaStreams(topology, properties);
            // Leave the group on close: a restarted instance then gets its partitions at once instead of after the
            // old member's session timeout (45 s by default), which is most of a single instance's restart time.
            resources.push(() -> {
                boolean stopped = streams.close(CloseOptions
                        .groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                        .withTimeout(CLOSE_TIMEOUT));
                if (!stopped) {
                    // Its stream threads may still hold tasks whose state is then not checkpointed: under
                    // exactly-once the next start rebuilds that state from the changelogs.
                    LOG.warn("kafka streams did not stop within {}", CLOSE_TIMEOUT);
                }
            });
            // The settings' thread count, or an override of it.
            int streamThreads = Integer.parseInt(properties.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG).toString());
            StreamsHealth health = StreamsHealth.of(streams, streamThreads, Clock.systemUTC(), LOST_THREADS_GRACE);
            holder.health = health;
            // Every death turns readiness off first, whether a registry outage or a bad record killed the thread.
            streams.setUncaughtExceptionHandler(health.reportingDeaths(new RegistryOutageTolerance(
                    new BoundedThreadReplacement(MAX_THREAD_REPLACEMENTS, REPLACEMENT_WINDOW, Clock.systemUTC()),
                    RegistryOutageTolerance.DEFAULT_TOLERANCE, Clock.systemUTC())));
            CompletableFuture<KafkaStreams.State> firstSettled = new CompletableFuture<>();
            streams.setStateListener((now, before) -> {
                LOG.info("kafka streams {} -> {}", before, now);
                health.onStateChange(now, before);
                if (now == KafkaStreams.State.RUNNING || now.isShuttingDown() || now.hasCompletedShutdown()) {
                    firstSettled.complete(now);
                }
            });
            streams.setGlobalStateRestoreListener(new StateRestores(meters));
            KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
            streamsMetrics.bindTo(meters);
            resources.push(streamsMetrics::close);

            api.attach(streams, self);

            streams.start();
            LOG.info("streams app {} started: {} -> {} (dead letters: {}), http on {}:{}", settings.applicationId(),
                    settings.rawTopic(), settings.eventsTopic(), settings.deadLetterTopic(), settings.httpHost(),
                    http.actualPort());
            return new StreamsApp(streams, http, meters, resources, firstSettled);
        } catch (RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    /**
     * The follower of the review-cycle topic behind {@code /api/v1/review-cycles/stream}: its own consumer, no group,
     * read_committed, so it sees every committed change of every partition.
     */
    private static ReviewCycleStream reviewCycleStream(StreamsSettings settings, Vertx vertx,
                                                       SchemaRegistryClient registry) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                ConsumerConfig.CLIENT_ID_CONFIG, settings.applicationId() + "-review-cycle-stream",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        return new ReviewCycleStream(vertx, settings.reviewCyclesTopic(), consumer,
                new AvroDeserializer<ReviewCycle>(registry, Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true)),
                ReviewCycleStream.DEFAULT_CLIENT_BUFFER, ReviewCycleStream.DEFAULT_HEARTBEAT,
                ReviewCycleStream.DEFAULT_MAX_CLIENTS);
    }

    /**
     * The first state after the start that is RUNNING or on the way down (PENDING_SHUTDOWN, PENDING_ERROR, ERROR,
     * NOT_RUNNING): completes once the first rebalance has ended, or the client stopped before it ran.
     */
    public CompletionStage<KafkaStreams.State> firstSettledState() {
        return firstSettled.copy();
    }

    /** The Kafka Streams client's state. */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The port the HTTP server listens on. */
    public int httpPort() {
        return http.actualPort();
    }

    /** The meters rendered on {@code /metrics}. */
    public PrometheusMeterRegistry meterRegistry() {
        return meters;
    }

    /** Stops everything; see the class comment. Idempotent. */
    @Override
    public void close() {
        closeAll(resources);
    }

    private static void closeAll(Deque<AutoCloseable> resources) {
        synchronized (resources) {
            while (!resources.isEmpty()) {
                try {
                    resources.pop().close();
                } catch (Exception e) {
                    LOG.warn("closing the streams app: {}", e.toString(), e);
                }
            }
        }
    }

    /** The health checks, once Kafka Streams exists; live and not ready before. */
    private static final class HealthHolder {
        private volatile StreamsHealth health;

        boolean live() {
            StreamsHealth current = health;
            return current == null || current.live();
        }

        boolean ready() {
            StreamsHealth current = health;
            return current != null && current.ready();
        }
    }

    private static <T> T await(Future<T> future, Duration timeout) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the streams app", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("streams app failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("streams app did not finish within " + timeout, e);
        }
    }
}
