package dev.shipstream.connectors.ci;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
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
import dev.shipstream.schemas.EventCategory;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CiSinkTaskTest {

    private static final String TOKEN = "ghp_task_secret_token";
    private static final String DISPATCHES = "/repos/octo-org/ios-app/dispatches";
    private static final TopicPartition PARTITION = new TopicPartition("shipstream.events", 0);

    @RegisterExtension
    static WireMockExtension github = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();

    private final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final InMemoryDeliveryLedger ledger = new InMemoryDeliveryLedger(1_000);
    private CiSinkTask task;

    private RecordingSinkTaskContext start(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "ci-test");
        props.put("ci.provider", "github");
        props.put("github.api.url", github.baseUrl());
        props.put("github.repository", "octo-org/ios-app");
        props.put("github.token", TOKEN);
        props.putAll(extra);
        task = new CiSinkTask(CiHttp.newClient(), clock, ledger);
        RecordingSinkTaskContext context = new RecordingSinkTaskContext(true);
        task.initialize(context);
        task.start(props);
        return context;
    }

    @AfterEach
    void stop() {
        if (task != null) {
            task.stop();
        }
    }

    private static DeliveryEvent buildComplete(String eventId) {
        return TestEvents.failedBuildUpload(eventId).setNewState("COMPLETE").setErrors(List.of()).build();
    }

    private static DeliveryEvent versionReady(String eventId) {
        return TestEvents.failedBuildUpload(eventId).setCategory(EventCategory.APP_VERSION_STATE)
                .setEventType("appStoreVersionAppVersionStateUpdated").setPreviousState("PENDING_DEVELOPER_RELEASE")
                .setNewState("READY_FOR_DISTRIBUTION").setErrors(List.of()).build();
    }

    @Test
    void useCaseOneAndTwoEachBecomeOneDispatchOfTheirEventTypeAndARedeliveryNone() {
        github.stubFor(post(DISPATCHES).willReturn(aResponse().withStatus(204)));
        start(Map.of("rate.limit.interval.ms", "0"));

        task.put(List.of(TestEvents.record(buildComplete("uc1"), 0), TestEvents.record(versionReady("uc2"), 1),
                TestEvents.record(TestEvents.failedBuildUpload("other").build(), 2)));
        task.put(List.of(TestEvents.record(buildComplete("uc1"), 0)));

        github.verify(1, postRequestedFor(urlEqualTo(DISPATCHES))
                .withRequestBody(matchingJsonPath("$.event_type", com.github.tomakehurst.wiremock.client.WireMock
                        .equalTo("shipstream.build.processed")))
                .withRequestBody(matchingJsonPath("$.client_payload.build", com.github.tomakehurst.wiremock.client
                        .WireMock.equalTo("1045"))));
        github.verify(1, postRequestedFor(urlEqualTo(DISPATCHES))
                .withRequestBody(matchingJsonPath("$.event_type", com.github.tomakehurst.wiremock.client.WireMock
                        .equalTo("shipstream.version.ready"))));
        github.verify(2, postRequestedFor(urlEqualTo(DISPATCHES)));
    }

    @Test
    void aRuleWithAWorkflowSendsAWorkflowDispatchWithTheDefaultInputsAsStrings() {
        String path = "/repos/octo-org/ios-app/actions/workflows/merge-back.yml/dispatches";
        github.stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(204)));
        start(Map.of("rules", "version-ready", "rule.version-ready.workflow", "merge-back.yml"));

        task.put(List.of(TestEvents.record(versionReady("wf"), 0)));

        github.verify(1, postRequestedFor(urlEqualTo(path)).withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.equalToJson("""
                        {"ref": "main", "inputs": {"event_id": "wf", "app_id": "1234567890", "version": "2.3.0",
                                                   "build": "1045", "new_state": "READY_FOR_DISTRIBUTION"}}""")));
    }

    @Test
    void aRefusalGoesToTheDeadLetterQueueWithGitHubsAnswerAndTheOffsetIsCommitted() {
        github.stubFor(post(DISPATCHES).willReturn(aResponse().withStatus(404).withBody("{\"message\":\"Not Found\"}")));
        RecordingSinkTaskContext context = start(Map.of());

        task.put(List.of(TestEvents.record(buildComplete("nf"), 5)));

        assertThat(context.reported).singleElement().satisfies(r -> assertThat(r.error().getMessage())
                .contains("rule build-processed", "HTTP 404", "github:octo-org/ios-app", "Not Found")
                .doesNotContain(TOKEN));
        assertThat(task.preCommit(Map.of(PARTITION, new OffsetAndMetadata(6))))
                .containsEntry(PARTITION, new OffsetAndMetadata(6));
    }

    @Test
    void a429WithRetryAfterPausesThroughConnectAndTheRetrySendsOnce() {
        github.stubFor(post(DISPATCHES).inScenario("rate").whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "5")).willSetStateTo("ok"));
        github.stubFor(post(DISPATCHES).inScenario("rate").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(204)));
        RecordingSinkTaskContext context = start(Map.of("rate.limit.interval.ms", "0"));

        assertThatThrownBy(() -> task.put(List.of(TestEvents.record(buildComplete("rl"), 0))))
                .isInstanceOf(RetriableException.class);
        assertThat(context.timeouts).containsExactly(5_000L);
        clock.advance(java.time.Duration.ofSeconds(5));
        task.put(List.of(TestEvents.record(buildComplete("rl"), 0)));

        github.verify(2, postRequestedFor(urlEqualTo(DISPATCHES)));
        assertThat(ledger.lookup("sent:ci-test:build-processed:rl")).isPresent();
    }

    @Test
    void theDryRunLogsTheRequestWithoutTheTokenAndSendsNothing() {
        try (CapturedLogs logs = CapturedLogs.capture()) {
            start(Map.of("dry.run", "true"));
            task.put(List.of(TestEvents.record(buildComplete("dry"), 0)));

            assertThat(logs.lines()).anySatisfy(line -> assertThat(line)
                    .contains("dry run, rule build-processed: POST " + github.baseUrl() + DISPATCHES,
                            "\"event_type\":\"shipstream.build.processed\"", "\"version\":\"2.3.0\""));
            assertThat(String.join("\n", logs.lines())).doesNotContain(TOKEN).doesNotContain("Authorization");
        }
        assertThat(github.getAllServeEvents()).isEmpty();
    }

    @Test
    void refusesToStartWithASecretTheWorkerDidNotResolve() {
        assertThatThrownBy(() -> start(Map.of("github.token", "${env:GITHUB_TOKEN}")))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("github.token is a config provider reference the worker did not resolve");
    }
}
