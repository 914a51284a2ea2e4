package dev.shipstream.streams;

import dev.shipstream.schemas.Topics;
import dev.shipstream.streams.topology.PipelineSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The validated configuration of one streams process, read from environment variables with defaults, or built
 * directly by an embedding launcher. Every rule is checked in the constructor, once, with an exact message.
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
        Duration reviewGrace) {

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

    /** @throws IllegalArgumentException naming the invalid setting */
    public StreamsSettings {
        requireText("bootstrapServers", bootstrapServers);
        requireText("schemaRegistryUrl", schemaRegistryUrl);
        requireText("applicationId", applicationId);
        if (!applicationId.matches("[A-Za-z0-9._-]+")) {
            // It prefixes internal topic names, which allow only these characters.
            throw new IllegalArgumentException("applicationId may contain only letters, digits, '.', '_' and '-', got "
                    + applicationId);
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
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("httpPort must be between 0 and 65535, got " + httpPort);
        }
        // Checks the topics (non-blank, distinct) and the grace the same way the topology does, so a bad value
        // fails here.
        new PipelineSettings(rawTopic, eventsTopic, deadLetterTopic, applicationId, dedupRetention)
                .withReviewGrace(Objects.requireNonNull(reviewGrace, "reviewGrace"));
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
        return new StreamsSettings(
                text(env, BOOTSTRAP_SERVERS_ENV, DEFAULT_BOOTSTRAP_SERVERS),
                text(env, SCHEMA_REGISTRY_URL_ENV, DEFAULT_SCHEMA_REGISTRY_URL),
                text(env, APPLICATION_ID_ENV, DEFAULT_APPLICATION_ID),
                Path.of(text(env, STATE_DIR_ENV,
                        Path.of(System.getProperty("java.io.tmpdir"), "shipstream-streams").toString())),
                Duration.ofMillis(number(env, DEDUP_RETENTION_MS_ENV,
                        PipelineSettings.DEFAULT_DEDUP_RETENTION.toMillis())),
                Duration.ofMillis(number(env, COMMIT_INTERVAL_MS_ENV, DEFAULT_COMMIT_INTERVAL_MS)),
                text(env, RAW_TOPIC_ENV, Topics.WEBHOOKS_RAW.name()),
                text(env, EVENTS_TOPIC_ENV, Topics.EVENTS.name()),
                text(env, DEADLETTER_TOPIC_ENV, Topics.DEADLETTER.name()),
                integer(env, REPLICATION_FACTOR_ENV, DEFAULT_REPLICATION_FACTOR),
                integer(env, STREAM_THREADS_ENV, DEFAULT_STREAM_THREADS),
                text(env, HTTP_HOST_ENV, DEFAULT_HTTP_HOST),
                integer(env, HTTP_PORT_ENV, DEFAULT_HTTP_PORT),
                Duration.ofMillis(number(env, REVIEW_GRACE_MS_ENV, PipelineSettings.DEFAULT_REVIEW_GRACE.toMillis())));
    }

    /** What the topology needs of these settings. */
    public PipelineSettings pipeline() {
        return new PipelineSettings(rawTopic, eventsTopic, deadLetterTopic, applicationId, dedupRetention)
                .withReviewGrace(reviewGrace);
    }

    private static String text(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static long number(Map<String, String> env, String name, long fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'", e);
        }
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        long value = number(env, name, fallback);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " is out of range, got " + value);
        }
        return (int) value;
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
