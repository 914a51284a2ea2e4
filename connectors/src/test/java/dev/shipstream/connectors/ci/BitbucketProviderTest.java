package dev.shipstream.connectors.ci;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
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

class BitbucketProviderTest {

    private static final String PIPELINES = "/2.0/repositories/acme-mobile/ios-app/pipelines/";

    @RegisterExtension
    static WireMockExtension bitbucket = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();

    private final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));

    private DeliveryOutcome run(String pipeline) {
        BitbucketProvider provider = new BitbucketProvider(new CiHttp(CiHttp.newClient(), Duration.ofSeconds(5)),
                URI.create(bitbucket.baseUrl() + "/"), "acme-mobile", "ios-app", "branch",
                new Password("bb-access-token"), clock);
        return provider.send(provider.request(new CiTrigger("version-ready", "shipstream.version.ready", null, "main",
                pipeline, CiSinkConfig.DEFAULT_INPUTS, Map.of()), CiFixtures.payload("b1")));
    }

    @Test
    void runsTheCustomPipelineOnTheBranchWithTheEventAsVariables() {
        bitbucket.stubFor(post(urlEqualTo(PIPELINES)).willReturn(aResponse().withStatus(201)
                .withBody("{\"uuid\":\"{a1}\",\"build_number\":77}")));

        assertThat(run("merge-back")).isInstanceOf(DeliveryOutcome.Delivered.class);

        bitbucket.verify(1, postRequestedFor(urlEqualTo(PIPELINES))
                .withHeader("Authorization", equalTo("Bearer bb-access-token"))
                .withRequestBody(equalToJson("""
                        {"target": {"type": "pipeline_ref_target", "ref_type": "branch", "ref_name": "main",
                                    "selector": {"type": "custom", "pattern": "merge-back"}},
                         "variables": "${json-unit.ignore}"}""")));
        String body = bitbucket.getAllServeEvents().get(0).getRequest().getBodyAsString();
        assertThat(body).contains("{\"key\":\"SHIPSTREAM_VERSION\",\"value\":\"2.3.0\",\"secured\":false}",
                "{\"key\":\"SHIPSTREAM_BUILD\",\"value\":\"1045\",\"secured\":false}",
                "{\"key\":\"SHIPSTREAM_EVENT_ID\",\"value\":\"b1\",\"secured\":false}",
                "{\"key\":\"SHIPSTREAM_EVENT_TYPE\",\"value\":\"shipstream.version.ready\",\"secured\":false}");
    }

    @Test
    void withoutACustomPipelineTheRefsDefaultPipelineRuns() {
        bitbucket.stubFor(post(urlEqualTo(PIPELINES)).willReturn(aResponse().withStatus(201).withBody("{}")));

        run(null);

        assertThat(bitbucket.getAllServeEvents().get(0).getRequest().getBodyAsString()).doesNotContain("selector");
    }

    @Test
    void anExpiredOrRevokedTokenIsPermanent() {
        bitbucket.stubFor(post(urlEqualTo(PIPELINES)).willReturn(aResponse().withStatus(401)
                .withBody("{\"type\":\"error\",\"error\":{\"message\":\"Access token expired.\"}}")));

        assertThat(run("merge-back")).isInstanceOfSatisfying(DeliveryOutcome.Permanent.class, p -> assertThat(p.reason())
                .contains("HTTP 401", "bitbucket:acme-mobile/ios-app", "Access token expired").doesNotContain("bb-access"));
    }

    @Test
    void a429WaitsForRetryAfter() {
        bitbucket.stubFor(post(urlEqualTo(PIPELINES)).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "4")));

        assertThat(run("merge-back")).isInstanceOfSatisfying(DeliveryOutcome.Retry.class, retry -> {
            assertThat(retry.after()).isEqualTo(Duration.ofSeconds(4));
            assertThat(retry.fromTarget()).isTrue();
        });
    }
}
