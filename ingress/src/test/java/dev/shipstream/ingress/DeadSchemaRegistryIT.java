package dev.shipstream.ingress;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.shipstream.ingress.TestRequests.appleSignature;
import static dev.shipstream.ingress.TestRequests.get;
import static dev.shipstream.ingress.TestRequests.post;
import static dev.shipstream.ingress.TestRequests.send;
import static dev.shipstream.ingress.TestRequests.sendAsync;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.shipstream.ingress.publish.RawWebhookProducers;
import dev.shipstream.ingress.verify.WebhookSecret;
import dev.shipstream.schemas.serde.AvroSerdeConfig;
import dev.shipstream.testsupport.KafkaPlatform;
import dev.shipstream.testsupport.KafkaPlatformExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ingress on the real broker with a schema registry that accepts connections and never answers: no event loop
 * is ever blocked (the blocked-thread checker is set to 200 ms), webhooks get 503 + {@code Retry-After} at once,
 * liveness stays fast and readiness is false; once the registry answers, readiness turns true and webhooks are
 * accepted.
 */
@ExtendWith(KafkaPlatformExtension.class)
class DeadSchemaRegistryIT {

    private static final String SECRET = "canary-it-dead-registry-5e1f";
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(5);

    private WireMockServer registry;
    private BlockedEventLoops loops;
    private IngressServer server;

    @BeforeEach
    void start(KafkaPlatform platform) throws Exception {
        registry = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        registry.start();
        registry.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(60_000)));
        loops = new BlockedEventLoops();
        IngressConfig config = new IngressConfig("127.0.0.1", 0, 1,
                Map.of(WebhookSource.APP_STORE_CONNECT, 65_536L, WebhookSource.EAS, 65_536L,
                        WebhookSource.APPFLOW, 65_536L),
                Duration.ofSeconds(10), Duration.ofSeconds(10), PUBLISH_TIMEOUT, 1000, platform.bootstrapServers(),
                registry.baseUrl(), Map.of(), true, List.of(new EndpointConfig(WebhookSource.APP_STORE_CONNECT,
                "default", List.of(WebhookSecret.of("v1", SECRET)), List.of())));
        // One second per registry request keeps the test short; the registry's silence is what is under test.
        Map<String, Object> overrides = Map.of(AvroSerdeConfig.REQUEST_TIMEOUT_MS_CONFIG, "1000");
        server = IngressServer.start(loops.vertx(), config,
                        RawWebhookProducers.create(loops.vertx(), config, IngressServer.recordEnvelope(config),
                                overrides))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.shutdown().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        if (loops != null) {
            loops.close();
        }
        if (registry != null) {
            registry.stop();
        }
    }

    private CompletableFuture<HttpResponse<String>> postSigned(byte[] body) {
        return sendAsync(post(server.port(), "/webhooks/app-store-connect/default", body,
                "Content-Type", "application/json", "x-apple-signature", appleSignature(SECRET, body)));
    }

    @Test
    void silentRegistryMeansQuick503sUnreadyAndNoBlockedEventLoopUntilItAnswers(KafkaPlatform platform) {
        byte[] body = Seeds.bytes("asc-ping.json");

        // A load balancer's probe comes first, as in production.
        HttpResponse<String> ready = send(get(server.port(), "/health/ready"));
        long start = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> posts =
                IntStream.range(0, 20).mapToObj(i -> postSigned(body)).toList();
        long liveStart = System.nanoTime();
        HttpResponse<String> live = send(get(server.port(), "/health/live"));
        Duration liveTook = Duration.ofNanos(System.nanoTime() - liveStart);
        List<HttpResponse<String>> whileSilent = posts.stream().map(CompletableFuture::join).toList();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(whileSilent).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
        });
        assertThat(took).isLessThan(PUBLISH_TIMEOUT);
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(liveTook).isLessThan(Duration.ofMillis(500));
        loops.assertNoneBlocked();
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(registry.getAllServeEvents()).as("the ingress did ask the registry").isNotEmpty();

        // The registry recovers: requests now reach the real one.
        registry.resetAll();
        registry.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(platform.schemaRegistryUrl())));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> send(get(server.port(), "/health/ready")).statusCode() == 200);
        HttpResponse<String> accepted = postSigned(body).join();
        assertThat(accepted.statusCode()).isEqualTo(200);
        loops.assertNoneBlocked();
    }
}
