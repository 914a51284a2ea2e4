package dev.shipstream.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The use cases of the README, end to end: a webhook signed as App Store Connect signs it is POSTed to the real
 * ingress, the real streams app normalises it and enriches it from the App Store Connect API (a stub), and the
 * connectors of {@code connectors/examples/}, created verbatim over the REST API of the devstack's real Connect
 * worker (which loads them from the packaged plugin), call the Slack, Jira and GitHub stubs. Only the examples' URLs
 * and broker address are swapped for the stubs'; their {@code ${env:...}} secrets resolve from the test JVM's
 * environment (set by the module's failsafe configuration).
 *
 * <p>Every test uses event and resource ids of its own; "exactly one" counts every request any connector made to
 * the stub for that event. "Nothing more" is asserted with a bounded wait that must hold throughout, where possible
 * after a later event of the same resource (same partition, so read after everything before it) was delivered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class UseCasesIT {

    private static final String POST_MESSAGE = "/api/chat.postMessage";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DELIVERY = Duration.ofSeconds(60);
    /** How long "nothing more arrives" must hold: far above a delivery on an idle machine (tens of ms). */
    private static final Duration QUIET = Duration.ofSeconds(3);
    private static final String FAILURES = "4-slack-build-failed-or-rejected.json";
    private static final String FEEDBACK = "5-slack-testflight-feedback.json";
    private static final String RELEASE_NOTE = "3-slack-release-note.json";
    private static final String JIRA_RELEASE = "3-jira-release.json";
    private static final String SUBMIT_FOR_REVIEW = "1-github-submit-for-review.json";
    private static final String MERGE_BACK = "2-github-merge-back.json";
    /** The repository of the GitHub examples; their {@code github.repository} is not changed. */
    private static final String DISPATCHES = "/repos/your-org/your-app/dispatches";
    private static final String DRY_RUN = "dry-run/";

    private EndToEndStack world;
    private ExampleConnector failures;
    private ExampleConnector releaseNote;
    private ExampleConnector jira;
    private ExampleConnector mergeBack;

    @BeforeAll
    void startTheStackAndCreateTheExampleConnectors(@TempDir Path work) {
        world = EndToEndStack.start(work);
        world.slack.stubFor(post(POST_MESSAGE).willReturn(okJson("{\"ok\":true,\"channel\":\"C0RELEASES\","
                + "\"ts\":\"1733000000.000100\"}")));
        failures = slackExample(FAILURES);
        world.create(failures);
        world.create(slackExample(FEEDBACK));
        releaseNote = slackExample(RELEASE_NOTE);
        world.create(releaseNote);
        jira = ExampleConnector.load(JIRA_RELEASE)
                .with("jira.url", world.jira.baseUrl())
                .with("state.bootstrap.servers", world.bootstrapServers());
        world.create(jira);
        world.github.stubFor(post(DISPATCHES).willReturn(aResponse().withStatus(204)));
        world.create(githubExample(SUBMIT_FOR_REVIEW));
        mergeBack = githubExample(MERGE_BACK);
        world.create(mergeBack);
    }

    @AfterAll
    void stopTheStack() {
        if (world != null) {
            world.close();
        }
    }

    private ExampleConnector slackExample(String file) {
        return ExampleConnector.load(file)
                .with("slack.api.url", world.slackApiUrl())
                .with("state.bootstrap.servers", world.bootstrapServers());
    }

    private ExampleConnector githubExample(String file) {
        return ExampleConnector.load(file)
                .with("github.api.url", world.github.baseUrl())
                .with("state.bootstrap.servers", world.bootstrapServers());
    }

    @Test
    void useCase1ASignedCompleteBuildUploadCausesExactlyOneRepositoryDispatchWithVersionAndBuild() {
        String upload = id("upload");
        String event = id("event");
        AppStoreConnectAnswers.buildUpload(world.appStoreConnect, upload, "build-upload-complete.json");

        world.postAppStoreConnect(EndToEndStack.appStoreConnectWebhook("build-upload-complete", event, upload));

        LoggedRequest request = awaitOneDispatch(event);
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer ghp_e2eGitHubToken");
        assertThat(request.getHeader("X-GitHub-Api-Version")).isNotBlank();
        JsonNode dispatch = json(request);
        assertThat(dispatch.path("event_type").asText()).isEqualTo("shipstream.build.processed");
        assertThat(dispatch.path("client_payload").path("version").asText()).isEqualTo("1.101.0");
        assertThat(dispatch.path("client_payload").path("build").asText()).isEqualTo("1");
        assertThat(messagesOf(event)).as("a processed build is no failure").isEmpty();
    }

    @Test
    void useCase4ASignedFailedBuildUploadBecomesOneSlackMessageWithTheItmsReason() {
        String upload = id("upload");
        String event = id("event");
        AppStoreConnectAnswers.buildUpload(world.appStoreConnect, upload, "build-upload-failed.json");

        world.postAppStoreConnect(EndToEndStack.appStoreConnectWebhook("build-upload-failed", event, upload));

        LoggedRequest message = awaitOneMessage(event);
        assertThat(message.getHeader("Authorization")).isEqualTo("Bearer xoxb-e2e-slack-token");
        assertThat(message.getBodyAsString()).contains("\"channel\":\"C0123456789\"", "90683",
                "Missing purpose string in Info.plist", "PROCESSING → FAILED", "1.101.0");
    }

    @Test
    void useCase4ASignedRejectionBecomesOneSlackMessageAndAnApprovalNone() {
        String version = id("version");
        String rejected = id("event");
        String approved = id("event");
        AppStoreConnectAnswers.appStoreVersion(world.appStoreConnect, version);

        world.postAppStoreConnect(EndToEndStack.appStoreConnectWebhook("pending-developer-release", approved, version));
        world.postAppStoreConnect(EndToEndStack.appStoreConnectWebhook("rejected", rejected, version));

        assertThat(awaitOneMessage(rejected).getBodyAsString()).contains("IN_REVIEW → REJECTED", "1.101.0");
        assertThat(messagesOf(approved)).as("an approval is not a failure").isEmpty();
    }

    @Test
    void useCase4AnEasBuildThatErroredSignedTheExpoWayBecomesOneSlackMessageWithItsError() {
        String build = UUID.randomUUID().toString();

        world.postEas(EndToEndStack.easWebhook("build-errored", build));

        assertThat(awaitOneMessage(build + ":errored").getBodyAsString()).contains("EAS build", "errored",
                "UNKNOWN_ERROR", "Unknown error. Please see logs.", "1.0.2");
    }

    @Test
    void useCase5ASignedCrashFeedbackBecomesOneSlackMessageWithTheCommentDeviceAndCrashLog() {
        String submission = id("crash");
        String event = id("event");
        AppStoreConnectAnswers.crashFeedback(world.appStoreConnect, submission);

        world.postAppStoreConnect(EndToEndStack.appStoreConnectWebhook("feedback-crash", event, submission));

        assertThat(awaitOneMessage(event).getBodyAsString()).contains("Crashed when I opened the settings tab",
                "iPhone15_2", "18.4.1", "EXC_CRASH (SIGABRT)", "SettingsViewController.viewDidLoad()");
    }

    /**
     * The one release of this class (the fixture's version 1.101.0): every connector acting on
     * {@code READY_FOR_DISTRIBUTION} is checked here, so no other test's event moves the same Jira issues.
     */
    @Test
    void useCases2And3OneSignedReleaseCausesOneMergeBackDispatchMovesExactlyThatVersionsJiraIssuesAndPostsOneNote() {
        String version = id("version");
        String event = id("event");
        AppStoreConnectAnswers.appStoreVersion(world.appStoreConnect, version);
        JiraProject.stub(world.jira);

        byte[] webhook = EndToEndStack.appStoreConnectWebhook("ready-for-distribution", event, version);
        world.postAppStoreConnect(webhook);

        // Use case 2: the merge-back job.
        JsonNode dispatch = json(awaitOneDispatch(event));
        assertThat(dispatch.path("event_type").asText()).isEqualTo("shipstream.version.ready");
        assertThat(dispatch.path("client_payload").path("version").asText()).isEqualTo("1.101.0");
        // Use case 3: the Jira issues, the Jira version and the release note.
        assertThat(awaitOneMessage(event).getBodyAsString()).contains("Released: ", "1.101.0",
                "ready for distribution on the App Store", "fixVersion 1.101.0");
        await("the Jira version released").atMost(DELIVERY)
                .until(() -> !world.jira.findAll(JiraProject.RELEASE_VERSION).isEmpty());
        JiraProject.assertReleasedOnce(world.jira);
        assertThat(world.jira.findAll(anyRequestedFor(anyUrl()))).allSatisfy(request -> assertThat(
                request.getHeader("Authorization")).isEqualTo("Basic " + Base64.getEncoder().encodeToString(
                "release-bot@example.com:e2e-jira-api-token".getBytes(StandardCharsets.UTF_8))));

        // Redelivered, and the connectors' tasks restarted: neither GitHub, Jira nor Slack hears anything more.
        int jiraRequests = world.jira.getAllServeEvents().size();
        world.postAppStoreConnect(webhook);
        world.restartWithTasks(mergeBack.name());
        world.restartWithTasks(jira.name());
        world.restartWithTasks(releaseNote.name());
        await("nothing more reaches GitHub, Jira or Slack").during(QUIET).atMost(QUIET.plusSeconds(5))
                .pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                    assertThat(dispatchesOf(event)).hasSize(1);
                    assertThat(world.jira.getAllServeEvents()).hasSize(jiraRequests);
                    assertThat(messagesOf(event)).hasSize(1);
                });
        JiraProject.assertReleasedOnce(world.jira);
    }

    @Test
    void theDryRunExamplesLogTheRequestTheyWouldSendAndSendNothing() {
        String dryRunApi = world.slack.baseUrl() + "/dry-run/api";
        String upload = id("upload");
        String event = id("event");
        AppStoreConnectAnswers.buildUpload(world.appStoreConnect, upload, "build-upload-failed.json");
        ExampleConnector dryRun = slackExample(DRY_RUN + FAILURES).with("slack.api.url", dryRunApi);
        try (CapturedLog log = CapturedLog.of("dev.shipstream.connect.common.DeliverySinkTask")) {
            world.create(dryRun);

            world.postAppStoreConnect(EndToEndStack.appStoreConnectWebhook("build-upload-failed", event, upload));

            awaitOneMessage(event);
            await("the dry run's log line").atMost(DELIVERY).untilAsserted(() -> assertThat(log.lines())
                    .filteredOn(line -> line.contains(dryRun.name() + " dry run") && line.contains("Event " + event))
                    .singleElement().asString()
                    .contains(dryRunApi + "/chat.postMessage", "Missing purpose string", "C0123456789")
                    .doesNotContain(dryRun.config().get("slack.token")));
            assertThat(world.slack.findAll(postRequestedFor(urlPathMatching("/dry-run/.*")))).isEmpty();
        } finally {
            world.delete(dryRun.name());
        }
    }

    @Test
    void aRedeliveredWebhookATaskRestartAndAReplayFromTheFirstOffsetPostNothingTwice() {
        String upload = id("upload");
        String first = id("event");
        AppStoreConnectAnswers.buildUpload(world.appStoreConnect, upload, "build-upload-failed.json");
        byte[] webhook = EndToEndStack.appStoreConnectWebhook("build-upload-failed", first, upload);
        world.postAppStoreConnect(webhook);
        awaitOneMessage(first);

        // App Store Connect retries a delivery it thinks failed: the same bytes, the same signature.
        world.postAppStoreConnect(webhook);
        world.restartWithTasks(failures.name());
        String second = id("event");
        world.postAppStoreConnect(EndToEndStack.appStoreConnectWebhook("build-upload-failed", second, upload));
        awaitOneMessage(second);
        assertStaysOne(first);

        // A task that starts again from the first offset sees every event again: the ledger alone prevents reposts.
        world.replayFromTheBeginning(failures.name());
        String third = id("event");
        world.postAppStoreConnect(EndToEndStack.appStoreConnectWebhook("build-upload-failed", third, upload));
        awaitOneMessage(third);
        assertStaysOne(first);
        assertStaysOne(second);
    }

    private static String id(String kind) {
        return "e2e-" + kind + "-" + UUID.randomUUID();
    }

    /** Every chat.postMessage the Slack stub received about {@code eventId}, from any connector. */
    private List<LoggedRequest> messagesOf(String eventId) {
        return world.slack.findAll(postRequestedFor(urlEqualTo(POST_MESSAGE))
                .withRequestBody(containing("Event " + eventId)));
    }

    /** Every repository_dispatch the GitHub stub received about {@code eventId}, from any connector. */
    private List<LoggedRequest> dispatchesOf(String eventId) {
        return world.github.findAll(postRequestedFor(urlEqualTo(DISPATCHES))
                .withRequestBody(containing("\"eventId\":\"" + eventId + "\"")));
    }

    private LoggedRequest awaitOneDispatch(String eventId) {
        await("a repository_dispatch about " + eventId).atMost(DELIVERY).pollInterval(Duration.ofMillis(100))
                .until(() -> !dispatchesOf(eventId).isEmpty());
        await("exactly one repository_dispatch about " + eventId).during(QUIET).atMost(QUIET.plusSeconds(5))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(dispatchesOf(eventId)).hasSize(1));
        return dispatchesOf(eventId).get(0);
    }

    private static JsonNode json(LoggedRequest request) {
        try {
            return JSON.readTree(request.getBodyAsString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private LoggedRequest awaitOneMessage(String eventId) {
        await("a Slack message about " + eventId).atMost(DELIVERY).pollInterval(Duration.ofMillis(100))
                .until(() -> !messagesOf(eventId).isEmpty());
        assertStaysOne(eventId);
        return messagesOf(eventId).get(0);
    }

    private void assertStaysOne(String eventId) {
        await("exactly one Slack message about " + eventId).during(QUIET).atMost(QUIET.plusSeconds(5))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(messagesOf(eventId)).hasSize(1));
    }
}
