package dev.shipstream.ingress;

import static dev.shipstream.ingress.TestRequests.appleSignature;
import static dev.shipstream.ingress.TestRequests.post;
import static dev.shipstream.ingress.TestRequests.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shipstream.ingress.verify.WebhookSecret;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Topics;
import dev.shipstream.schemas.serde.AvroDeserializer;
import dev.shipstream.schemas.serde.AvroSerdeConfig;
import dev.shipstream.testsupport.KafkaPlatform;
import dev.shipstream.testsupport.KafkaPlatformExtension;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Record size on the real broker: a body at its limit, with large headers, is stored; a body the broker cannot take
 * (just under the default 1 MiB limit, which the broker's default {@code message.max.bytes} cannot carry once the
 * envelope is added) is answered 413, which providers do not retry, never 503.
 */
@ExtendWith(KafkaPlatformExtension.class)
class RecordSizeIT {

    private static final String SECRET = "canary-it-record-size-4b7d";
    private static final String TOPIC = Topics.WEBHOOKS_RAW.name();

    private IngressServer server;
    private KafkaConsumer<String, RawWebhook> consumer;

    @BeforeEach
    void consumer(KafkaPlatform platform) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(4 * 1024 * 1024));
        props.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, platform.schemaRegistryUrl());
        props.put(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true);
        AvroDeserializer<RawWebhook> values = new AvroDeserializer<>();
        values.configure(props, false);
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), values);
        List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    @AfterEach
    void stop() {
        consumer.close();
        if (server != null) {
            server.close();
        }
    }

    private void start(KafkaPlatform platform, long bodyLimit) {
        Map<WebhookSource, Long> limits = new EnumMap<>(WebhookSource.class);
        for (WebhookSource source : WebhookSource.values()) {
            limits.put(source, bodyLimit);
        }
        server = IngressServer.start(new IngressConfig("127.0.0.1", 0, 1, limits, Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofSeconds(5), 1000, platform.bootstrapServers(),
                platform.schemaRegistryUrl(), Map.of(), false, List.of(new EndpointConfig(
                WebhookSource.APP_STORE_CONNECT, "default", List.of(WebhookSecret.of("v1", SECRET)), List.of()))),
                Map.of());
    }

    /** A JSON body of exactly {@code size} bytes. */
    private static byte[] body(int size) {
        String head = "{\"data\":{\"type\":\"webhookPingCreated\",\"id\":\"size-it\",\"pad\":\"";
        String tail = "\"}}";
        return (head + "x".repeat(size - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
    }

    private HttpResponse<String> postSigned(byte[] body, String... headers) {
        List<String> all = new ArrayList<>(List.of("Content-Type", "application/json",
                "x-apple-signature", appleSignature(SECRET, body)));
        all.addAll(List.of(headers));
        return send(post(server.port(), "/webhooks/app-store-connect/default", body, all.toArray(String[]::new)));
    }

    @Test
    void aBodyAtItsLimitWithLargeHeadersIsStored(KafkaPlatform platform) {
        int limit = 256 * 1024;
        start(platform, limit);
        byte[] body = body(limit);

        HttpResponse<String> response = postSigned(body, "User-Agent", "u".repeat(6000),
                "x-apple-request-uuid", "r".repeat(3000), "X-Forwarded-For", "f".repeat(3000));

        assertThat(response.statusCode()).isEqualTo(200);
        String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
        List<ConsumerRecord<String, RawWebhook>> read = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            return read.stream().anyMatch(r -> r.value().getRequestId().equals(requestId));
        });
        RawWebhook stored = read.stream().map(ConsumerRecord::value)
                .filter(v -> v.getRequestId().equals(requestId)).findFirst().orElseThrow();
        assertThat(stored.getBody().remaining()).isEqualTo(limit);
        assertThat(stored.getUserAgent()).hasSize(6000);
    }

    @Test
    void aBodyJustUnderAOneMebibyteLimitThatTheBrokerRefusesIs413NotRetryable(KafkaPlatform platform) {
        // The broker's default message.max.bytes (1,048,588) cannot hold a 1 MiB body and its envelope.
        int limit = 1024 * 1024;
        start(platform, limit);
        byte[] body = body(limit - 100);

        HttpResponse<String> response = postSigned(body);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Retry-After")).isEmpty();
        assertThat(response.body()).isEqualTo("{\"error\":\"payload_too_large\"}");
    }
}
