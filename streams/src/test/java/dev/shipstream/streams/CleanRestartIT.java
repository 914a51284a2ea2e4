package dev.shipstream.streams;

import static dev.shipstream.streams.RawWebhookFixtures.consumer;
import static dev.shipstream.streams.RawWebhookFixtures.producer;
import static dev.shipstream.streams.RawWebhookFixtures.rawSerializer;
import static dev.shipstream.streams.RawWebhookFixtures.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.serde.AvroSerializer;
import dev.shipstream.testsupport.CapturedLogs;
import dev.shipstream.testsupport.KafkaPlatform;
import dev.shipstream.testsupport.KafkaPlatformExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clean stop and a start on the same state directory, as {@code ./shipstream dev} does on every restart: under
 * exactly-once the second start must reuse the local stores as they were left, not declare tasks corrupted and
 * rebuild them from the changelogs. The topology has tasks whose window stores never saw a record next to stores
 * that did (fewer records than partitions, and metric stores that only some events reach), the case Kafka Streams
 * 4.3.1 took for a crash.
 */
@ExtendWith(KafkaPlatformExtension.class)
class CleanRestartIT {

    private static final List<String> BEFORE_STOP = List.of(
            "asc/buildUploadStateUpdated-failed.json",
            "asc/webhookPingCreated-community.json",
            "eas/build-errored.json");
    private static final String AFTER_RESTART = "appflow/deploy-success.json";
    private static final Duration BOUND = Duration.ofSeconds(90);

    @TempDir
    Path stateDir;

    @Test
    void restartAfterCleanStopReusesLocalStateWithoutTaskCorruption(KafkaPlatform platform) throws Exception {
        String raw = platform.uniqueName("raw");
        String events = platform.uniqueName("events");
        String dead = platform.uniqueName("dead");
        platform.createTopic(raw, 6);
        platform.createTopic(events, 6);
        platform.createTopic(dead, 1);
        StreamsSettings settings = new StreamsSettings(platform.bootstrapServers(), platform.schemaRegistryUrl(),
                platform.uniqueName("restart-it"), stateDir, Duration.ofDays(7), Duration.ofMillis(100), raw, events,
                dead, 1, 1, "127.0.0.1", 0);

        try (KafkaProducer<String, byte[]> producer = producer(platform);
             AvroSerializer<RawWebhook> serializer = rawSerializer(platform);
             KafkaConsumer<String, DeliveryEvent> eventConsumer = consumer(platform, events)) {
            List<DeliveryEvent> out = new ArrayList<>();

            // First run: a few events through, then a clean stop.
            try (StreamsApp app = StreamsApp.start(settings, Map.of())) {
                await().atMost(BOUND).until(() -> app.state() == KafkaStreams.State.RUNNING);
                for (String fixture : BEFORE_STOP) {
                    send(producer, serializer, raw, fixture);
                }
                await().atMost(BOUND).untilAsserted(() -> {
                    eventConsumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
                    assertThat(out).hasSize(BEFORE_STOP.size());
                });
            }

            // Second run on the same state directory.
            try (CapturedLogs logs = CapturedLogs.capture();
                 StreamsApp app = StreamsApp.start(settings, Map.of())) {
                await().atMost(BOUND).until(() -> app.state() == KafkaStreams.State.RUNNING);
                // A duplicate of an event from before the stop, then a new one: only the new one comes out, so the
                // dedup store still knows the old ids and every task is processing again.
                send(producer, serializer, raw, BEFORE_STOP.get(0));
                send(producer, serializer, raw, AFTER_RESTART);
                await().atMost(BOUND).untilAsserted(() -> {
                    eventConsumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
                    assertThat(out).hasSize(BEFORE_STOP.size() + 1);
                });
                await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                    eventConsumer.poll(Duration.ofMillis(100)).forEach(r -> out.add(r.value()));
                    assertThat(out).hasSize(BEFORE_STOP.size() + 1);
                });

                assertThat(logs.lines()).as("log lines of the second start")
                        .filteredOn(line -> line.contains("TaskCorruptedException") || line.contains("corrupted"))
                        .isEmpty();
                assertThat(app.meterRegistry().get(StateRestores.NAME).counter().count())
                        .as("records restored from changelogs after a clean stop").isZero();
            }
        }
    }
}
