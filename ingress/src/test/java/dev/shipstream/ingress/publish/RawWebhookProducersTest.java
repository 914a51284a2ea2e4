package dev.shipstream.ingress.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shipstream.ingress.EndpointConfig;
import dev.shipstream.ingress.IngressConfig;
import dev.shipstream.ingress.WebhookSource;
import dev.shipstream.ingress.verify.WebhookSecret;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class RawWebhookProducersTest {

    private static final RecordEnvelope ENVELOPE =
            RecordEnvelope.of(16 * 1024, List.of("default"), List.of("v1"), List.of("content-type", "user-agent"));

    private static IngressConfig config(long largestBody, Map<String, String> producerProperties) {
        Map<WebhookSource, Long> limits = new EnumMap<>(WebhookSource.class);
        limits.put(WebhookSource.APP_STORE_CONNECT, largestBody);
        limits.put(WebhookSource.EAS, 1024L);
        limits.put(WebhookSource.APPFLOW, 2048L);
        return new IngressConfig("127.0.0.1", 0, 1, limits, Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofSeconds(5), 10_000, "127.0.0.1:9092", "mock://producers-test", producerProperties, false,
                List.of(new EndpointConfig(WebhookSource.APP_STORE_CONNECT, "default",
                        List.of(WebhookSecret.of("v1", "a-secret-of-some-length")), List.of())));
    }

    @Test
    void derivesMaxRequestSizeFromTheLargestBodyLimitAndTheEnvelope() {
        Map<String, Object> props = RawWebhookProducers.producerConfig(config(1024 * 1024, Map.of()), ENVELOPE,
                Map.of());

        long maxRequestSize = Long.parseLong((String) props.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        assertThat(maxRequestSize).isEqualTo(ENVELOPE.maxRequestSizeFor(1024 * 1024));
        assertThat(ENVELOPE.maxBodyFor(maxRequestSize)).isEqualTo(1024 * 1024);
    }

    @Test
    void refusesAMaxRequestSizeThatCannotCarryTheLargestBody() {
        IngressConfig config = config(1024 * 1024, Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "1048576"));

        assertThatThrownBy(() -> RawWebhookProducers.producerConfig(config, ENVELOPE, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kafka.producer.max.request.size (1048576)")
                .hasMessageContaining("at least " + ENVELOPE.maxRequestSizeFor(1024 * 1024))
                .hasMessageContaining("body limits at most " + ENVELOPE.maxBodyFor(1048576));
    }

    @Test
    void boundsPendingBytesToAQuarterOfTheProducersBufferMemory() {
        IngressConfig defaults = config(256 * 1024, Map.of());
        IngressConfig small = config(256 * 1024, Map.of(ProducerConfig.BUFFER_MEMORY_CONFIG, "4194304"));

        KafkaRawWebhookPublisher.Limits byDefault = RawWebhookProducers.limits(defaults,
                RawWebhookProducers.producerConfig(defaults, ENVELOPE, Map.of()));
        KafkaRawWebhookPublisher.Limits configured = RawWebhookProducers.limits(small,
                RawWebhookProducers.producerConfig(small, ENVELOPE, Map.of()));

        assertThat(byDefault.maxPendingBytes()).isEqualTo(32L * 1024 * 1024 / 4);
        assertThat(configured.maxPendingBytes()).isEqualTo(1024 * 1024);
        assertThat(byDefault.maxPending()).isEqualTo(10_000);
    }

    @Test
    void refusesABufferTooSmallForTheLargestRecord() {
        IngressConfig config = config(1024 * 1024, Map.of(ProducerConfig.BUFFER_MEMORY_CONFIG, "2097152"));
        Map<String, Object> props = RawWebhookProducers.producerConfig(config, ENVELOPE, Map.of());

        assertThatThrownBy(() -> RawWebhookProducers.limits(config, props))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("raise buffer.memory");
    }

    @Test
    void keepsMaxBlockShortAndWithinThePublishTimeout() {
        Map<String, Object> props = RawWebhookProducers.producerConfig(config(1024, Map.of()), ENVELOPE, Map.of());

        assertThat(Long.parseLong((String) props.get(ProducerConfig.MAX_BLOCK_MS_CONFIG)))
                .isEqualTo(RawWebhookProducers.DEFAULT_MAX_BLOCK_MS).isLessThanOrEqualTo(500);
    }
}
