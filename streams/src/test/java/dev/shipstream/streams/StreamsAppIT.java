package dev.shipstream.streams;

import dev.shipstream.schemas.DeadLetter;
import dev.shipstream.schemas.DeadLetterReason;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.serde.AvroSerializer;
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

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.shipstream.streams.RawWebhookFixtures.bytes;
import static dev.shipstream.streams.RawWebhookFixtures.consumer;
import static dev.shipstream.streams.RawWebhookFixtures.get;
import static dev.shipstream.streams.RawWebhookFixtures.key;
import static dev.shipstream.streams.RawWebhookFixtures.producer;
import static dev.shipstream.streams.RawWebhookFixtures.rawSerializer;
import static dev.shipstream.streams.RawWebhookFixtures.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The streams app on a real KRaft broker and the development registry, with its own topics: every webhook comes out
 * once on the events topic (read_committed), duplicates are dropped, a garbage record lands in the dead-letter topic
 * with its bytes and the records after it still flow; health and metrics answer over HTTP.
 */
@ExtendWith(KafkaPlatformExtension.class)
class StreamsAppIT {

    private static final List<String> FIXTURES = List.of(
            "asc/buildUploadStateUpdated-failed.json",
            "asc/webhookPingCreated-community.json",
            "asc/betaFeedbackCrashSubmissionCreated.json",
            "eas/build-errored.json",
            "eas/submit-errored.json",
            "appflow/deploy-success.json");
    private static final List<String> AFTER_GARBAGE = List.of(
            "asc/alternativeDistributionPackageAvailableUpdated.json",
            "asc/backgroundAssetVersionStateUpdated-failed.json");
    private static final Duration BOUND = Duration.ofSeconds(90);

    @TempDir
    Path stateDir;

    @Test
    void eventsComeOutOnceGarbageIsDeadLetteredAndLaterRecordsStillFlow(KafkaPlatform platform) throws Exception {
        // Step 1: topics of this test only, and the app reading them.
        String raw = platform.uniqueName("raw");
        String events = platform.uniqueName("events");
        String dead = platform.uniqueName("dead");
        platform.createTopic(raw, 3);
        platform.createTopic(events, 3);
        platform.createTopic(dead, 1);
        StreamsSettings settings = new StreamsSettings(platform.bootstrapServers(), platform.schemaRegistryUrl(),
                platform.uniqueName("streams-it"), stateDir, Duration.ofDays(7), Duration.ofMillis(100), raw, events,
                dead, 1, 1, "127.0.0.1", 0);
        byte[] garbage = "\u0000garbage that is not avro".getBytes(StandardCharsets.UTF_8);

        try (StreamsApp app = StreamsApp.start(settings, Map.of());
             KafkaProducer<String, byte[]> producer = producer(platform);
             KafkaConsumer<String, DeliveryEvent> eventConsumer = consumer(platform, events);
             KafkaConsumer<String, DeadLetter> deadConsumer = consumer(platform, dead);
             AvroSerializer<RawWebhook> serializer = rawSerializer(platform)) {
            await().atMost(BOUND).until(() -> app.state() == KafkaStreams.State.RUNNING);
            // What the devstack waits for before its banner: the first settled state, here RUNNING.
            assertThat(app.firstSettledState().toCompletableFuture().get(BOUND.toMillis(), TimeUnit.MILLISECONDS))
                    .isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(get(app, "/health/ready").statusCode()).isEqualTo(200);

            // Step 2: every webhook twice, then garbage, then more webhooks.
            for (int round = 0; round < 2; round++) {
                for (String fixture : FIXTURES) {
                    send(producer, serializer, raw, fixture);
                }
            }
            producer.send(new ProducerRecord<>(raw, "garbage-key", garbage)).get();
            for (String fixture : AFTER_GARBAGE) {
                send(producer, serializer, raw, fixture);
            }

            // Step 3: each event exactly once, committed.
            List<DeliveryEvent> out = new ArrayList<>();
            int expected = FIXTURES.size() + AFTER_GARBAGE.size();
            await().atMost(BOUND).untilAsserted(() -> {
                eventConsumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
                assertThat(out).hasSizeGreaterThanOrEqualTo(expected);
            });
            // Duplicates would arrive within a few commit intervals of the originals; give them that chance.
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                eventConsumer.poll(Duration.ofMillis(100)).forEach(r -> out.add(r.value()));
                assertThat(out).hasSize(expected);
            });
            assertThat(out).extracting(e -> e.getSource() + ":" + e.getEventId()).doesNotHaveDuplicates();
            assertThat(out).extracting(DeliveryEvent::getEntityKey).contains(
                    key("asc/alternativeDistributionPackageAvailableUpdated.json"),
                    key("asc/backgroundAssetVersionStateUpdated-failed.json"));

            // Step 4: the garbage, with its bytes, in the dead-letter topic.
            List<ConsumerRecord<String, DeadLetter>> letters = new ArrayList<>();
            await().atMost(BOUND).untilAsserted(() -> {
                deadConsumer.poll(Duration.ofMillis(200)).forEach(letters::add);
                assertThat(letters).hasSize(1);
            });
            DeadLetter letter = letters.get(0).value();
            assertThat(letters.get(0).key()).isEqualTo("garbage-key");
            assertThat(letter.getReason()).isEqualTo(DeadLetterReason.DESERIALIZATION_FAILED);
            assertThat(letter.getTopic()).isEqualTo(raw);
            assertThat(bytes(letter.getOriginalValue())).isEqualTo(garbage);
            assertThat(letter.getApplication()).isEqualTo(settings.applicationId());

            // Step 5: the metrics say so too.
            String metrics = get(app, "/metrics").body();
            assertThat(metrics).contains("shipstream_streams_deadletters_total{reason=\"DESERIALIZATION_FAILED\"} 1.0");
            assertThat(metrics).contains("kafka_stream_");
            assertThat(get(app, "/health/live").statusCode()).isEqualTo(200);
        }
    }
}
