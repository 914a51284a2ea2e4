package dev.shipstream.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipstream.ingress.verify.WebhookSecret;
import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTTP server's options: what the ingress's server does not do, so that no request pays for it. */
class IngressVerticleTest {

    private static IngressConfig config() {
        Map<WebhookSource, Long> limits = new EnumMap<>(WebhookSource.class);
        for (WebhookSource source : WebhookSource.values()) {
            limits.put(source, IngressConfig.DEFAULT_BODY_LIMIT_BYTES);
        }
        return new IngressConfig("127.0.0.1", 8080, 1, limits, Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofSeconds(3), 1000, "127.0.0.1:9092", "http://127.0.0.1:8081", Map.of(), true, List.of(
                new EndpointConfig(WebhookSource.APP_STORE_CONNECT, "default",
                        List.of(WebhookSecret.of("v1", "canary-options-test-5d1f")), List.of())));
    }

    @Test
    void servesHttp11OnlyWithoutCompressionOrWebSocketExtensions() {
        HttpServerOptions options = IngressVerticle.serverOptions(config());

        assertThat(options.isHttp2ClearTextEnabled()).isFalse();
        assertThat(options.isCompressionSupported()).isFalse();
        assertThat(options.isDecompressionSupported()).isFalse();
        assertThat(options.isHandle100ContinueAutomatically()).isFalse();
        // Either one puts Netty's WebSocket extension handler in front of every request of every connection.
        assertThat(options.getPerFrameWebSocketCompressionSupported()).isFalse();
        assertThat(options.getPerMessageWebSocketCompressionSupported()).isFalse();
        assertThat(options.getMaxHeaderSize()).isEqualTo(IngressVerticle.MAX_HEADER_SIZE);
        assertThat(options.getHost()).isEqualTo("127.0.0.1");
        assertThat(options.getPort()).isEqualTo(8080);
    }
}
