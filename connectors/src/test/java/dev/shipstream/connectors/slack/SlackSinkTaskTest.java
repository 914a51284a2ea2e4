package dev.shipstream.connectors.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;

import org.apache.kafka.connect.sink.SinkRecord;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.time.Duration;
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
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SlackSinkTaskTest {

    private static final String TOKEN = "xoxb-secret-token-value";
    private static final String POST_MESSAGE = "/api/chat.postMessage";

    @RegisterExtension
    static WireMockExtension slack = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();

    private final TestClock clock = new TestClock(Instant.parse("2026-11-30T12:00:00Z"));
    private final InMemoryDeliveryLedger ledger = new InMemoryDeliveryLedger(1_000);
    private SlackSinkTask task;

    private Map<String, String> config(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "slack-test");
        props.put("slack.api.url", slack.baseUrl() + "/api");
        props.put("slack.token", TOKEN);
        props.put("slack.channel", "C-DEFAULT");
        props.put("rule.feedback.channel", "C-FEEDBACK");
        props.putAll(extra);
        return props;
    }

    private RecordingSinkTaskContext start(Map<String, String> extra, boolean withReporter) {
        task = new SlackSinkTask(HttpClient.newHttpClient(), clock, ledger);
        RecordingSinkTaskContext context = new RecordingSinkTaskContext(withReporter);
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

    private static void slackAnswersOk(String ts) {
        slack.stubFor(post(POST_MESSAGE).willReturn(okJson("{\"ok\":true,\"channel\":\"C\",\"ts\":\"" + ts + "\"}")));
    }

    @Test
    void postsAFailedBuildToTheDefaultChannelWithTheBotToken() {
        slackAnswersOk("1.1");
        start(Map.of(), true);
        task.put(List.of(TestEvents.record(TestEvents.failedBuildUpload("e1").build(), 0)));
        slack.verify(1, postRequestedFor(urlEqualTo(POST_MESSAGE))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withRequestBody(matchingJsonPath("$.channel", equalTo("C-DEFAULT")))
                .withRequestBody(matchingJsonPath("$.blocks[0].type", equalTo("header"))));
    }

    @Test
    void postsFeedbackToItsRulesChannel() {
        slackAnswersOk("1.2");
        start(Map.of(), true);
        task.put(List.of(TestEvents.record(TestEvents.crashFeedback("e2").build(), 0)));
        slack.verify(1, postRequestedFor(urlEqualTo(POST_MESSAGE))
                .withRequestBody(matchingJsonPath("$.channel", equalTo("C-FEEDBACK"))));
    }

    @Test
    void eventsNoRuleMatchesAreNotPosted() {
        slackAnswersOk("1.3");
        start(Map.of(), true);
        task.put(List.of(TestEvents.record(TestEvents.failedBuildUpload("e3").setNewState("COMPLETE").build(), 0)));
        slack.verify(0, postRequestedFor(urlEqualTo(POST_MESSAGE)));
    }

    @Test
    void aDuplicateEventIsPostedOnce() {
        slackAnswersOk("1.4");
        start(Map.of("rate.limit.interval.ms", "0"), true);
        task.put(List.of(TestEvents.record(TestEvents.failedBuildUpload("dup").build(), 0),
                TestEvents.record(TestEvents.failedBuildUpload("dup").build(), 1)));
        task.put(List.of(TestEvents.record(TestEvents.failedBuildUpload("dup").build(), 0)));
        slack.verify(1, postRequestedFor(urlEqualTo(POST_MESSAGE)));
    }

    @Test
    void laterEventsOfTheSameVersionReplyInTheFirstMessagesThread() {
        slackAnswersOk("1700000000.000100");
        start(Map.of("rate.limit.interval.ms", "0"), true);
        task.put(List.of(TestEvents.record(TestEvents.failedBuildUpload("t1").build(), 0),
                TestEvents.record(TestEvents.failedBuildUpload("t2").setBuildNumber("1046").build(), 1)));
        slack.verify(1, postRequestedFor(urlEqualTo(POST_MESSAGE))
                .withRequestBody(matchingJsonPath("$.thread_ts", equalTo("1700000000.000100"))));
        assertThat(ledger.lookup("thread:slack-test:C-DEFAULT:Demo & <Co>:v2.3.0")).contains("1700000000.000100");
    }

    @Test
    void aSecondMessageToTheSameChannelWithinASecondWaitsThroughConnect() {
        slackAnswersOk("1.5");
        RecordingSinkTaskContext context = start(Map.of(), true);
        task.put(List.of(TestEvents.record(TestEvents.failedBuildUpload("r1").build(), 0)));
        clock.advance(Duration.ofMillis(300));
        assertThatThrownBy(() -> task.put(List.of(TestEvents.record(TestEvents.failedBuildUpload("r2").build(), 1))))
                .isInstanceOf(RetriableException.class);
        assertThat(context.timeouts).containsExactly(700L);
        clock.advance(Duration.ofMillis(700));
        task.put(List.of(TestEvents.record(TestEvents.failedBuildUpload("r2").build(), 1)));
        slack.verify(2, postRequestedFor(urlEqualTo(POST_MESSAGE)));
    }

    @Test
    void aBusyChannelWaitsWhileAnotherChannelsMessageGoesOutInTheSameBatch() {
        slackAnswersOk("1.6");
        RecordingSinkTaskContext context = start(Map.of(), true);
        TopicPartition partition = new TopicPartition("shipstream.events", 0);
        List<SinkRecord> batch = List.of(TestEvents.record(TestEvents.failedBuildUpload("d1").build(), 0),
                TestEvents.record(TestEvents.failedBuildUpload("d2").build(), 1),
                TestEvents.record(TestEvents.crashFeedback("f1").build(), 2));

        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class);

        slack.verify(1, postRequestedFor(urlEqualTo(POST_MESSAGE)).withRequestBody(containing("C-DEFAULT")));
        slack.verify(1, postRequestedFor(urlEqualTo(POST_MESSAGE)).withRequestBody(containing("C-FEEDBACK")));
        assertThat(context.timeouts).containsExactly(1_000L);
        assertThat(task.preCommit(Map.of(partition, new OffsetAndMetadata(3))))
                .as("no offset passes the deferred d2").containsEntry(partition, new OffsetAndMetadata(1));

        clock.advance(Duration.ofSeconds(1));
        task.put(batch);

        slack.verify(3, postRequestedFor(urlEqualTo(POST_MESSAGE)));
        assertThat(task.preCommit(Map.of(partition, new OffsetAndMetadata(3)))).containsEntry(partition,
                new OffsetAndMetadata(3));
    }

    @Test
    void aValueThatIsNotAnEventIsDeadLetteredOnceEvenWhenItsBatchComesBack() {
        slackAnswersOk("1.7");
        RecordingSinkTaskContext context = start(Map.of(), true);
        List<SinkRecord> batch = List.of(TestEvents.record(TestEvents.failedBuildUpload("n1").build(), 0),
                TestEvents.record(TestEvents.failedBuildUpload("n2").build(), 1),
                new SinkRecord("shipstream.events", 0, null, "k", null, "not a struct", 2));

        assertThatThrownBy(() -> task.put(batch)).as("n2 waits for the channel").isInstanceOf(RetriableException.class);
        clock.advance(Duration.ofSeconds(1));
        task.put(batch);

        assertThat(context.reported).singleElement()
                .satisfies(r -> assertThat(r.error().getMessage()).contains("not a Connect Struct"));
        slack.verify(2, postRequestedFor(urlEqualTo(POST_MESSAGE)));
    }

    @Test
    void a429WaitsRetryAfterAndDoesNotPostTwice() {
        slack.stubFor(post(POST_MESSAGE).inScenario("429").whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")).willSetStateTo("ok"));
        slack.stubFor(post(POST_MESSAGE).inScenario("429").whenScenarioStateIs("ok")
                .willReturn(okJson("{\"ok\":true,\"ts\":\"2.1\"}")));
        RecordingSinkTaskContext context = start(Map.of(), true);
        var record = TestEvents.record(TestEvents.failedBuildUpload("rl").build(), 0);
        assertThatThrownBy(() -> task.put(List.of(record))).isInstanceOf(RetriableException.class);
        assertThat(context.timeouts).containsExactly(2_000L);
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> task.put(List.of(record))).isInstanceOf(RetriableException.class);
        clock.advance(Duration.ofSeconds(1));
        task.put(List.of(record));
        task.put(List.of(record));
        slack.verify(2, postRequestedFor(urlEqualTo(POST_MESSAGE)));
    }

    @Test
    void aServerErrorIsRetriedWithGrowingBackoff() {
        slack.stubFor(post(POST_MESSAGE).willReturn(aResponse().withStatus(503)));
        RecordingSinkTaskContext context = start(Map.of("rate.limit.interval.ms", "0"), true);
        var record = TestEvents.record(TestEvents.failedBuildUpload("se").build(), 0);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> task.put(List.of(record))).isInstanceOf(RetriableException.class);
        }
        assertThat(context.timeouts).containsExactly(1_000L, 2_000L, 4_000L);
    }

    @Test
    void aPermanentErrorGoesToTheDeadLetterQueueOnceWithSlacksCode() {
        slack.stubFor(post(POST_MESSAGE).willReturn(okJson("{\"ok\":false,\"error\":\"channel_not_found\"}")));
        RecordingSinkTaskContext context = start(Map.of("rate.limit.interval.ms", "0"), true);
        var record = TestEvents.record(TestEvents.failedBuildUpload("pe").build(), 5);
        task.put(List.of(record));
        task.put(List.of(record));
        assertThat(context.reported).hasSize(1);
        assertThat(context.reported.get(0).error().getMessage()).contains("channel_not_found", "rule failed")
                .doesNotContain(TOKEN);
        assertThat(task.preCommit(Map.of(new TopicPartition("shipstream.events", 0), new OffsetAndMetadata(6))))
                .containsEntry(new TopicPartition("shipstream.events", 0), new OffsetAndMetadata(6));
    }

    @Test
    void aPermanentErrorWithoutADeadLetterQueueFailsTheTask() {
        slack.stubFor(post(POST_MESSAGE).willReturn(aResponse().withStatus(403).withBody("invalid_token")));
        start(Map.of(), false);
        assertThatThrownBy(() -> task.put(List.of(TestEvents.record(TestEvents.failedBuildUpload("nd").build(), 0))))
                .isInstanceOf(ConnectException.class).isNotInstanceOf(RetriableException.class)
                .hasMessageContaining("dead-letter").hasMessageNotContaining(TOKEN);
    }

    @Test
    void aTokenTheWorkerDidNotResolveStopsTheStartWithoutShowingIt() {
        String unresolved = "${env:SHIPSTREAM_NOT_SET_" + TOKEN.length() + "}";
        assertThatThrownBy(() -> start(Map.of("slack.token", unresolved), true))
                .isInstanceOf(ConnectException.class).hasMessageContaining("slack.token")
                .hasMessageNotContaining(unresolved);
    }

    @Test
    void dryRunLogsTheRenderedRequestWithoutTheTokenAndSendsNothing() {
        slackAnswersOk("1.6");
        try (CapturedLogs logs = CapturedLogs.capture()) {
            start(Map.of("dry.run", "true"), true);
            task.put(List.of(TestEvents.record(TestEvents.failedBuildUpload("dr").build(), 0)));
            assertThat(logs.lines()).anySatisfy(line -> assertThat(line).contains("dry run", "POST " + slack.baseUrl()
                    + "/api/chat.postMessage", "\"channel\":\"C-DEFAULT\"", "ITMS-90683"));
            assertThat(String.join("\n", logs.lines())).doesNotContain(TOKEN);
        }
        slack.verify(0, postRequestedFor(urlEqualTo(POST_MESSAGE)));
    }

    @Test
    void neitherTheTokenNorTheWebhookUrlIsEverLogged() {
        slack.stubFor(post("/services/T1/B1/secret-part").willReturn(aResponse().withStatus(404)
                .withBody("channel_not_found")));
        Map<String, String> props = config(Map.of("rate.limit.interval.ms", "0"));
        props.remove("slack.token");
        props.put("slack.webhook.url", slack.baseUrl() + "/services/T1/B1/secret-part");
        try (CapturedLogs logs = CapturedLogs.capture()) {
            task = new SlackSinkTask(HttpClient.newHttpClient(), clock, ledger);
            RecordingSinkTaskContext context = new RecordingSinkTaskContext(true);
            task.initialize(context);
            task.start(props);
            task.put(List.of(TestEvents.record(TestEvents.failedBuildUpload("lg").build(), 0)));
            assertThat(context.reported).hasSize(1);
            assertThat(context.reported.get(0).error().toString()).doesNotContain("secret-part");
            assertThat(logs.lines()).isNotEmpty();
            assertThat(String.join("\n", logs.lines())).doesNotContain("secret-part");
        }
    }

    @Test
    void commitsOnlyWhatWasDelivered() {
        slack.stubFor(post(POST_MESSAGE).willReturn(aResponse().withStatus(500)));
        start(Map.of(), true);
        TopicPartition partition = new TopicPartition("shipstream.events", 0);
        task.put(List.of(TestEvents.record(TestEvents.failedBuildUpload("c0").setNewState("COMPLETE").build(), 0)));
        assertThatThrownBy(() -> task.put(List.of(TestEvents.record(TestEvents.failedBuildUpload("c1").build(), 1))))
                .isInstanceOf(RetriableException.class);
        assertThat(task.preCommit(Map.of(partition, new OffsetAndMetadata(2))))
                .containsExactly(Map.entry(partition, new OffsetAndMetadata(1)));
    }

    @Test
    void anIncomingWebhookGetsTheMessageWithoutChannelOrThread() {
        slack.stubFor(post("/services/T1/B1/x").willReturn(aResponse().withStatus(200).withBody("ok")));
        Map<String, String> props = config(Map.of("rate.limit.interval.ms", "0"));
        props.remove("slack.token");
        props.remove("slack.channel");
        props.put("slack.webhook.url", slack.baseUrl() + "/services/T1/B1/x");
        task = new SlackSinkTask(HttpClient.newHttpClient(), clock, ledger);
        task.initialize(new RecordingSinkTaskContext(true));
        task.start(props);
        task.put(List.of(TestEvents.record(TestEvents.failedBuildUpload("w1").build(), 0),
                TestEvents.record(TestEvents.failedBuildUpload("w2").build(), 1)));
        slack.verify(2, postRequestedFor(urlEqualTo("/services/T1/B1/x"))
                .withRequestBody(matchingJsonPath("$.blocks"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.notContaining("thread_ts"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.notContaining("\"channel\"")));
    }

    @Test
    void noOffsetIsCommittedWhileTheKeysOfWhatWasSentAreNotDurable() {
        slackAnswersOk("1.1");
        InMemoryDeliveryLedger notDurable = new InMemoryDeliveryLedger(1_000) {
            @Override
            public void flush() {
                throw new ConnectException("the ledger topic is unreachable");
            }
        };
        task = new SlackSinkTask(HttpClient.newHttpClient(), clock, notDurable);
        task.initialize(new RecordingSinkTaskContext(true));
        task.start(config(Map.of("rate.limit.interval.ms", "0")));
        task.put(List.of(TestEvents.record(TestEvents.failedBuildUpload("nd").build(), 3)));

        assertThatThrownBy(() -> task.preCommit(Map.of(new TopicPartition("shipstream.events", 0),
                new OffsetAndMetadata(4)))).isInstanceOf(ConnectException.class);
    }
}
