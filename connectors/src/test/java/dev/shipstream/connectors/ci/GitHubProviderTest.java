package dev.shipstream.connectors.ci;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.shipstream.connect.common.DeliveryOutcome;
import dev.shipstream.connect.common.PermanentDeliveryException;
import dev.shipstream.connectors.testing.TestClock;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GitHubProviderTest {

    private static final String DISPATCHES = "/repos/octo-org/app-repo/dispatches";

    @RegisterExtension
    static WireMockExtension github = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();

    @RegisterExtension
    static WireMockExtension elsewhere = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();

    private final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));

    private GitHubProvider provider() {
        return new GitHubProvider(new CiHttp(CiHttp.newClient(), Duration.ofSeconds(5)),
                URI.create(github.baseUrl() + "/"), "octo-org/app-repo", new Password("ghp_secret"), null, clock);
    }

    private DeliveryOutcome dispatch(Map<String, String> extras) {
        GitHubProvider provider = provider();
        return provider.send(provider.request(CiFixtures.dispatch("shipstream.build.processed", extras),
                CiFixtures.payload("evt-1")));
    }

    @Test
    void repositoryDispatchCarriesAppVersionBuildEventIdStateAndLinksAsClientPayload() {
        github.stubFor(post(DISPATCHES).willReturn(aResponse().withStatus(204)));

        assertThat(dispatch(Map.of())).isInstanceOf(DeliveryOutcome.Delivered.class);

        github.verify(1, postRequestedFor(urlEqualTo(DISPATCHES))
                .withHeader("Authorization", equalTo("Bearer ghp_secret"))
                .withHeader("Accept", equalTo("application/vnd.github+json"))
                .withHeader("X-GitHub-Api-Version", equalTo("2022-11-28"))
                .withRequestBody(equalToJson("""
                        {"event_type": "shipstream.build.processed",
                         "client_payload": {"eventId": "evt-1", "rule": "build-processed",
                           "source": "APP_STORE_CONNECT",
                           "app": {"id": "1234567890", "name": "Demo & <Co>", "bundleId": "dev.demo",
                                   "platform": "IOS"},
                           "version": "2.3.0", "build": "1045",
                           "state": {"category": "BUILD_UPLOAD_STATE", "previous": "PROCESSING", "new": "COMPLETE",
                                     "at": "2026-11-30T10:15:30.123Z"},
                           "links": {"details": "https://appstoreconnect.apple.com/apps/1234567890",
                                     "logs": null, "artifact": null},
                           "errors": []}}""")));
    }

    @Test
    void workflowDispatchSendsTheRefAndTheChosenFieldsAsStringInputs() {
        String path = "/repos/octo-org/app-repo/actions/workflows/submit%20for%20review.yml/dispatches";
        github.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(204)));
        GitHubProvider provider = provider();

        DeliveryOutcome outcome = provider.send(provider.request(CiFixtures.workflow("submit for review.yml",
                List.of("version", "build", "event_id", "logs_url"), Map.of("lane", "beta")), CiFixtures.payload("e2")));

        assertThat(outcome).isInstanceOf(DeliveryOutcome.Delivered.class);
        github.verify(1, postRequestedFor(urlEqualTo(path)).withRequestBody(equalToJson("""
                {"ref": "release/2.3",
                 "inputs": {"version": "2.3.0", "build": "1045", "event_id": "e2", "lane": "beta"}}""")));
    }

    @Test
    void aValidationErrorIsPermanentWithGitHubsMessage() {
        github.stubFor(post(DISPATCHES).willReturn(aResponse().withStatus(422)
                .withBody("{\"message\":\"Invalid request.\\n\\nFor 'properties/client_payload', nil is not an object.\"}")));

        DeliveryOutcome outcome = dispatch(Map.of());

        assertThat(outcome).isInstanceOfSatisfying(DeliveryOutcome.Permanent.class, p -> assertThat(p.reason())
                .contains("HTTP 422", "github:octo-org/app-repo", "nil is not an object").doesNotContain("ghp_secret"));
    }

    @Test
    void a429WithRetryAfterWaitsAsLongAsGitHubAsks() {
        github.stubFor(post(DISPATCHES).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")));

        assertThat(dispatch(Map.of())).isEqualTo(new DeliveryOutcome.Retry(Duration.ofSeconds(7), true,
                "rate limited by github:octo-org/app-repo (HTTP 429), Retry-After 7 s"));
    }

    @Test
    void a403WithTheRateLimitUsedUpWaitsUntilTheReset() {
        long reset = clock.instant().plusSeconds(90).getEpochSecond();
        github.stubFor(post(DISPATCHES).willReturn(aResponse().withStatus(403)
                .withHeader("x-ratelimit-remaining", "0").withHeader("x-ratelimit-reset", Long.toString(reset))));

        assertThat(dispatch(Map.of())).isInstanceOfSatisfying(DeliveryOutcome.Retry.class, retry -> {
            assertThat(retry.after()).isEqualTo(Duration.ofSeconds(90));
            assertThat(retry.fromTarget()).isTrue();
        });
    }

    @Test
    void a403WithoutRateLimitHeadersIsAPermissionProblemAndPermanent() {
        github.stubFor(post(DISPATCHES).willReturn(aResponse().withStatus(403)
                .withHeader("x-ratelimit-remaining", "4999")
                .withBody("{\"message\":\"Resource not accessible by integration\"}")));

        assertThat(dispatch(Map.of())).isInstanceOfSatisfying(DeliveryOutcome.Permanent.class,
                p -> assertThat(p.reason()).contains("HTTP 403", "Resource not accessible by integration"));
    }

    @Test
    void aRedirectIsNotFollowedToAnotherHostAndIsPermanent() {
        elsewhere.stubFor(post(DISPATCHES).willReturn(aResponse().withStatus(204)));
        github.stubFor(post(DISPATCHES).willReturn(aResponse().withStatus(307)
                .withHeader("Location", elsewhere.baseUrl() + DISPATCHES)));

        DeliveryOutcome outcome = dispatch(Map.of());

        assertThat(outcome).isInstanceOfSatisfying(DeliveryOutcome.Permanent.class,
                p -> assertThat(p.reason()).contains("HTTP 307", "redirects are not followed"));
        assertThat(elsewhere.getAllServeEvents()).isEmpty();
    }

    @Test
    void aServerErrorIsRetriedWithBackoff() {
        github.stubFor(post(DISPATCHES).willReturn(aResponse().withStatus(502)));

        assertThat(dispatch(Map.of())).isInstanceOfSatisfying(DeliveryOutcome.Retry.class,
                retry -> assertThat(retry.fromTarget()).isFalse());
    }

    @Test
    void aClientPayloadOfMoreThanTenTopLevelPropertiesIsRefusedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> dispatch(Map.of("lane", "beta", "track", "internal")))
                .isInstanceOf(PermanentDeliveryException.class)
                .hasMessageContaining("client_payload would have 11 top-level properties; GitHub allows at most 10");
        assertThat(github.getAllServeEvents()).isEmpty();
    }

    @Test
    void oneExtraPropertyStillFitsTheClientPayload() {
        github.stubFor(post(DISPATCHES).willReturn(aResponse().withStatus(204)));

        assertThat(dispatch(Map.of("lane", "beta"))).isInstanceOf(DeliveryOutcome.Delivered.class);
    }

    @Test
    void moreThanTwentyFiveWorkflowInputsAreRefused() {
        Map<String, String> extras = new java.util.HashMap<>();
        for (int i = 0; i < 24; i++) {
            extras.put("extra_" + i, "v");
        }
        GitHubProvider provider = provider();

        assertThatThrownBy(() -> provider.request(CiFixtures.workflow("release.yml", List.of("version", "build"),
                extras), CiFixtures.payload("e3")))
                .isInstanceOf(PermanentDeliveryException.class)
                .hasMessageContaining("workflow_dispatch would get 26 inputs; GitHub allows at most 25");
    }

    @Test
    void anEventTypeOverAHundredCharactersIsRefused() {
        GitHubProvider provider = provider();

        assertThatThrownBy(() -> provider.request(CiFixtures.dispatch("x".repeat(101), Map.of()),
                CiFixtures.payload("e4")))
                .isInstanceOf(PermanentDeliveryException.class)
                .hasMessageContaining("event_type has 101 characters; GitHub allows at most 100");
    }

    @Test
    void theDescriptionForTheDryRunHoldsNoToken() {
        GitHubProvider provider = provider();

        String described = provider.request(CiFixtures.dispatch("shipstream.build.processed", Map.of()),
                CiFixtures.payload("e5")).describe();

        assertThat(described).startsWith("POST " + github.baseUrl() + DISPATCHES + " {\"event_type\"")
                .doesNotContain("ghp_secret");
    }
}
