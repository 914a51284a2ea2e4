package dev.shipstream.devstack;

import dev.shipstream.schemas.DeadLetterReason;
import dev.shipstream.schemas.serde.AvroSerializer;
import dev.shipstream.schemas.serde.SchemaRegistryClient;
import dev.shipstream.schemas.serde.SchemaRegistryClients;
import dev.shipstream.schemas.serde.AvroSerdeConfig;
import dev.shipstream.streams.errors.DeadLetterMetrics;
import dev.shipstream.streams.errors.DeadLetters;
import dev.shipstream.streams.errors.FailedRecord;
import dev.shipstream.testsupport.KafkaPlatform;
import dev.shipstream.testsupport.KafkaPlatformExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./shipstream deadletters} on a real KRaft broker and the development registry, against dead letters
 * written the way the streams app writes them ({@link DeadLetters}): list and show them, then replay them and find
 * the original key, value and headers, byte for byte, on the original topic and partition.
 */
@ExtendWith(KafkaPlatformExtension.class)
class DeadLettersCommandIT {

    private static final byte[] TEXT_VALUE = "{\"data\": {\"id\": \"broken\"".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BINARY_VALUE = {0, 0, 0, 0, 42, (byte) 0xff, 1, 2};
    private static final String SECRET = "sha256=not-for-the-terminal";

    @Test
    void listsShowsAndReplaysDeadLettersByteForByte(KafkaPlatform platform) throws Exception {
        String original = platform.uniqueName("raw");
        String dead = platform.uniqueName("deadletter");
        platform.createTopic(original, 3);
        platform.createTopic(dead, 1);
        writeDeadLetters(platform, original, dead);
        List<String> connection = List.of("--bootstrap", platform.bootstrapServers(),
                "--registry", platform.schemaRegistryUrl(), "--topic", dead);

        // list: both, newest last; a reason filter keeps one.
        String listed = run(connection, "list");
        assertThat(listed).contains("UNPARSEABLE_PAYLOAD", original + "-2@17", String.valueOf(TEXT_VALUE.length))
                .contains("DESERIALIZATION_FAILED", original + "-0@18")
                .contains("2 dead letter(s)");
        assertThat(run(connection, "list", "--reason", "deserialization_failed"))
                .doesNotContain("UNPARSEABLE_PAYLOAD").contains("1 dead letter(s)");
        assertThat(run(connection, "list", "--limit", "1")).doesNotContain("UNPARSEABLE_PAYLOAD")
                .contains("DESERIALIZATION_FAILED");

        // show: metadata and payload, text or hex; headers counted, never printed.
        String text = run(connection, "show", "0");
        assertThat(text).contains("reason       UNPARSEABLE_PAYLOAD", "original     " + original + "-2@17",
                "headers      1 (not shown", "{\"data\": {\"id\": \"broken\"", "asc:builds:7");
        assertThat(text).doesNotContain(SECRET).doesNotContain("x-signature");
        assertThat(run(connection, "show", "1")).contains("hex:\n00000000" + "2aff0102");

        // replay: exact bytes and headers on the original partition.
        assertThat(run(connection, "replay", "0")).contains("replayed 0", "-> " + original + "-2@");
        assertThat(run(connection, "replay", "--all", "--reason", "DESERIALIZATION_FAILED"))
                .contains("replayed 1", "1 replayed, 0 skipped");
        List<ConsumerRecord<byte[], byte[]>> replayed = readAll(platform, original, 2);
        ConsumerRecord<byte[], byte[]> first = replayed.stream().filter(r -> r.partition() == 2).findFirst()
                .orElseThrow();
        assertThat(first.key()).isEqualTo("asc:builds:7".getBytes(StandardCharsets.UTF_8));
        assertThat(first.value()).isEqualTo(TEXT_VALUE);
        assertThat(first.headers().lastHeader("x-signature").value())
                .isEqualTo(SECRET.getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<byte[], byte[]> second = replayed.stream().filter(r -> r.partition() == 0).findFirst()
                .orElseThrow();
        assertThat(second.value()).isEqualTo(BINARY_VALUE);
        assertThat(second.key()).isNull();
    }

    @Test
    void saysSoWhenThereIsNoSuchDeadLetter(KafkaPlatform platform) {
        String dead = platform.uniqueName("deadletter");
        platform.createTopic(dead, 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = DeadLettersCommand.run(List.of("show", "5", "--bootstrap", platform.bootstrapServers(),
                "--registry", platform.schemaRegistryUrl(), "--topic", dead), new PrintStream(out, true),
                new PrintStream(new ByteArrayOutputStream(), true));

        assertThat(status).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("no dead letter at 5");
    }

    private static void writeDeadLetters(KafkaPlatform platform, String original, String dead) throws Exception {
        SchemaRegistryClient registry = SchemaRegistryClients.fromConfig(
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, platform.schemaRegistryUrl()));
        DeadLetters deadLetters = new DeadLetters(dead, "deadletters-it", new AvroSerializer<>(registry, Map.of()),
                new DeadLetterMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
        RecordHeaders headers = new RecordHeaders();
        headers.add("x-signature", SECRET.getBytes(StandardCharsets.UTF_8));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(), ProducerConfig.ACKS_CONFIG,
                "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(deadLetters.producerRecord(new FailedRecord(original, 2, 17L,
                    "asc:builds:7".getBytes(StandardCharsets.UTF_8), TEXT_VALUE, headers),
                    DeadLetterReason.UNPARSEABLE_PAYLOAD, "could not normalise", null)).get();
            producer.send(deadLetters.producerRecord(new FailedRecord(original, 0, 18L, null, BINARY_VALUE),
                    DeadLetterReason.DESERIALIZATION_FAILED, "could not decode", null)).get();
        } finally {
            registry.close();
        }
    }

    private static String run(List<String> connection, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(connection);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DeadLettersCommand.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaPlatform platform, String topic, int count) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, platform.uniqueName("replay-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                assertThat(records).hasSize(count);
            });
        }
        return records;
    }
}
