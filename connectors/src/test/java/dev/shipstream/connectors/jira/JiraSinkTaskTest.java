package dev.shipstream.connectors.jira;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.shipstream.connect.common.InMemoryDeliveryLedger;
import dev.shipstream.connectors.testing.CapturedLogs;
import dev.shipstream.connectors.testing.RecordingSinkTaskContext;
import dev.shipstream.connectors.testing.TestClock;
import dev.shipstream.connectors.testing.TestEvents;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.Entity;
import dev.shipstream.schemas.EventCategory;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Jira sink task with WireMock as Jira: rules to actions, the ledger, retries, the dead-letter queue. */
class JiraSinkTaskTest {

    private static final String TOKEN = "jira-secret-api-token";
    private static final String SEARCH = "/rest/api/3/search/jql";

    @RegisterExtension
    static WireMockExtension jira = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();

    private final InMemoryDeliveryLedger ledger = new InMemoryDeliveryLedger(1_000);
    private final TestClock clock = new TestClock(Instant.parse("2026-12-01T02:00:00Z"));
    private JiraSinkTask task;

    private Map<String, String> config(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "jira-test");
        props.put("jira.url", jira.baseUrl());
        props.put("jira.email", "release@example.com");
        props.put("jira.api.token", TOKEN);
        props.put("jira.project", "MOB");
        props.put("rate.limit.interval.ms", "0");
        props.putAll(extra);
        return props;
    }

    private RecordingSinkTaskContext start(Map<String, String> extra) {
        task = new JiraSinkTask(HttpClient.newHttpClient(), clock, ledger);
        RecordingSinkTaskContext context = new RecordingSinkTaskContext(true);
        task.initialize(context);
        task.start(config(extra));
        return context;
    }

    @AfterEach
    void stop() {
        if (task != null) {
            task.stop();
        }
    }

    static DeliveryEvent.Builder readyForDistribution(String eventId, String version) {
        return TestEvents.failedBuildUpload(eventId)
                .setEventType("appStoreVersionAppVersionStateUpdated")
                .setCategory(EventCategory.APP_VERSION_STATE)
                .setEntity(Entity.newBuilder().setType("appStoreVersions").setId("asv-1").build())
                .setEntityKey("asc:appStoreVersions:asv-1")
                .setVersionString(version)
                .setBuildNumber(null)
                .setPreviousState("PENDING_DEVELOPER_RELEASE")
                .setNewState("READY_FOR_DISTRIBUTION")
                .setErrors(List.of());
    }

    private static void jiraHasVersionWithOneOpenIssue() {
        jira.stubFor(get("/rest/api/3/project/MOB/versions")
                .willReturn(okJson("[{\"id\":\"10001\",\"name\":\"2.3.0\",\"released\":false}]")));
        jira.stubFor(post(SEARCH).willReturn(okJson("{\"issues\":[" + JiraActionsTest.issue("MOB-1", "new")
                + "],\"isLast\":true}")));
        JiraActionsTest.transitionsWork(jira);
    }

    @Test
    void readyForDistributionReleasesTheVersionOnceAcrossARedelivery() {
        jiraHasVersionWithOneOpenIssue();
        start(Map.of());

        task.put(List.of(TestEvents.record(readyForDistribution("rel-1", "2.3.0").build(), 0)));
        task.put(List.of(TestEvents.record(readyForDistribution("rel-1", "2.3.0").build(), 0)));

        jira.verify(1, postRequestedFor(urlEqualTo("/rest/api/3/issue/MOB-1/transitions"))
                .withHeader("Authorization", equalTo("Basic " + Base64.getEncoder().encodeToString(
                        ("release@example.com:" + TOKEN).getBytes(StandardCharsets.UTF_8)))));
        jira.verify(1, postRequestedFor(urlEqualTo("/rest/api/3/issue/MOB-1/comment"))
                .withRequestBody(containing("Demo & <Co> 2.3.0 is READY_FOR_DISTRIBUTION")));
        jira.verify(1, putRequestedFor(urlEqualTo("/rest/api/3/version/10001"))
                .withRequestBody(equalToJson("{\"released\":true,\"releaseDate\":\"2026-11-30\"}")));
        assertThat(ledger.lookup("sent:jira-test:release:rel-1")).contains("moved 1, skipped 0, released 2.3.0");
    }

    @Test
    void theDoneStatusOfARuleChoosesTheTransitionByName() {
        jiraHasVersionWithOneOpenIssue();
        start(Map.of("rule.release.done.status", "Closed"));

        task.put(List.of(TestEvents.record(readyForDistribution("rel-2", "2.3.0").build(), 0)));

        jira.verify(1, postRequestedFor(urlEqualTo("/rest/api/3/issue/MOB-1/transitions"))
                .withRequestBody(equalToJson("{\"transition\":{\"id\":\"41\"}}")));
    }

    @Test
    void aPermanentRefusalGoesToTheDeadLetterQueueWithJirasErrorMessages() {
        jira.stubFor(get("/rest/api/3/project/MOB/versions").willReturn(aResponse().withStatus(404)
                .withBody("{\"errorMessages\":[\"No project could be found with key 'MOB'.\"],\"errors\":{}}")));
        RecordingSinkTaskContext context = start(Map.of());

        task.put(List.of(TestEvents.record(readyForDistribution("rel-404", "2.3.0").build(), 0)));
        task.put(List.of(TestEvents.record(readyForDistribution("rel-404", "2.3.0").build(), 0)));

        assertThat(context.reported).singleElement().satisfies(r -> assertThat(r.error().getMessage())
                .contains("rule release", "HTTP 404", "No project could be found with key 'MOB'.")
                .doesNotContain(TOKEN));
        jira.verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void a429HandsRetryAfterToConnectAndTheRetrySucceeds() {
        jiraHasVersionWithOneOpenIssue();
        jira.stubFor(get("/rest/api/3/project/MOB/versions").inScenario("rl").whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "5")).willSetStateTo("ok"));
        jira.stubFor(get("/rest/api/3/project/MOB/versions").inScenario("rl").whenScenarioStateIs("ok")
                .willReturn(okJson("[{\"id\":\"10001\",\"name\":\"2.3.0\",\"released\":false}]")));
        RecordingSinkTaskContext context = start(Map.of());
        var record = TestEvents.record(readyForDistribution("rel-429", "2.3.0").build(), 0);

        assertThatThrownBy(() -> task.put(List.of(record))).isInstanceOf(RetriableException.class)
                .hasMessageContaining("429");
        assertThat(context.timeouts).containsExactly(5_000L);
        clock.advance(Duration.ofSeconds(5));
        task.put(List.of(record));

        jira.verify(1, postRequestedFor(urlEqualTo("/rest/api/3/issue/MOB-1/transitions")));
        jira.verify(1, putRequestedFor(urlEqualTo("/rest/api/3/version/10001")));
    }

    @Test
    void anEventWithoutAVersionCannotBeReleasedAndIsDeadLettered() {
        RecordingSinkTaskContext context = start(Map.of());

        task.put(List.of(TestEvents.record(readyForDistribution("rel-nov", null).build(), 0)));

        assertThat(context.reported).singleElement().satisfies(r ->
                assertThat(r.error().getMessage()).contains("no versionString"));
        jira.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aFailedBuildCreatesOneIssueWithTheReasonLabelsAndFixVersionAndACommentRuleFindsIt() {
        jira.stubFor(post(SEARCH).willReturn(okJson("{\"issues\":[],\"isLast\":true}")));
        jira.stubFor(post("/rest/api/3/issue").willReturn(aResponse().withStatus(201)
                .withBody("{\"id\":\"10000\",\"key\":\"MOB-24\"}")));
        jira.stubFor(post(urlPathMatching("/rest/api/3/issue/MOB-24/comment"))
                .willReturn(aResponse().withStatus(201).withBody("{\"id\":\"5\"}")));
        start(Map.of("rules", "failed,processed", "rule.processed.when", "newState == 'COMPLETE'",
                "rule.processed.action", "comment", "rule.failed.labels", "ios,build"));

        task.put(List.of(TestEvents.record(TestEvents.failedBuildUpload("b-1").build(), 0),
                TestEvents.record(TestEvents.failedBuildUpload("b-1").build(), 1),
                TestEvents.record(TestEvents.failedBuildUpload("b-2").setNewState("COMPLETE").build(), 2)));

        String label = JiraSubjects.entityLabel("MOB", "failed",
                Map.of("entityKey", "asc:buildUploads:bu-1"));
        jira.verify(1, postRequestedFor(urlEqualTo("/rest/api/3/issue"))
                .withRequestBody(matchingJsonPath("$.fields.project.key", equalTo("MOB")))
                .withRequestBody(matchingJsonPath("$.fields.issuetype.name", equalTo("Bug")))
                .withRequestBody(matchingJsonPath("$.fields.summary",
                        equalTo("Demo & <Co> 2.3.0 (1045): build upload FAILED")))
                .withRequestBody(matchingJsonPath("$.fields.labels[0]", equalTo("ios")))
                .withRequestBody(matchingJsonPath("$.fields.labels[2]", equalTo(label)))
                .withRequestBody(matchingJsonPath("$.fields.fixVersions[0].name", equalTo("2.3.0")))
                .withRequestBody(matchingJsonPath("$.fields.description.type", equalTo("doc")))
                .withRequestBody(containing("ITMS-90683: Missing purpose string in Info.plist")));
        // The comment rule found the issue through the ledger: no label search for it.
        jira.verify(1, postRequestedFor(urlEqualTo(SEARCH)));
        jira.verify(1, postRequestedFor(urlEqualTo("/rest/api/3/issue/MOB-24/comment"))
                .withRequestBody(containing("PROCESSING → COMPLETE")));
    }

    @Test
    void aCrashFeedbackBecomesAnIssueWithTheCrashLogAsCode() {
        jira.stubFor(post(SEARCH).willReturn(okJson("{\"issues\":[],\"isLast\":true}")));
        jira.stubFor(post("/rest/api/3/issue").willReturn(aResponse().withStatus(201).withBody("{\"key\":\"MOB-30\"}")));
        start(Map.of());

        task.put(List.of(TestEvents.record(TestEvents.crashFeedback("c-1").build(), 0)));

        jira.verify(1, postRequestedFor(urlEqualTo("/rest/api/3/issue"))
                .withRequestBody(matchingJsonPath("$.fields.summary", equalTo("Demo 2.3.0 (1045): TestFlight crash")))
                .withRequestBody(matchingJsonPath("$.fields.description.content[?(@.type == 'codeBlock')]"))
                .withRequestBody(containing("EXC_BAD_ACCESS"))
                .withRequestBody(containing("It crashed when I tapped Pay")));
    }

    @Test
    void dryRunLogsTheRequestsWithoutTheTokenAndSendsNothing() {
        try (CapturedLogs logs = CapturedLogs.capture()) {
            start(Map.of("dry.run", "true"));
            task.put(List.of(TestEvents.record(readyForDistribution("dry-1", "2.3.0").build(), 0),
                    TestEvents.record(TestEvents.failedBuildUpload("dry-2").build(), 1)));

            assertThat(logs.lines()).anySatisfy(line -> assertThat(line).contains("dry run, rule release",
                    "fixVersion = \\\"2.3.0\\\"", "releaseDate\":\"2026-11-30\""));
            assertThat(logs.lines()).anySatisfy(line -> assertThat(line).contains("dry run, rule failed",
                    "/rest/api/3/issue", "\"summary\":\"Demo & <Co> 2.3.0 (1045): build upload FAILED\""));
            assertThat(logs.lines()).noneSatisfy(line -> assertThat(line).contains(TOKEN));
        }
        jira.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void refusesToStartWithoutCredentialsOrWithBoth() {
        Map<String, String> none = config(Map.of());
        none.remove("jira.email");
        none.remove("jira.api.token");
        assertThatThrownBy(() -> new JiraSinkConfig(none)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("jira.api.token");
        assertThatThrownBy(() -> new JiraSinkConfig(config(Map.of("jira.bearer.token", "b"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> new JiraSinkConfig(config(Map.of("rules", "mine", "rule.mine.when", "true"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("rule.mine.action");
    }

    @Test
    void aBearerTokenIsSentAsBearer() {
        jira.stubFor(post(SEARCH).willReturn(okJson("{\"issues\":[{\"key\":\"MOB-3\"}],\"isLast\":true}")));
        Map<String, String> props = new HashMap<>(Map.of("jira.bearer.token", "oauth-access"));
        task = new JiraSinkTask(HttpClient.newHttpClient(), Clock.systemUTC(), ledger);
        task.initialize(new RecordingSinkTaskContext(true));
        Map<String, String> all = config(props);
        all.remove("jira.email");
        all.remove("jira.api.token");
        task.start(all);

        task.put(List.of(TestEvents.record(TestEvents.crashFeedback("c-2").build(), 0)));

        jira.verify(1, postRequestedFor(urlEqualTo(SEARCH)).withHeader("Authorization", equalTo("Bearer oauth-access")));
    }
}
