package dev.shipstream.ingress;

import static dev.shipstream.ingress.TestRequests.appleSignature;
import static dev.shipstream.ingress.TestRequests.get;
import static dev.shipstream.ingress.TestRequests.post;
import static dev.shipstream.ingress.TestRequests.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.shipstream.ingress.http.AccessLines;
import dev.shipstream.ingress.verify.WebhookSecret;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Topics;
import dev.shipstream.schemas.serde.AvroDeserializer;
import dev.shipstream.schemas.serde.AvroSerdeConfig;
import dev.shipstream.testsupport.KafkaPlatform;
import dev.shipstream.testsupport.KafkaPlatformExtension;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ingress against a real KRaft broker and the development schema registry: what a 200 promises is in the topic,
 * byte for byte and keyed by entity; a 401 writes nothing; a stopped broker means 503 within the publish timeout,
 * and the provider's retry after the broker is back is stored.
 */
@ExtendWith(KafkaPlatformExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngressIT {

    private static final String SECRET = "canary-it-asc-91c3e7b5";
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(3);
    private static final String TOPIC = Topics.WEBHOOKS_RAW.name();

    private IngressServer server;
    private KafkaConsumer<String, RawWebhook> consumer;
    private final ByteArrayOutputStream accessLines = new ByteArrayOutputStream();

    @BeforeAll
    void start(KafkaPlatform platform) {
        platform.createTopic(TOPIC, Topics.WEBHOOKS_RAW.partitions());
        Map<WebhookSource, Long> limits = new EnumMap<>(WebhookSource.class);
        for (WebhookSource source : WebhookSource.values()) {
            limits.put(source, IngressConfig.DEFAULT_BODY_LIMIT_BYTES);
        }
        IngressConfig config = new IngressConfig("127.0.0.1", 0, 1, limits, Duration.ofSeconds(10),
                Duration.ofSeconds(10), PUBLISH_TIMEOUT, 1000, platform.bootstrapServers(),
                platform.schemaRegistryUrl(), Map.of(), true, List.of(new EndpointConfig(
                WebhookSource.APP_STORE_CONNECT, "default", List.of(WebhookSecret.of("v1", SECRET)), List.of())));
        // The access lines' own writer, as the standalone ingress uses it, into a stream the tests read.
        server = IngressServer.start(config, Map.of(), AccessLines.writer(accessLines));

        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, platform.schemaRegistryUrl());
        props.put(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true);
        AvroDeserializer<RawWebhook> values = new AvroDeserializer<>();
        values.configure(props, false);
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), values);
        List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
        consumer.assign(partitions);
        // Other tests of this JVM may write the same topic: read only what is written from now on.
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    @AfterAll
    void stop() {
        if (consumer != null) {
            consumer.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> postSigned(byte[] body, String signature) {
        return send(post(server.port(), "/webhooks/app-store-connect/default", body,
                "Content-Type", "application/json", "x-apple-signature", signature));
    }

    /** Reads new records until one has {@code requestId}; returns every record read on the way. */
    private List<ConsumerRecord<String, RawWebhook>> readUntil(String requestId) {
        List<ConsumerRecord<String, RawWebhook>> read = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            return read.stream().anyMatch(r -> r.value().getRequestId().equals(requestId));
        });
        return read;
    }

    private static byte[] bytes(RawWebhook value) {
        byte[] body = new byte[value.getBody().remaining()];
        value.getBody().duplicate().get(body);
        return body;
    }

    private static String requestId(HttpResponse<String> response) {
        return response.headers().firstValue("X-Request-Id").orElseThrow();
    }

    @Test
    void signedRequestLandsInTheTopicByteIdenticalAndKeyedByEntity() {
        byte[] body = Seeds.bytes("asc-build-upload-complete.json");

        HttpResponse<String> response = postSigned(body, appleSignature(SECRET, body));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"accepted\":true,\"id\":\"" + requestId(response) + "\"}");
        ConsumerRecord<String, RawWebhook> record = readUntil(requestId(response)).stream()
                .filter(r -> r.value().getRequestId().equals(requestId(response))).findFirst().orElseThrow();
        assertThat(record.key()).isEqualTo("asc:buildUploads:xxx-xx-xx-xx-xxx");
        assertThat(bytes(record.value())).isEqualTo(body);
        assertThat(record.value().getAuthentication().getSecretId()).isEqualTo("v1");
        await().atMost(Duration.ofSeconds(10)).until(() -> accessLines.toString(StandardCharsets.UTF_8).contains(
                requestId(response) + " 127.0.0.1 POST /webhooks/app-store-connect/default 200 "));
        String line = accessLines.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains(requestId(response))).findFirst().orElseThrow();
        Matcher parts = Pattern.compile("(\\S+) (\\S+) 127\\.0\\.0\\.1 POST /webhooks/app-store-connect/default 200 "
                + "(\\d+)B (\\d+)us").matcher(line);
        assertThat(parts.matches()).as(line).isTrue();
        // The line's time is when the request began, the milliseconds its version-7 id holds too.
        assertThat(Instant.parse(parts.group(1)).toEpochMilli())
                .isEqualTo(UUID.fromString(parts.group(2)).getMostSignificantBits() >>> 16);
        assertThat(Long.parseLong(parts.group(3))).isEqualTo(response.body().length());
    }

    @Test
    void servesOnTheNativeTransportByDefaultWhereItShipsOne() {
        assumeTrue(TransportTest.shipsNativeLibrary(), "no native transport shipped for this platform");

        // The server of this class has the default configuration: the other tests' requests go over epoll too.
        assertThat(server.nativeTransport()).isTrue();
    }

    @Test
    void wronglySignedRequestWritesNothing() {
        byte[] body = Seeds.bytes("asc-ping.json");

        HttpResponse<String> rejected = postSigned(body, appleSignature("some-other-secret", body));
        HttpResponse<String> marker = postSigned(body, appleSignature(SECRET, body));

        assertThat(rejected.statusCode()).isEqualTo(401);
        assertThat(marker.statusCode()).isEqualTo(200);
        List<ConsumerRecord<String, RawWebhook>> read = readUntil(requestId(marker));
        assertThat(read).extracting(r -> r.value().getRequestId()).doesNotContain(requestId(rejected));
        await().atMost(Duration.ofSeconds(10)).until(() -> accessLines.toString(StandardCharsets.UTF_8).contains(
                requestId(rejected) + " 127.0.0.1 POST /webhooks/app-store-connect/default 401 "));
    }

    @Test
    void stoppedBrokerMeans503WithinTheBoundAndTheRetryIsStoredOnceItIsBack(KafkaPlatform platform) {
        byte[] body = Seeds.bytes("asc-app-store-version-state.json");
        String signature = appleSignature(SECRET, body);
        HttpResponse<String> whileDown;
        long took;
        platform.stopBroker();
        try {
            long start = System.nanoTime();
            whileDown = postSigned(body, signature);
            took = System.nanoTime() - start;
            assertThat(send(get(server.port(), "/health/ready")).statusCode()).isEqualTo(503);
        } finally {
            platform.startBroker();
        }

        assertThat(whileDown.statusCode()).isEqualTo(503);
        assertThat(whileDown.headers().firstValue("Retry-After")).isPresent();
        assertThat(Duration.ofNanos(took)).isLessThan(PUBLISH_TIMEOUT.plusSeconds(2));

        // The provider retries the same delivery until it gets a 200.
        AtomicReference<HttpResponse<String>> retried = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            retried.set(postSigned(body, signature));
            return retried.get().statusCode() == 200;
        });
        ConsumerRecord<String, RawWebhook> stored = readUntil(requestId(retried.get())).stream()
                .filter(r -> r.value().getRequestId().equals(requestId(retried.get()))).findFirst().orElseThrow();
        assertThat(bytes(stored.value())).isEqualTo(body);
        assertThat(stored.key()).isEqualTo("asc:appStoreVersions:xxx-xx-xx-xx-xxx");
        await().atMost(Duration.ofSeconds(10)).until(() -> send(get(server.port(), "/health/ready")).statusCode() == 200);
    }
}
