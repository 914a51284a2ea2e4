package dev.shipstream.ingress.publish;

import dev.shipstream.ingress.IngressConfig;
import dev.shipstream.schemas.AuthScheme;
import dev.shipstream.schemas.Authentication;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Source;
import dev.shipstream.schemas.Topics;
import dev.shipstream.schemas.serde.AvroSerdeConfig;
import dev.shipstream.schemas.serde.AvroSerializer;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Builds the Kafka side of the ingress: the producer configuration (durability settings that cannot be overridden),
 * the producer with its Avro value serializer, the readiness probe and the {@link KafkaRawWebhookPublisher}.
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

    private RawWebhookProducers() {
    }

    /**
     * The producer configuration: defaults, then {@code config.producerProperties()}, then {@code overrides}, then the
     * settings durability depends on ({@code acks=all}, idempotence, serializers), which always win.
     */
    public static Map<String, Object> producerConfig(IngressConfig config, Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.LINGER_MS_CONFIG, DEFAULT_LINGER_MS);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, DEFAULT_MAX_IN_FLIGHT);
        // Bounded so that a send that does have to wait (metadata missing) gives up well inside the publish timeout.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(Math.min(config.publishTimeout().toMillis(), 2000)));
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
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class.getName());
        props.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, config.schemaRegistryUrl());
        return props;
    }

    /** A publisher writing to {@code Topics.WEBHOOKS_RAW} of the configured cluster. */
    public static KafkaRawWebhookPublisher create(Vertx vertx, IngressConfig config, Map<String, Object> overrides) {
        Map<String, Object> props = producerConfig(config, overrides);
        String topic = Topics.WEBHOOKS_RAW.name();
        AvroSerializer<RawWebhook> valueSerializer = new AvroSerializer<>();
        valueSerializer.configure(props, false);
        KafkaProducer<String, RawWebhook> producer =
                new KafkaProducer<>(props, new StringSerializer(), valueSerializer);
        Admin admin = Admin.create(adminConfig(props));
        ClusterProbe probe = new AdminClusterProbe(admin);
        RawWebhook sample = sample();
        return new KafkaRawWebhookPublisher(vertx, producer, topic, config.maxPendingPublishes(), probe,
                () -> valueSerializer.serialize(topic, sample));
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

    /** A record of the real schema, serialized once at start so the registry lookup never happens on an event loop. */
    private static RawWebhook sample() {
        return new RawWebhook(Source.UNKNOWN, "warm-up", Instant.EPOCH, "warm-up", null, null, null, null, null,
                Map.of(), ByteBuffer.allocate(0), new Authentication(AuthScheme.UNKNOWN, "warm-up"));
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
        public void close() {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
