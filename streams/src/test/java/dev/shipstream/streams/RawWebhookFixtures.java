package dev.shipstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipstream.schemas.AuthScheme;
import dev.shipstream.schemas.Authentication;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Source;
import dev.shipstream.schemas.keys.EntityKeys;
import dev.shipstream.schemas.serde.AvroDeserializer;
import dev.shipstream.schemas.serde.AvroSerdeConfig;
import dev.shipstream.schemas.serde.AvroSerializer;
import dev.shipstream.testsupport.KafkaPlatform;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the streams integration tests share: the payloads under {@code src/test/resources/payloads} published as the
 * ingress would (an Avro {@link RawWebhook} keyed by its entity), and the clients that write and read the real
 * broker and ask the streams app's HTTP server.
 */
final class RawWebhookFixtures {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private RawWebhookFixtures() {
    }

    /** Publishes a fixture as the ingress would, and waits for the broker's acknowledgement. */
    static void send(KafkaProducer<String, byte[]> producer, AvroSerializer<RawWebhook> serializer, String topic,
            String fixture) throws Exception {
        producer.send(new ProducerRecord<>(topic, key(fixture), serializer.serialize(topic, webhook(fixture)))).get();
    }

    /** A fixture as the ingress would wrap it. */
    static RawWebhook webhook(String fixture) {
        return RawWebhook.newBuilder()
                .setSource(sourceOf(fixture))
                .setEndpointId("default")
                .setReceivedAt(Instant.now())
                .setRequestId("it-" + fixture)
                .setBody(ByteBuffer.wrap(payload(fixture)))
                .setAuthentication(new Authentication(AuthScheme.HMAC_SHA256, "s1"))
                .build();
    }

    /** The record key the ingress would give a fixture. */
    static String key(String fixture) {
        return EntityKeys.keyOf(sourceOf(fixture), payload(fixture));
    }

    /** The source whose route receives a fixture, from its folder. */
    static Source sourceOf(String fixture) {
        return fixture.startsWith("asc/") ? Source.APP_STORE_CONNECT
                : fixture.startsWith("eas/") ? Source.EAS : Source.APPFLOW;
    }

    static byte[] payload(String fixture) {
        try (InputStream in = RawWebhookFixtures.class.getResourceAsStream("/payloads/" + fixture)) {
            assertThat(in).as(fixture).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static KafkaProducer<String, byte[]> producer(KafkaPlatform platform) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    static AvroSerializer<RawWebhook> rawSerializer(KafkaPlatform platform) {
        AvroSerializer<RawWebhook> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, platform.schemaRegistryUrl()), false);
        return serializer;
    }

    /** A {@code read_committed} reader of a topic's Avro values, from its beginning, in a group of its own. */
    static <T> KafkaConsumer<String, T> consumer(KafkaPlatform platform, String topic) {
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

    static HttpResponse<String> get(StreamsApp app, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
