package dev.shipstream.streams;

import dev.shipstream.schemas.DeadLetter;
import dev.shipstream.schemas.DeadLetterReason;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.serde.AvroSerializer;
import dev.shipstream.schemas.serde.WireFormat;
import dev.shipstream.testsupport.KafkaPlatform;
import dev.shipstream.testsupport.KafkaPlatformExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.shipstream.streams.RawWebhookFixtures.bytes;
import static dev.shipstream.streams.RawWebhookFixtures.consumer;
import static dev.shipstream.streams.RawWebhookFixtures.get;
import static dev.shipstream.streams.RawWebhookFixtures.key;
import static dev.shipstream.streams.RawWebhookFixtures.producer;
import static dev.shipstream.streams.RawWebhookFixtures.rawSerializer;
import static dev.shipstream.streams.RawWebhookFixtures.send;
import static dev.shipstream.streams.RawWebhookFixtures.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One poison record on the raw topic, on a real KRaft broker and the development registry: a 14-byte RawWebhook
 * whose first string declares 2,000,000,000 bytes. It is dead-lettered with its reason, the valid records on either
 * side of it come out as events, and the app stays RUNNING, live and ready. (Before the deserializer bounded what a
 * record may declare, the decoder allocated the two gigabytes: an OutOfMemoryError that killed every replacement
 * thread in turn until the client stayed in ERROR, with nothing after the record processed.)
 */
@ExtendWith(KafkaPlatformExtension.class)
class PoisonRecordIT {

    private static final String BEFORE = "asc/buildUploadStateUpdated-failed.json";
    private static final String AFTER = "eas/build-errored.json";
    private static final Duration BOUND = Duration.ofSeconds(90);

    @TempDir
    Path stateDir;

    @Test
    void aRecordDeclaringAHugeStringIsDeadLetteredAndTheRecordsAroundItStillFlow(KafkaPlatform platform)
            throws Exception {
        // Step 1: one partition, so the poison sits between the two valid records and would block the second.
        String raw = platform.uniqueName("raw");
        String events = platform.uniqueName("events");
        String dead = platform.uniqueName("dead");
        platform.createTopic(raw, 1);
        platform.createTopic(events, 1);
        platform.createTopic(dead, 1);
        StreamsSettings settings = new StreamsSettings(platform.bootstrapServers(), platform.schemaRegistryUrl(),
                platform.uniqueName("poison-it"), stateDir, Duration.ofDays(7), Duration.ofMillis(100), raw, events,
                dead, 1, 1, "127.0.0.1", 0);

        try (StreamsApp app = StreamsApp.start(settings, Map.of());
             KafkaProducer<String, byte[]> producer = producer(platform);
             KafkaConsumer<String, DeliveryEvent> eventConsumer = consumer(platform, events);
             KafkaConsumer<String, DeadLetter> deadConsumer = consumer(platform, dead);
             AvroSerializer<RawWebhook> serializer = rawSerializer(platform)) {
            await().atMost(BOUND).until(() -> app.state() == KafkaStreams.State.RUNNING);

            // Step 2: valid, poison (with the registered RawWebhook schema id), valid.
            byte[] before = serializer.serialize(raw, webhook(BEFORE));
            byte[] poison = poison(WireFormat.schemaId(before));
            assertThat(poison).hasSize(14);
            producer.send(new ProducerRecord<>(raw, key(BEFORE), before)).get();
            producer.send(new ProducerRecord<>(raw, "poison-key", poison)).get();
            producer.send(new ProducerRecord<>(raw, key(AFTER), serializer.serialize(raw, webhook(AFTER)))).get();

            // Step 3: both valid events come out, committed.
            List<DeliveryEvent> out = new ArrayList<>();
            await().atMost(BOUND).untilAsserted(() -> {
                eventConsumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
                assertThat(out).extracting(DeliveryEvent::getEntityKey).containsExactly(key(BEFORE), key(AFTER));
            });

            // Step 4: the poison, with its bytes and why, in the dead-letter topic.
            List<ConsumerRecord<String, DeadLetter>> letters = new ArrayList<>();
            await().atMost(BOUND).untilAsserted(() -> {
                deadConsumer.poll(Duration.ofMillis(200)).forEach(letters::add);
                assertThat(letters).hasSize(1);
            });
            DeadLetter letter = letters.get(0).value();
            assertThat(letters.get(0).key()).isEqualTo("poison-key");
            assertThat(letter.getReason()).isEqualTo(DeadLetterReason.DESERIALIZATION_FAILED);
            assertThat(letter.getMessage()).contains("declares a length of 2000000000 bytes");
            assertThat(bytes(letter.getOriginalValue())).isEqualTo(poison);

            // Step 5: still running, live and ready.
            assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(get(app, "/health/live").statusCode()).isEqualTo(200);
            assertThat(get(app, "/health/ready").statusCode()).isEqualTo(200);
        }
    }

    /** Magic byte, schema id, source symbol 0, then an endpointId whose length varint says 2,000,000,000. */
    private static byte[] poison(int schemaId) {
        return ByteBuffer.allocate(14).put(WireFormat.header(schemaId))
                .put(new byte[] {0, (byte) 0x80, (byte) 0xd0, (byte) 0xac, (byte) 0xf3, 0x0e, 'a', 'b', 'c'})
                .array();
    }
}
