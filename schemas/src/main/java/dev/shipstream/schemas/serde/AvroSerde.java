package dev.shipstream.schemas.serde;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * An {@link AvroSerializer} and an {@link AvroDeserializer} sharing one registry client, for Kafka Streams.
 *
 * <p>With no arguments (e.g. as {@code default.value.serde}) it is {@link #configure configured} by Kafka, builds
 * one client from {@code schema.registry.url}, and closes it on {@link #close()}. Given a client, it uses that one
 * and leaves closing it to the caller. {@link #specific} builds the usual Streams serde of a generated class.
 */
public class AvroSerde<T> implements Serde<T> {

    private SchemaRegistryClient client;
    private boolean ownsClient;
    private AvroSerializer<T> serializer;
    private AvroDeserializer<T> deserializer;

    /** For Kafka: configured by {@link #configure(Map, boolean)}. */
    public AvroSerde() {
    }

    /** A value serde using this client (which the caller closes), with the default configuration. */
    public AvroSerde(SchemaRegistryClient client) {
        this.client = Objects.requireNonNull(client, "client");
        apply(new AvroSerdeConfig(Map.of()), false);
    }

    /** A key or value serde using this client (which the caller closes), configured at once. */
    public AvroSerde(SchemaRegistryClient client, Map<String, ?> configs, boolean isKey) {
        this.client = Objects.requireNonNull(client, "client");
        apply(new AvroSerdeConfig(configs), isKey);
    }

    /**
     * A serde of a generated record class: {@code specific.avro.reader} is forced to true, the other keys are read
     * from {@code configs}.
     */
    public static <T extends SpecificRecord> AvroSerde<T> specific(SchemaRegistryClient client,
                                                                   Map<String, ?> configs, boolean isKey) {
        Map<String, Object> withSpecificReader = new HashMap<>(configs);
        withSpecificReader.put(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true);
        return new AvroSerde<>(client, withSpecificReader, isKey);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig parsed = new AvroSerdeConfig(configs);
        if (client == null) {
            client = SchemaRegistryClients.fromConfig(parsed);
            ownsClient = true;
        }
        apply(parsed, isKey);
    }

    private void apply(AvroSerdeConfig config, boolean isKey) {
        serializer = new AvroSerializer<>(client, config, isKey);
        deserializer = new AvroDeserializer<>(client, config, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        requireConfigured();
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        requireConfigured();
        return deserializer;
    }

    @Override
    public void close() {
        if (ownsClient && client != null) {
            client.close();
        }
    }

    private void requireConfigured() {
        if (serializer == null) {
            throw new IllegalStateException("AvroSerde is not configured: call configure(configs, isKey) "
                    + "or construct it with a SchemaRegistryClient");
        }
    }
}
