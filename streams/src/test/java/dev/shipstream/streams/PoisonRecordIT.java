package dev.shipstream.streams;

import dev.shipstream.schemas.AuthScheme;
import dev.shipstream.schemas.Authentication;
import dev.shipstream.schemas.DeadLetter;
import dev.shipstream.schemas.DeadLetterReason;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Source;
import dev.shipstream.schemas.keys.EntityKeys;
import dev.shipstream.schemas.serde.AvroDeserializer;
import dev.shipstream.schemas.serde.AvroSerdeConfig;
import dev.shipstream.schemas.serde.AvroSerializer;
import dev.shipstream.schemas.serde.WireFormat;
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
    private static final HttpClient HTTP = HttpClient.newHttpClient();

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

    private static RawWebhook webhook(String fixture) {
        return RawWebhook.newBuilder()
                .setSource(sourceOf(fixture))
                .setEndpointId("default")
                .setReceivedAt(Instant.now())
                .setRequestId("poison-it-" + fixture)
                .setBody(ByteBuffer.wrap(payload(fixture)))
                .setAuthentication(new Authentication(AuthScheme.HMAC_SHA256, "s1"))
                .build();
    }

    private static String key(String fixture) {
        return EntityKeys.keyOf(sourceOf(fixture), payload(fixture));
    }

    private static Source sourceOf(String fixture) {
        return fixture.startsWith("asc/") ? Source.APP_STORE_CONNECT : Source.EAS;
    }

    private static byte[] payload(String fixture) {
        try (InputStream in = PoisonRecordIT.class.getResourceAsStream("/payloads/" + fixture)) {
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
