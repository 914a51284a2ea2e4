package dev.shipstream.streams;

import dev.shipstream.schemas.Topics;
import dev.shipstream.schemas.config.EnvironmentConfig;
import dev.shipstream.streams.topology.PipelineSettings;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The validated configuration of one streams process, read from environment variables with defaults ({@link
 * #configDef()}, read by {@link EnvironmentConfig}'s one rule: blank is unset), or built directly by an embedding
 * launcher. Every rule is checked in the constructor, once, with an exact message.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>variable</th><th>default</th></tr>
 *   <tr><td>{@value #BOOTSTRAP_SERVERS_ENV}</td><td>{@value #DEFAULT_BOOTSTRAP_SERVERS}</td></tr>
 *   <tr><td>{@value #SCHEMA_REGISTRY_URL_ENV}</td><td>{@value #DEFAULT_SCHEMA_REGISTRY_URL}</td></tr>
 *   <tr><td>{@value #APPLICATION_ID_ENV}</td><td>{@value #DEFAULT_APPLICATION_ID}</td></tr>
 *   <tr><td>{@value #STATE_DIR_ENV}</td><td>{@code <java.io.tmpdir>/shipstream-streams}</td></tr>
 *   <tr><td>{@value #DEDUP_RETENTION_MS_ENV}</td><td>7 days</td></tr>
 *   <tr><td>{@value #COMMIT_INTERVAL_MS_ENV}</td><td>{@value #DEFAULT_COMMIT_INTERVAL_MS}</td></tr>
 *   <tr><td>{@value #RAW_TOPIC_ENV}, {@value #EVENTS_TOPIC_ENV}, {@value #DEADLETTER_TOPIC_ENV}</td>
 *       <td>the catalogue's names ({@link Topics})</td></tr>
 *   <tr><td>{@value #REPLICATION_FACTOR_ENV}</td><td>{@value #DEFAULT_REPLICATION_FACTOR}</td></tr>
 *   <tr><td>{@value #STREAM_THREADS_ENV}</td><td>{@value #DEFAULT_STREAM_THREADS}</td></tr>
 *   <tr><td>{@value #HTTP_HOST_ENV}</td><td>{@value #DEFAULT_HTTP_HOST}</td></tr>
 *   <tr><td>{@value #HTTP_PORT_ENV}</td><td>{@value #DEFAULT_HTTP_PORT} (0: any free port)</td></tr>
 *   <tr><td>{@value #REVIEW_GRACE_MS_ENV}</td><td>7 days</td></tr>
 *   <tr><td>{@value #ADVERTISED_HOST_ENV}</td><td>the HTTP host</td></tr>
 *   <tr><td>{@value #REVIEW_CYCLES_TOPIC_ENV}, {@value #DELIVERY_METRICS_TOPIC_ENV}</td>
 *       <td>the catalogue's names ({@link Topics})</td></tr>
 * </table>
 *
 * @param bootstrapServers  Kafka {@code bootstrap.servers}
 * @param schemaRegistryUrl the Confluent-compatible registry ({@code http://...}, or {@code mock://scope} in tests)
 * @param applicationId     the Kafka Streams application id (consumer group, prefix of internal topics)
 * @param stateDir          where the state stores live
 * @param dedupRetention    how long a provider event id is remembered
 * @param commitInterval    the exactly-once commit interval: records become visible to read_committed consumers
 *                          only on commit, so it bounds the added end-to-end latency
 * @param rawTopic          the raw-webhook topic read
 * @param eventsTopic       the delivery-event topic written
 * @param deadLetterTopic   the dead-letter topic written
 * @param replicationFactor the replication factor of internal topics (changelogs); 1 on a single local broker
 * @param streamThreads     stream threads of this instance
 * @param httpHost          the address of the health, metrics (and later query) server
 * @param httpPort          its port
 * @param reviewGrace       how late (behind its version's latest event time) an App Store version state change may
 *                          be and still be placed into the review cycles; 0 accepts only changes in event-time order
 * @param advertisedHost    the host other instances reach this one's HTTP server at (with the port it listens on,
 *                          Kafka Streams' {@code application.server}, used to forward queries); the HTTP host when
 *                          that is reachable, a DNS name when the server binds a wildcard address such as 0.0.0.0
 * @param reviewCyclesTopic    the review-cycle topic written, read back by the metrics and the cycle stream
 * @param deliveryMetricsTopic the delivery-metric topic written
 */
public record StreamsSettings(
        String bootstrapServers,
        String schemaRegistryUrl,
        String applicationId,
        Path stateDir,
        Duration dedupRetention,
        Duration commitInterval,
        String rawTopic,
        String eventsTopic,
        String deadLetterTopic,
        int replicationFactor,
        int streamThreads,
        String httpHost,
        int httpPort,
        Duration reviewGrace,
        String advertisedHost,
        String reviewCyclesTopic,
        String deliveryMetricsTopic) {

    public static final String BOOTSTRAP_SERVERS_ENV = "SHIPSTREAM_KAFKA_BOOTSTRAP_SERVERS";
    public static final String SCHEMA_REGISTRY_URL_ENV = "SHIPSTREAM_SCHEMA_REGISTRY_URL";
    public static final String APPLICATION_ID_ENV = "SHIPSTREAM_STREAMS_APPLICATION_ID";
    public static final String STATE_DIR_ENV = "SHIPSTREAM_STREAMS_STATE_DIR";
    public static final String DEDUP_RETENTION_MS_ENV = "SHIPSTREAM_STREAMS_DEDUP_RETENTION_MS";
    public static final String COMMIT_INTERVAL_MS_ENV = "SHIPSTREAM_STREAMS_COMMIT_INTERVAL_MS";
    public static final String RAW_TOPIC_ENV = "SHIPSTREAM_STREAMS_RAW_TOPIC";
    public static final String EVENTS_TOPIC_ENV = "SHIPSTREAM_STREAMS_EVENTS_TOPIC";
    public static final String DEADLETTER_TOPIC_ENV = "SHIPSTREAM_STREAMS_DEADLETTER_TOPIC";
    public static final String REPLICATION_FACTOR_ENV = "SHIPSTREAM_STREAMS_REPLICATION_FACTOR";
    public static final String STREAM_THREADS_ENV = "SHIPSTREAM_STREAMS_THREADS";
    public static final String HTTP_HOST_ENV = "SHIPSTREAM_STREAMS_HOST";
    public static final String HTTP_PORT_ENV = "SHIPSTREAM_STREAMS_PORT";
    public static final String REVIEW_GRACE_MS_ENV = "SHIPSTREAM_STREAMS_REVIEW_GRACE_MS";
    public static final String ADVERTISED_HOST_ENV = "SHIPSTREAM_STREAMS_ADVERTISED_HOST";
    public static final String REVIEW_CYCLES_TOPIC_ENV = "SHIPSTREAM_STREAMS_REVIEW_CYCLES_TOPIC";
    public static final String DELIVERY_METRICS_TOPIC_ENV = "SHIPSTREAM_STREAMS_DELIVERY_METRICS_TOPIC";

    public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";
    public static final String DEFAULT_SCHEMA_REGISTRY_URL = "http://127.0.0.1:8081";
    public static final String DEFAULT_APPLICATION_ID = "shipstream-streams";
    /**
     * Under exactly-once a record is visible downstream only after the commit that follows it, and every commit costs
     * a transaction: 200 ms keeps p99 latency near 220 ms at 1,000 events/s and gives about 24,000 events/s on two
     * cores, where 100 ms gives about 120 ms and 19,000 events/s (docs/benchmarks.md).
     */
    public static final long DEFAULT_COMMIT_INTERVAL_MS = 200;
    public static final int DEFAULT_REPLICATION_FACTOR = 1;
    public static final int DEFAULT_STREAM_THREADS = 1;
    public static final String DEFAULT_HTTP_HOST = "127.0.0.1";
    public static final int DEFAULT_HTTP_PORT = 8082;

    // It prefixes internal topic names, which allow only these characters.
    private static final Pattern APPLICATION_ID_PATTERN = Pattern.compile("[A-Za-z0-9._-]+");
    private static final String APPLICATION_ID_RULE = "may contain only letters, digits, '.', '_' and '-'";

    private static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(BOOTSTRAP_SERVERS_ENV, Type.STRING, DEFAULT_BOOTSTRAP_SERVERS, Importance.HIGH,
                    "Kafka bootstrap.servers.")
            .define(SCHEMA_REGISTRY_URL_ENV, Type.STRING, DEFAULT_SCHEMA_REGISTRY_URL, Importance.HIGH,
                    "The Confluent-compatible schema registry.")
            .define(APPLICATION_ID_ENV, Type.STRING, DEFAULT_APPLICATION_ID, StreamsSettings::validateApplicationId,
                    Importance.HIGH, "The Kafka Streams application id (consumer group, prefix of internal topics).")
            // No default: it is under java.io.tmpdir of the machine that runs the app.
            .define(STATE_DIR_ENV, Type.STRING, null, Importance.HIGH,
                    "Where the state stores live; <java.io.tmpdir>/shipstream-streams by default.")
            .define(DEDUP_RETENTION_MS_ENV, Type.LONG, PipelineSettings.DEFAULT_DEDUP_RETENTION.toMillis(),
                    Range.atLeast(1), Importance.MEDIUM, "How long a provider event id is remembered, in milliseconds.")
            .define(COMMIT_INTERVAL_MS_ENV, Type.LONG, DEFAULT_COMMIT_INTERVAL_MS, Range.atLeast(1), Importance.MEDIUM,
                    "The exactly-once commit interval, in milliseconds.")
            .define(RAW_TOPIC_ENV, Type.STRING, Topics.WEBHOOKS_RAW.name(), Importance.LOW,
                    "The raw-webhook topic read.")
            .define(EVENTS_TOPIC_ENV, Type.STRING, Topics.EVENTS.name(), Importance.LOW,
                    "The delivery-event topic written.")
            .define(DEADLETTER_TOPIC_ENV, Type.STRING, Topics.DEADLETTER.name(), Importance.LOW,
                    "The dead-letter topic written.")
            .define(REVIEW_CYCLES_TOPIC_ENV, Type.STRING, Topics.REVIEW_CYCLES.name(), Importance.LOW,
                    "The review-cycle topic written (and read back by the delivery metrics and the cycle stream).")
            .define(DELIVERY_METRICS_TOPIC_ENV, Type.STRING, Topics.DELIVERY_METRICS.name(), Importance.LOW,
                    "The delivery-metric topic written.")
            .define(REPLICATION_FACTOR_ENV, Type.INT, DEFAULT_REPLICATION_FACTOR, Range.atLeast(1), Importance.MEDIUM,
                    "The replication factor of internal topics (changelogs).")
            .define(STREAM_THREADS_ENV, Type.INT, DEFAULT_STREAM_THREADS, Range.atLeast(1), Importance.MEDIUM,
                    "Stream threads of this instance.")
            .define(HTTP_HOST_ENV, Type.STRING, DEFAULT_HTTP_HOST, Importance.MEDIUM,
                    "The address of the health and metrics server.")
            .define(HTTP_PORT_ENV, Type.INT, DEFAULT_HTTP_PORT, Range.between(0, 65535), Importance.MEDIUM,
                    "The port of the health and metrics server; 0 for any free port.")
            .define(REVIEW_GRACE_MS_ENV, Type.LONG, PipelineSettings.DEFAULT_REVIEW_GRACE.toMillis(), Range.atLeast(0),
                    Importance.MEDIUM, "How late (behind its version's latest event time) an App Store version state "
                            + "change may be and still be placed into the review cycles, in milliseconds.")
            // No default: it is the HTTP host unless set.
            .define(ADVERTISED_HOST_ENV, Type.STRING, null, Importance.MEDIUM,
                    "The host other streams instances reach this one's query API at (Kafka Streams' "
                            + "application.server, with the HTTP port); the HTTP host by default.");

    /** @throws IllegalArgumentException naming the invalid setting */
    public StreamsSettings {
        requireText("bootstrapServers", bootstrapServers);
        requireText("schemaRegistryUrl", schemaRegistryUrl);
        requireText("applicationId", applicationId);
        if (!APPLICATION_ID_PATTERN.matcher(applicationId).matches()) {
            throw new IllegalArgumentException("applicationId " + APPLICATION_ID_RULE + ", got " + applicationId);
        }
        Objects.requireNonNull(stateDir, "stateDir");
        requirePositive("dedupRetention", dedupRetention);
        requirePositive("commitInterval", commitInterval);
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be at least 1, got " + replicationFactor);
        }
        if (streamThreads < 1) {
            throw new IllegalArgumentException("streamThreads must be at least 1, got " + streamThreads);
        }
        requireText("httpHost", httpHost);
        requireText("advertisedHost", advertisedHost);
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("httpPort must be between 0 and 65535, got " + httpPort);
        }
        // Checks the topics (non-blank, distinct) and the grace the same way the topology does, so a bad value
        // fails here.
        new PipelineSettings(rawTopic, eventsTopic, deadLetterTopic, applicationId, dedupRetention)
                .withReviewGrace(Objects.requireNonNull(reviewGrace, "reviewGrace"))
                .withAnalyticsTopics(reviewCyclesTopic, deliveryMetricsTopic);
    }

    /** Settings with the catalogue's review-cycle and delivery-metric topics. */
    public StreamsSettings(String bootstrapServers, String schemaRegistryUrl, String applicationId, Path stateDir,
                           Duration dedupRetention, Duration commitInterval, String rawTopic, String eventsTopic,
                           String deadLetterTopic, int replicationFactor, int streamThreads, String httpHost,
                           int httpPort, Duration reviewGrace, String advertisedHost) {
        this(bootstrapServers, schemaRegistryUrl, applicationId, stateDir, dedupRetention, commitInterval, rawTopic,
                eventsTopic, deadLetterTopic, replicationFactor, streamThreads, httpHost, httpPort, reviewGrace,
                advertisedHost, Topics.REVIEW_CYCLES.name(), Topics.DELIVERY_METRICS.name());
    }

    /** Settings advertising the HTTP host to the other instances. */
    public StreamsSettings(String bootstrapServers, String schemaRegistryUrl, String applicationId, Path stateDir,
                           Duration dedupRetention, Duration commitInterval, String rawTopic, String eventsTopic,
                           String deadLetterTopic, int replicationFactor, int streamThreads, String httpHost,
                           int httpPort, Duration reviewGrace) {
        this(bootstrapServers, schemaRegistryUrl, applicationId, stateDir, dedupRetention, commitInterval, rawTopic,
                eventsTopic, deadLetterTopic, replicationFactor, streamThreads, httpHost, httpPort, reviewGrace,
                httpHost);
    }

    /** Settings with the default review-cycle grace. */
    public StreamsSettings(String bootstrapServers, String schemaRegistryUrl, String applicationId, Path stateDir,
                           Duration dedupRetention, Duration commitInterval, String rawTopic, String eventsTopic,
                           String deadLetterTopic, int replicationFactor, int streamThreads, String httpHost,
                           int httpPort) {
        this(bootstrapServers, schemaRegistryUrl, applicationId, stateDir, dedupRetention, commitInterval, rawTopic,
                eventsTopic, deadLetterTopic, replicationFactor, streamThreads, httpHost, httpPort,
                PipelineSettings.DEFAULT_REVIEW_GRACE);
    }

    /**
     * Reads the settings from environment variables; unset or blank variables take their defaults.
     *
     * @param env the environment, e.g. {@code System.getenv()}
     * @return the validated settings
     * @throws IllegalArgumentException naming the variable whose value is invalid
     */
    public static StreamsSettings fromEnvironment(Map<String, String> env) {
        EnvironmentConfig c = EnvironmentConfig.read(CONFIG_DEF, env);
        return new StreamsSettings(
                c.getString(BOOTSTRAP_SERVERS_ENV),
                c.getString(SCHEMA_REGISTRY_URL_ENV),
                c.getString(APPLICATION_ID_ENV),
                Path.of(c.getOptionalString(STATE_DIR_ENV).orElseGet(() ->
                        Path.of(System.getProperty("java.io.tmpdir"), "shipstream-streams").toString())),
                c.getMillis(DEDUP_RETENTION_MS_ENV),
                c.getMillis(COMMIT_INTERVAL_MS_ENV),
                c.getString(RAW_TOPIC_ENV),
                c.getString(EVENTS_TOPIC_ENV),
                c.getString(DEADLETTER_TOPIC_ENV),
                c.getInt(REPLICATION_FACTOR_ENV),
                c.getInt(STREAM_THREADS_ENV),
                c.getString(HTTP_HOST_ENV),
                c.getInt(HTTP_PORT_ENV),
                c.getMillis(REVIEW_GRACE_MS_ENV),
                c.getOptionalString(ADVERTISED_HOST_ENV).orElse(c.getString(HTTP_HOST_ENV)),
                c.getString(REVIEW_CYCLES_TOPIC_ENV),
                c.getString(DELIVERY_METRICS_TOPIC_ENV));
    }

    /** The environment variables, types, defaults and documentation, e.g. for generated docs. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
    }

    /**
     * A copy writing other analytics topics, e.g. a test's own on a shared broker.
     *
     * @param reviewCycles    the review-cycle topic
     * @param deliveryMetrics the delivery-metric topic
     * @return the copy
     */
    public StreamsSettings withAnalyticsTopics(String reviewCycles, String deliveryMetrics) {
        return new StreamsSettings(bootstrapServers, schemaRegistryUrl, applicationId, stateDir, dedupRetention,
                commitInterval, rawTopic, eventsTopic, deadLetterTopic, replicationFactor, streamThreads, httpHost,
                httpPort, reviewGrace, advertisedHost, reviewCycles, deliveryMetrics);
    }

    /** What the topology needs of these settings. */
    public PipelineSettings pipeline() {
        return new PipelineSettings(rawTopic, eventsTopic, deadLetterTopic, applicationId, dedupRetention)
                .withReviewGrace(reviewGrace)
                .withAnalyticsTopics(reviewCyclesTopic, deliveryMetricsTopic);
    }

    private static void validateApplicationId(String name, Object value) {
        if (!APPLICATION_ID_PATTERN.matcher((String) value).matches()) {
            throw new ConfigException(name, value, APPLICATION_ID_RULE);
        }
    }

    private static void requireText(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
