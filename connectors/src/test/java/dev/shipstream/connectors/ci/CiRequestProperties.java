package dev.shipstream.connectors.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shipstream.connect.common.DeliveryOutcome;
import dev.shipstream.connect.common.EventFields;
import dev.shipstream.connectors.testing.TestClock;
import dev.shipstream.connectors.testing.TestEvents;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.common.config.types.Password;

/**
 * Event values are data: whatever an event carries (slashes, dots, quotes, {@code ../}, line breaks, {@code ${...}}),
 * every provider calls the URL that configuration alone made, and the job receives the values unchanged.
 */
class CiRequestProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final CiHttp UNUSED = new CiHttp(CiHttp.newClient(), Duration.ofSeconds(1));
    private static final TestClock CLOCK = new TestClock(NOW);

    private static final List<CiProvider> PROVIDERS = List.of(
            new GitHubProvider(UNUSED, URI.create("https://api.github.com/"), "octo-org/ios-app",
                    new Password("t"), null, CLOCK),
            new GitLabProvider(UNUSED, URI.create("https://gitlab.com/"), "mobile/ios-app", new Password("t"), CLOCK),
            new BitbucketProvider(UNUSED, URI.create("https://api.bitbucket.org/"), "acme", "ios-app", "branch",
                    new Password("t"), CLOCK),
            new WebhookProvider(UNUSED, URI.create("https://ci.example.com/hook"),
                    new StandardWebhookSigner("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "c", CLOCK));

    private static final List<String> URLS = List.of(
            "https://api.github.com/repos/octo-org/ios-app/dispatches",
            "https://gitlab.com/api/v4/projects/mobile%2Fios-app/trigger/pipeline",
            "https://api.bitbucket.org/2.0/repositories/acme/ios-app/pipelines/",
            "https://ci.example.com/hook");

    @Property
    void theUrlComesFromConfigurationAloneAndTheValuesArriveUnchanged(@ForAll String eventId,
            @ForAll String version, @ForAll String build, @ForAll String appName) throws Exception {
        Map<String, Object> fields = EventFields.of(TestEvents.struct(TestEvents.failedBuildUpload(eventId)
                .setVersionString(version).setBuildNumber(build)
                .setApp(dev.shipstream.schemas.AppRef.newBuilder().setId("1").setName(appName).build()).build()));
        CiPayload payload = CiPayload.of("r", fields);
        CiTrigger trigger = new CiTrigger("r", "shipstream.r", null, "main", null, CiSinkConfig.DEFAULT_INPUTS, Map.of());
        for (int i = 0; i < PROVIDERS.size(); i++) {
            CiRequest request = PROVIDERS.get(i).request(trigger, payload);
            assertThat(request.uri().toString()).isEqualTo(URLS.get(i));
            String body = JSON.readTree(request.body().toString()).toString();
            assertThat(JSON.readTree(body)).isEqualTo(request.body());
        }
        JsonNode data = payload.data();
        assertThat(data.path("eventId").asText()).isEqualTo(eventId);
        assertThat(data.path("version").asText()).isEqualTo(version);
        assertThat(data.path("build").asText()).isEqualTo(build);
        assertThat(data.at("/app/name").asText()).isEqualTo(appName);
        assertThat(WebhookProvider.webhookId("c", "r", eventId)).matches("msg_[0-9a-f]{32}");
    }

    @Property
    void anyAnswerIsClassifiedAndOnly2xxIsDelivered(@ForAll @IntRange(min = 100, max = 599) int status,
                                                    @ForAll String body, @ForAll String retryAfter) {
        CiHttp.Response response = new CiHttp.Response(status, Map.of("Retry-After", List.of(retryAfter)), body);
        DeliveryOutcome outcome = GitHubProvider.classify("github:o/r", response, NOW);
        if (status >= 200 && status < 300) {
            assertThat(outcome).isInstanceOf(DeliveryOutcome.Delivered.class);
        } else if (status == 408 || status == 429 || status >= 500) {
            assertThat(outcome).isInstanceOf(DeliveryOutcome.Retry.class);
        } else if (status != 403) {
            assertThat(outcome).isInstanceOf(DeliveryOutcome.Permanent.class);
        }
        if (outcome instanceof DeliveryOutcome.Retry retry) {
            assertThat(retry.after().isNegative()).isFalse();
            assertThat(retry.fromTarget()).isEqualTo(CiHttp.retryAfter(Optional.of(retryAfter), NOW).isPresent());
        }
    }
}
