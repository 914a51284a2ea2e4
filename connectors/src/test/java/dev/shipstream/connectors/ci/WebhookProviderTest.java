package dev.shipstream.connectors.ci;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.shipstream.connect.common.DeliveryOutcome;
import dev.shipstream.connectors.testing.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WebhookProviderTest {

    /** The example secret of the Standard Webhooks specification's reference libraries. */
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @RegisterExtension
    static WireMockExtension receiver = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();

    private final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));

    private WebhookProvider provider() {
        return new WebhookProvider(new CiHttp(CiHttp.newClient(), Duration.ofSeconds(5)),
                URI.create(receiver.baseUrl() + "/hooks/ci"), new StandardWebhookSigner(SECRET), "ci-webhook", clock);
    }

    private DeliveryOutcome deliver(WebhookProvider provider) {
        return provider.send(provider.request(CiFixtures.dispatch("shipstream.build.processed", Map.of()),
                CiFixtures.payload("w1")));
    }

    /** The receiver's check, written from the specification and not from the code under test. */
    private static boolean signatureVerifies(LoggedRequest request) throws Exception {
        String id = request.getHeader("webhook-id");
        String timestamp = request.getHeader("webhook-timestamp");
        byte[] key = Base64.getDecoder().decode(SECRET.substring("whsec_".length()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        byte[] expected = mac.doFinal((id + "." + timestamp + "." + request.getBodyAsString())
                .getBytes(StandardCharsets.UTF_8));
        for (String signature : request.getHeader("webhook-signature").split(" ")) {
            if (signature.startsWith("v1,") && MessageDigest.isEqual(expected,
                    Base64.getDecoder().decode(signature.substring(3)))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void postsTheEventSignedTheStandardWebhooksWay() throws Exception {
        receiver.stubFor(post("/hooks/ci").willReturn(aResponse().withStatus(204)));

        assertThat(deliver(provider())).isInstanceOf(DeliveryOutcome.Delivered.class);

        LoggedRequest request = receiver.getAllServeEvents().get(0).getRequest();
        assertThat(request.getHeader("webhook-timestamp")).isEqualTo("1796119200");
        assertThat(request.getHeader("webhook-id")).matches("msg_[0-9a-f]{32}");
        assertThat(signatureVerifies(request)).isTrue();
        JsonNode body = new ObjectMapper().readTree(request.getBodyAsString());
        assertThat(body.path("type").asText()).isEqualTo("shipstream.build.processed");
        assertThat(body.path("timestamp").asText()).isEqualTo("2026-11-30T10:15:30.123Z");
        assertThat(body.at("/data/version").asText()).isEqualTo("2.3.0");
        assertThat(body.at("/data/build").asText()).isEqualTo("1045");
        assertThat(body.at("/data/state/new").asText()).isEqualTo("COMPLETE");
    }

    @Test
    void aRetryKeepsTheWebhookIdAndSignsItsNewTimestamp() throws Exception {
        receiver.stubFor(post("/hooks/ci").willReturn(aResponse().withStatus(503)));
        WebhookProvider provider = provider();
        CiRequest request = provider.request(CiFixtures.dispatch("shipstream.build.processed", Map.of()),
                CiFixtures.payload("w2"));

        assertThat(provider.send(request)).isInstanceOf(DeliveryOutcome.Retry.class);
        clock.advance(Duration.ofSeconds(30));
        provider.send(request);

        LoggedRequest first = receiver.getAllServeEvents().get(1).getRequest();
        LoggedRequest second = receiver.getAllServeEvents().get(0).getRequest();
        assertThat(second.getHeader("webhook-id")).isEqualTo(first.getHeader("webhook-id"));
        assertThat(Long.parseLong(second.getHeader("webhook-timestamp")))
                .isEqualTo(Long.parseLong(first.getHeader("webhook-timestamp")) + 30);
        assertThat(signatureVerifies(first)).isTrue();
        assertThat(signatureVerifies(second)).isTrue();
    }

    @Test
    void aRefusalIsPermanentAndA429WaitsForRetryAfter() {
        receiver.stubFor(post("/hooks/ci").willReturn(aResponse().withStatus(410).withBody("endpoint disabled")));
        assertThat(deliver(provider())).isInstanceOfSatisfying(DeliveryOutcome.Permanent.class,
                p -> assertThat(p.reason()).contains("HTTP 410", "endpoint disabled"));

        receiver.stubFor(post("/hooks/ci").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")));
        assertThat(deliver(provider())).isInstanceOfSatisfying(DeliveryOutcome.Retry.class,
                retry -> assertThat(retry.after()).isEqualTo(Duration.ofSeconds(3)));
    }

    @Test
    void refusesASecretThatIsNotAStandardWebhooksSecretWithoutEchoingIt() {
        assertThat(StandardWebhookSigner.problem("not-a-whsec-secret")).doesNotContain("not-a-whsec");
        assertThat(StandardWebhookSigner.problem("whsec_" + Base64.getEncoder().encodeToString(new byte[8])))
                .contains("24 to 64 bytes, not 8");
        assertThatThrownBy(() -> new StandardWebhookSigner("whsec_%%%"))
                .hasMessageNotContaining("%%%").hasMessageContaining("not base64");
        assertThat(StandardWebhookSigner.problem(SECRET)).isNull();
    }
}
