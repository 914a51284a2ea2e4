package dev.shipstream.ingress.publish;

import dev.shipstream.ingress.IngressConfig;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Topics;
import dev.shipstream.schemas.serde.AvroSerdeConfig;
import dev.shipstream.schemas.serde.SchemaRegistryClient;
import dev.shipstream.schemas.serde.SchemaRegistryClients;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Builds the Kafka side of the ingress: the producer configuration (durability settings that cannot be overridden,
 * {@code max.request.size} derived from the body limits), the producer of encoded values, the background schema
 * registration, the readiness probe and the {@link KafkaRawWebhookPublisher} with its bounds.
 */
public final class RawWebhookProducers {

    /**
     * No linger: a lone request's record goes out at once (with 1 ms, the measured p50 of a single connection was
     * 1.5 ms instead of 0.25 ms). Under load records still share produce requests, because of
     * {@link #DEFAULT_MAX_IN_FLIGHT}: they accumulate while the previous request is on its way. See
     * {@code docs/benchmarks.md}.
     */
    public static final String DEFAULT_LINGER_MS = "0";

    /**
     * One produce request in flight per broker: records that arrive meanwhile are batched into the next one, which
     * keeps batches large without linger (fewer, larger requests cost the producer and the broker less CPU per record;
     * on the 2-core benchmark machine about 28,000 instead of 24,500 requests/s, see {@code docs/benchmarks.md}).
     * Durability, ordering and idempotence do not depend on it (idempotence holds for any value up to 5).
     */
    public static final String DEFAULT_MAX_IN_FLIGHT = "1";

    /**
     * The default {@code max.block.ms}: how long a publish may wait for the topic's metadata (missing before the first
     * fetch and during a broker outage or leader change) or for buffer space, which the pending-bytes bound prevents.
     * The producer itself is built with {@code max.block.ms=0}, so that {@code send} never blocks the event loop that
     * calls it; a record that must wait does so on the publisher's waiting thread (see
     * {@link KafkaRawWebhookPublisher}). Also bounded by the publish timeout.
     */
    public static final long DEFAULT_MAX_BLOCK_MS = 500;

    /**
     * Pending publishes may hold this share (1/n) of the producer's {@code buffer.memory}. The producer appends records
     * to per-partition batches of {@code batch.size} and starts a new batch when a record does not fit in the open
     * one, so a batch may be little more than half full: the buffer can need up to twice the record bytes. The other
     * half is room for each partition's open batch and for batches re-enqueued by retries. So a broker outage fills
     * this bound (503 at once) and never the buffer (where {@code send} would block).
     */
    public static final int BUFFER_MEMORY_SHARE = 4;

    private RawWebhookProducers() {
    }

    /**
     * The producer configuration: defaults, then {@code config.producerProperties()}, then {@code overrides}, then the
     * settings durability depends on ({@code acks=all}, idempotence, serializers), which always win. The default
     * {@code max.request.size} is derived from the largest body limit and the record envelope; a smaller one is
     * refused. {@code max.block.ms} here is the publisher's wait for metadata; the producer gets {@link #nonBlocking}.
     *
     * @throws IllegalArgumentException if {@code max.request.size} cannot carry the largest allowed body
     */
    public static Map<String, Object> producerConfig(IngressConfig config, RecordEnvelope envelope,
            Map<String, Object> overrides) {
        long largestBody = config.bodyLimits().values().stream().mapToLong(Long::longValue).max().orElseThrow();
        long requiredRequestSize = envelope.maxRequestSizeFor(largestBody);
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.LINGER_MS_CONFIG, DEFAULT_LINGER_MS);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, DEFAULT_MAX_IN_FLIGHT);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG,
                Long.toString(Math.min(config.publishTimeout().toMillis(), DEFAULT_MAX_BLOCK_MS)));
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Long.toString(requiredRequestSize));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        // The producer writes one topic; keeping its metadata avoids a blocking re-fetch after a quiet period.
        props.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, Long.toString(Duration.ofDays(1).toMillis()));
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "shipstream-ingress");
        props.putAll(config.producerProperties());
        props.putAll(overrides);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, config.schemaRegistryUrl());
        long maxRequestSize = longValue(props, ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        if (maxRequestSize < requiredRequestSize) {
            throw new IllegalArgumentException("kafka.producer." + ProducerConfig.MAX_REQUEST_SIZE_CONFIG + " ("
                    + maxRequestSize + ") cannot carry the largest body limit (" + largestBody + " bytes): a record"
                    + " adds up to " + (requiredRequestSize - largestBody) + " bytes to its body, so it must be at"
                    + " least " + requiredRequestSize + ", or the body limits at most "
                    + envelope.maxBodyFor(maxRequestSize));
        }
        return props;
    }

    /** The bounds of the publisher for a producer configured with {@code props}. */
    public static KafkaRawWebhookPublisher.Limits limits(IngressConfig config, Map<String, Object> props) {
        long bufferMemory = longValue(props, ProducerConfig.BUFFER_MEMORY_CONFIG);
        return new KafkaRawWebhookPublisher.Limits(config.maxPendingPublishes(), bufferMemory / BUFFER_MEMORY_SHARE,
                longValue(props, ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                Duration.ofMillis(longValue(props, ProducerConfig.MAX_BLOCK_MS_CONFIG)));
    }

    /**
     * A publisher writing to {@code Topics.WEBHOOKS_RAW} of the configured cluster.
     *
     * @param envelope the record envelope of this ingress's endpoints and HTTP limits
     */
    public static KafkaRawWebhookPublisher create(Vertx vertx, IngressConfig config, RecordEnvelope envelope,
            Map<String, Object> overrides) {
        Map<String, Object> props = producerConfig(config, envelope, overrides);
        KafkaRawWebhookPublisher.Limits limits = limits(config, props);
        String topic = Topics.WEBHOOKS_RAW.name();
        AvroSerdeConfig serde = new AvroSerdeConfig(props);
        SchemaRegistryClient registry = SchemaRegistryClients.fromConfig(serde);
        SchemaRegistration registration = new SchemaRegistration(topic + "-value",
                SchemaRegistration.registering(registry, RawWebhook.getClassSchema().toString(),
                        serde.autoRegisterSchemas()),
                serde.retryBackoff(), serde.retryBackoffMax(), registry);
        KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(nonBlocking(props), new StringSerializer(), new ByteArraySerializer());
        Admin admin = Admin.create(adminConfig(props));
        return new KafkaRawWebhookPublisher(vertx, producer, topic, limits, new AdminClusterProbe(admin),
                registration);
    }

    /**
     * The producer's own settings: {@code props} with {@code max.block.ms=0}, so that {@code send} fails at once
     * instead of waiting; the configured value bounds the publisher's wait instead ({@link #limits}).
     */
    static Map<String, Object> nonBlocking(Map<String, Object> props) {
        Map<String, Object> producerProps = new HashMap<>(props);
        producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "0");
        return producerProps;
    }

    private static long longValue(Map<String, Object> props, String key) {
        Object value = props.get(key);
        if (value == null) {
            value = ProducerConfig.configDef().defaultValues().get(key);
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        try {
            return Long.parseLong(String.valueOf(value).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("kafka.producer." + key + " must be an integer, got '" + value + "'", e);
        }
    }

    /** The connection and security settings of the producer, for the readiness probe's admin client. */
    static Map<String, Object> adminConfig(Map<String, Object> producerProps) {
        Map<String, Object> admin = new HashMap<>();
        producerProps.forEach((key, value) -> {
            if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")
                    || key.equals("client.dns.lookup") || key.equals(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)) {
                admin.put(key, value);
            }
        });
        admin.put(AdminClientConfig.CLIENT_ID_CONFIG, "shipstream-ingress-probe");
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000");
        return admin;
    }

    /** Readiness: the cluster answers a describe-cluster request with at least one node. */
    private record AdminClusterProbe(Admin admin) implements ClusterProbe {

        @Override
        public boolean reachable(Duration timeout) {
            try {
                return !admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                        .nodes().get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS).isEmpty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception e) {
                return false;
            }
        }

        @Override
        public OptionalLong maxMessageBytes(String topic, Duration timeout) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            try {
                Config config = admin.describeConfigs(List.of(resource),
                                new DescribeConfigsOptions().timeoutMs((int) timeout.toMillis()))
                        .all().get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS).get(resource);
                ConfigEntry entry = config == null ? null : config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                return entry == null || entry.value() == null ? OptionalLong.empty()
                        : OptionalLong.of(Long.parseLong(entry.value()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return OptionalLong.empty();
            } catch (Exception e) {
                return OptionalLong.empty();
            }
        }

        @Override
        public void close() {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
