package dev.shipstream.streams.errors;

import dev.shipstream.schemas.DeadLetter;
import dev.shipstream.schemas.serde.AvroDeserializer;
import dev.shipstream.schemas.serde.AvroSerdeConfig;
import dev.shipstream.schemas.serde.AvroSerializer;
import dev.shipstream.schemas.serde.InMemorySchemaRegistryClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/** A {@link DeadLetters} over an in-memory registry, and a reader for the records the handlers return. */
final class DeadLetterFixture {

    static final String TOPIC = "test.deadletter";
    static final String APPLICATION = "test-app";
    static final Instant NOW = Instant.parse("2026-03-04T05:06:07.089Z");

    final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final DeadLetterMetrics metrics = new DeadLetterMetrics(meters);
    final DeadLetters deadLetters = new DeadLetters(TOPIC, APPLICATION, new AvroSerializer<>(registry, Map.of()),
            metrics, Clock.fixed(NOW, ZoneOffset.UTC));

    Map<String, Object> configs() {
        return Map.of(DeadLetters.CONFIG, deadLetters, "application.id", APPLICATION);
    }

    DeadLetter read(ProducerRecord<byte[], byte[]> record) {
        return new AvroDeserializer<DeadLetter>(registry, Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true))
                .deserialize(record.topic(), record.value());
    }

    static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
