package dev.shipstream.connectors.ci;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.shipstream.connect.common.DeliveryOutcome;
import dev.shipstream.connectors.testing.TestClock;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GitLabProviderTest {

    /** The project path is one path segment: its slash is percent-encoded. */
    private static final String TRIGGER = "/api/v4/projects/mobile%2Fios-app/trigger/pipeline";

    @RegisterExtension
    static WireMockExtension gitlab = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();

    private final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));

    private GitLabProvider provider() {
        return new GitLabProvider(new CiHttp(CiHttp.newClient(), Duration.ofSeconds(5)),
                URI.create(gitlab.baseUrl() + "/"), "mobile/ios-app", new Password("glptt-secret"), clock);
    }

    private DeliveryOutcome trigger() {
        GitLabProvider provider = provider();
        return provider.send(provider.request(new CiTrigger("build-processed", "shipstream.build.processed", null,
                "release", null, CiSinkConfig.DEFAULT_INPUTS, Map.of("LANE", "beta")), CiFixtures.payload("g1")));
    }

    @Test
    void triggersAPipelineOnTheRefWithTheEventAsVariablesAndTheTokenInTheBody() {
        gitlab.stubFor(post(urlEqualTo(TRIGGER)).willReturn(aResponse().withStatus(201)
                .withBody("{\"id\":4711,\"status\":\"created\",\"source\":\"trigger\"}")));

        assertThat(trigger()).isInstanceOf(DeliveryOutcome.Delivered.class);

        gitlab.verify(1, postRequestedFor(urlEqualTo(TRIGGER)).withRequestBody(equalToJson("""
                {"token": "glptt-secret", "ref": "release",
                 "variables": {"SHIPSTREAM_EVENT_TYPE": "shipstream.build.processed", "SHIPSTREAM_EVENT_ID": "g1",
                   "SHIPSTREAM_RULE": "build-processed", "SHIPSTREAM_SOURCE": "APP_STORE_CONNECT",
                   "SHIPSTREAM_CATEGORY": "BUILD_UPLOAD_STATE", "SHIPSTREAM_APP_ID": "1234567890",
                   "SHIPSTREAM_APP_NAME": "Demo & <Co>", "SHIPSTREAM_BUNDLE_ID": "dev.demo",
                   "SHIPSTREAM_PLATFORM": "IOS", "SHIPSTREAM_VERSION": "2.3.0", "SHIPSTREAM_BUILD": "1045",
                   "SHIPSTREAM_PREVIOUS_STATE": "PROCESSING", "SHIPSTREAM_NEW_STATE": "COMPLETE",
                   "SHIPSTREAM_OCCURRED_AT": "2026-11-30T10:15:30.123Z",
                   "SHIPSTREAM_DETAILS_URL": "https://appstoreconnect.apple.com/apps/1234567890",
                   "LANE": "beta"}}""")));
    }

    @Test
    void theDryRunDescriptionLeavesTheTriggerTokenOut() {
        GitLabProvider provider = provider();

        String described = provider.request(new CiTrigger("r", "t", null, "main", null, CiSinkConfig.DEFAULT_INPUTS,
                Map.of()), CiFixtures.payload("g2")).describe();

        assertThat(described).contains(TRIGGER, "\"ref\":\"main\"").doesNotContain("glptt-secret", "token");
    }

    @Test
    void aBadRefIsPermanentWithGitLabsMessage() {
        gitlab.stubFor(post(urlEqualTo(TRIGGER)).willReturn(aResponse().withStatus(400)
                .withBody("{\"message\":{\"base\":[\"Reference not found\"]}}")));

        assertThat(trigger()).isInstanceOfSatisfying(DeliveryOutcome.Permanent.class, p -> assertThat(p.reason())
                .contains("HTTP 400", "gitlab:mobile/ios-app", "Reference not found").doesNotContain("glptt"));
    }

    @Test
    void aRevokedTriggerTokenIsPermanent() {
        gitlab.stubFor(post(urlEqualTo(TRIGGER)).willReturn(aResponse().withStatus(404)
                .withBody("{\"message\":\"404 Not Found\"}")));

        assertThat(trigger()).isInstanceOfSatisfying(DeliveryOutcome.Permanent.class,
                p -> assertThat(p.reason()).contains("HTTP 404"));
    }

    @Test
    void a429WaitsForRetryAfter() {
        gitlab.stubFor(post(urlEqualTo(TRIGGER)).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "12")));

        assertThat(trigger()).isEqualTo(new DeliveryOutcome.Retry(Duration.ofSeconds(12), true,
                "HTTP 429 from gitlab:mobile/ios-app, Retry-After 12 s"));
    }
}
