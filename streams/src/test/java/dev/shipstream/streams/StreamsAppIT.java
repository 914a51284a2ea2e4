package dev.shipstream.streams;

import dev.shipstream.schemas.AuthScheme;
import dev.shipstream.schemas.Authentication;
import dev.shipstream.schemas.DeadLetter;
import dev.shipstream.schemas.DeadLetterReason;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Source;
import dev.shipstream.schemas.serde.AvroDeserializer;
import dev.shipstream.schemas.serde.AvroSerdeConfig;
import dev.shipstream.schemas.serde.AvroSerializer;
import dev.shipstream.schemas.keys.EntityKeys;
import dev.shipstream.testsupport.KafkaPlatform;
import dev.shipstream.testsupport.KafkaPlatformExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    private static final HttpClient HTTP = HttpClient.newHttpClient();

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

    private static void send(KafkaProducer<String, byte[]> producer, AvroSerializer<RawWebhook> serializer,
                             String topic, String fixture) throws Exception {
        RawWebhook webhook = RawWebhook.newBuilder()
                .setSource(sourceOf(fixture))
                .setEndpointId("default")
                .setReceivedAt(Instant.now())
                .setRequestId("it-" + fixture)
                .setBody(ByteBuffer.wrap(payload(fixture)))
                .setAuthentication(new Authentication(AuthScheme.HMAC_SHA256, "s1"))
                .build();
        producer.send(new ProducerRecord<>(topic, key(fixture), serializer.serialize(topic, webhook))).get();
    }

    private static String key(String fixture) {
        return EntityKeys.key(sourceOf(fixture), EntityKeys.entityOf(sourceOf(fixture), payload(fixture)).orElseThrow());
    }

    private static Source sourceOf(String fixture) {
        return fixture.startsWith("asc/") ? Source.APP_STORE_CONNECT
                : fixture.startsWith("eas/") ? Source.EAS : Source.APPFLOW;
    }

    private static byte[] payload(String fixture) {
        try (InputStream in = StreamsAppIT.class.getResourceAsStream("/payloads/" + fixture)) {
            assertThat(in).as(fixture).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KafkaProducer<String, byte[]> producer(KafkaPlatform platform) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    private static AvroSerializer<RawWebhook> rawSerializer(KafkaPlatform platform) {
        AvroSerializer<RawWebhook> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, platform.schemaRegistryUrl()), false);
        return serializer;
    }

    private static <T> KafkaConsumer<String, T> consumer(KafkaPlatform platform, String topic) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, platform.uniqueName("it-reader"));
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, platform.schemaRegistryUrl());
        props.put(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true);
        AvroDeserializer<T> values = new AvroDeserializer<>();
        values.configure(props, false);
        KafkaConsumer<String, T> consumer = new KafkaConsumer<>(props, new StringDeserializer(), values);
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static HttpResponse<String> get(StreamsApp app, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
