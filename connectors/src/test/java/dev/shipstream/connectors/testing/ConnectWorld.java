package dev.shipstream.connectors.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import dev.shipstream.local.registry.DevSchemaRegistry;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.serde.AvroSerdeConfig;
import dev.shipstream.schemas.serde.AvroSerializer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/**
 * A one-worker Kafka Connect cluster (Connect's EmbeddedConnectCluster, with its own in-JVM KRaft broker), the
 * project's development schema registry on that broker, and a producer writing DeliveryEvents in the Confluent wire
 * format, as the streams app does. Optionally a {@code plugin.path}.
 */
public final class ConnectWorld implements AutoCloseable {

    public final EmbeddedConnectCluster connect;
    public final DevSchemaRegistry registry;
    private final KafkaProducer<String, byte[]> producer;
    private final AvroSerializer<DeliveryEvent> serializer;

    public ConnectWorld(String name, String pluginPath) {
        Map<String, String> workerProps = new HashMap<>();
        // Offsets are committed rarely, so a restarted task really gets its records again.
        workerProps.put("offset.flush.interval.ms", "600000");
        workerProps.put("plugin.discovery", "hybrid_warn");
        if (pluginPath != null) {
            workerProps.put("plugin.path", pluginPath);
        }
        connect = (EmbeddedConnectCluster) new EmbeddedConnectCluster.Builder()
                .name(name).numWorkers(1).numBrokers(1).brokerProps(new Properties()).workerProps(workerProps)
                .build();
        connect.start();
        registry = DevSchemaRegistry.builder().bootstrapServers(bootstrapServers()).port(0).build();
        registry.start();
        Map<String, Object> producerConfig = new HashMap<>();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
        serializer = new AvroSerializer<>();
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registry.baseUrl()), false);
    }

    public String bootstrapServers() {
        return connect.kafka().bootstrapServers();
    }

    /** Writes the event to {@code topic}, keyed by its entity key, and waits for the broker. */
    public void produce(String topic, DeliveryEvent event) {
        try {
            producer.send(new ProducerRecord<>(topic, event.getEntityKey(), serializer.serialize(topic, event))).get();
        } catch (Exception e) {
            throw new IllegalStateException("Could not produce to " + topic, e);
        }
    }

    /** The converter settings a connector needs to read our topics as Structs. */
    public Map<String, String> converterConfig() {
        Map<String, String> config = new HashMap<>();
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "dev.shipstream.schemas.connect.AvroConverter");
        config.put("value.converter.schema.registry.url", registry.baseUrl());
        return config;
    }

    @Override
    public void close() {
        producer.close();
        serializer.close();
        registry.close();
        connect.stop();
    }
}
