package dev.shipstream.connectors.jira;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.shipstream.connect.common.DeliveryOutcome;
import dev.shipstream.connect.common.InMemoryDeliveryLedger;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The three actions against WireMock as Jira Cloud: requests made, answers classified, nothing done twice. */
class JiraActionsTest {

    static final String AUTH = "Basic cmVsZWFzZUBleGFtcGxlLmNvbTpzZWNyZXQ=";
    static final Instant NOW = Instant.parse("2026-12-01T02:00:00Z");
    static final String SEARCH = "/rest/api/3/search/jql";
    static final String VERSIONS = "/rest/api/3/project/MOB/versions";

    @RegisterExtension
    static WireMockExtension jira = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();

    private final InMemoryDeliveryLedger ledger = new InMemoryDeliveryLedger(1_000);

    private JiraClient client() {
        return new JiraClient(HttpClient.newHttpClient(), URI.create(jira.baseUrl() + "/"), new Password(AUTH),
                Duration.ofSeconds(5), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private JiraRelease release(String doneStatus) {
        return new JiraRelease(client(), ledger, "MOB", doneStatus, 2);
    }

    private static final ObjectNode COMMENT = JiraDocument.create().text("Released in 2.3.0").build();

    static String issue(String key, String category) {
        return "{\"id\":\"1" + key.substring(4) + "\",\"key\":\"" + key + "\",\"fields\":{\"status\":{\"name\":\""
                + ("done".equals(category) ? "Done" : "To Do") + "\",\"statusCategory\":{\"key\":\"" + category
                + "\"}}}}";
    }

    static final String TRANSITIONS = "{\"transitions\":["
            + "{\"id\":\"11\",\"name\":\"Start\",\"to\":{\"name\":\"In Progress\",\"statusCategory\":{\"key\":\"indeterminate\"}}},"
            + "{\"id\":\"31\",\"name\":\"Ship it\",\"to\":{\"name\":\"Shipped\",\"statusCategory\":{\"key\":\"done\"}}},"
            + "{\"id\":\"41\",\"name\":\"Close\",\"to\":{\"name\":\"Closed\",\"statusCategory\":{\"key\":\"done\"}}}]}";

    static void versionsAre(String json) {
        jira.stubFor(get(VERSIONS).willReturn(okJson(json)));
    }

    /** Two pages: MOB-1 (to do) and MOB-2 (already done), then MOB-3 (to do). */
    static void twoPagesOfIssues() {
        jira.stubFor(post(SEARCH).withRequestBody(matchingJsonPath("$.nextPageToken", equalTo("page-2")))
                .willReturn(okJson("{\"issues\":[" + issue("MOB-3", "new") + "],\"isLast\":true}")));
        jira.stubFor(post(SEARCH).withRequestBody(equalToJson("{\"jql\":\"project = \\\"MOB\\\" AND fixVersion = "
                        + "\\\"2.3.0\\\" ORDER BY key ASC\",\"maxResults\":2,\"fields\":[\"status\"]}"))
                .willReturn(okJson("{\"issues\":[" + issue("MOB-1", "new") + "," + issue("MOB-2", "done")
                        + "],\"nextPageToken\":\"page-2\",\"isLast\":false}")));
    }

    static void transitionsWork() {
        transitionsWork(jira);
    }

    static void transitionsWork(WireMockExtension jira) {
        jira.stubFor(get(urlPathMatching("/rest/api/3/issue/MOB-\\d+/transitions")).willReturn(okJson(TRANSITIONS)));
        jira.stubFor(post(urlPathMatching("/rest/api/3/issue/MOB-\\d+/transitions"))
                .willReturn(aResponse().withStatus(204)));
        jira.stubFor(post(urlPathMatching("/rest/api/3/issue/MOB-\\d+/comment"))
                .willReturn(aResponse().withStatus(201).withBody("{\"id\":\"900\"}")));
        jira.stubFor(put("/rest/api/3/version/10001").willReturn(okJson("{\"id\":\"10001\",\"released\":true}")));
    }

    @Test
    void releaseMovesEveryPagesOpenIssuesToDoneByCategoryCommentsThemAndReleasesTheVersion() {
        versionsAre("[{\"id\":\"10000\",\"name\":\"2.2.0\",\"released\":true},"
                + "{\"id\":\"10001\",\"name\":\"2.3.0\",\"released\":false}]");
        twoPagesOfIssues();
        transitionsWork();

        DeliveryOutcome outcome = release(null).run("p", "2.3.0", LocalDate.of(2026, 12, 1), COMMENT);

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Delivered("moved 2, skipped 1, released 2.3.0"));
        jira.verify(2, postRequestedFor(urlEqualTo(SEARCH)).withHeader("Authorization", equalTo(AUTH)));
        for (String key : new String[] {"MOB-1", "MOB-3"}) {
            // The first transition whose target is in the done category, by its id from Jira, never a fixed one.
            jira.verify(1, postRequestedFor(urlEqualTo("/rest/api/3/issue/" + key + "/transitions"))
                    .withRequestBody(equalToJson("{\"transition\":{\"id\":\"31\"}}")));
            jira.verify(1, postRequestedFor(urlEqualTo("/rest/api/3/issue/" + key + "/comment"))
                    .withRequestBody(matchingJsonPath("$.body.type", equalTo("doc")))
                    .withRequestBody(matchingJsonPath("$.body.content[0].content[0].text", equalTo("Released in 2.3.0"))));
        }
        jira.verify(0, getRequestedFor(urlEqualTo("/rest/api/3/issue/MOB-2/transitions")));
        jira.verify(0, postRequestedFor(urlEqualTo("/rest/api/3/issue/MOB-2/comment")));
        jira.verify(1, putRequestedFor(urlEqualTo("/rest/api/3/version/10001"))
                .withRequestBody(equalToJson("{\"released\":true,\"releaseDate\":\"2026-12-01\"}")));
    }

    @Test
    void releaseTakesTheTransitionNamedByTheDoneStatus() {
        versionsAre("[{\"id\":\"10001\",\"name\":\"2.3.0\",\"released\":false}]");
        twoPagesOfIssues();
        transitionsWork();

        release("Closed").run("p", "2.3.0", LocalDate.of(2026, 12, 1), COMMENT);

        jira.verify(1, postRequestedFor(urlEqualTo("/rest/api/3/issue/MOB-1/transitions"))
                .withRequestBody(equalToJson("{\"transition\":{\"id\":\"41\"}}")));
    }

    @Test
    void releaseAfterAConflictPartWayMovesNoIssueTwice() {
        versionsAre("[{\"id\":\"10001\",\"name\":\"2.3.0\",\"released\":false}]");
        twoPagesOfIssues();
        transitionsWork();
        // MOB-3's transition conflicts once (409), then succeeds.
        jira.stubFor(post("/rest/api/3/issue/MOB-3/transitions").inScenario("conflict").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(409).withBody("{\"errorMessages\":[\"conflicting update\"]}"))
                .willSetStateTo("free"));
        jira.stubFor(post("/rest/api/3/issue/MOB-3/transitions").inScenario("conflict").whenScenarioStateIs("free")
                .willReturn(aResponse().withStatus(204)));

        DeliveryOutcome first = release(null).run("p", "2.3.0", LocalDate.of(2026, 12, 1), COMMENT);
        DeliveryOutcome second = release(null).run("p", "2.3.0", LocalDate.of(2026, 12, 1), COMMENT);

        assertThat(first).isInstanceOf(DeliveryOutcome.Retry.class);
        assertThat(((DeliveryOutcome.Retry) first).reason()).contains("409");
        assertThat(second).isInstanceOf(DeliveryOutcome.Delivered.class);
        // The search still shows MOB-1 "to do" (its index lags), but the ledger knows it is done and commented.
        jira.verify(1, postRequestedFor(urlEqualTo("/rest/api/3/issue/MOB-1/transitions")));
        jira.verify(1, postRequestedFor(urlEqualTo("/rest/api/3/issue/MOB-1/comment")));
        jira.verify(2, postRequestedFor(urlEqualTo("/rest/api/3/issue/MOB-3/transitions")));
        jira.verify(1, postRequestedFor(urlEqualTo("/rest/api/3/issue/MOB-3/comment")));
        jira.verify(1, putRequestedFor(urlEqualTo("/rest/api/3/version/10001")));
    }

    @Test
    void releaseOfAnAlreadyReleasedVersionDoesNotReleaseItAgain() {
        versionsAre("[{\"id\":\"10001\",\"name\":\"2.3.0\",\"released\":true}]");
        twoPagesOfIssues();
        transitionsWork();

        assertThat(release(null).run("p", "2.3.0", LocalDate.of(2026, 12, 1), COMMENT))
                .isInstanceOf(DeliveryOutcome.Delivered.class);
        jira.verify(0, putRequestedFor(urlPathMatching("/rest/api/3/version/.*")));
    }

    @Test
    void releaseOfAVersionJiraDoesNotKnowIsPermanentAndChangesNothing() {
        versionsAre("[{\"id\":\"10000\",\"name\":\"2.2.0\",\"released\":true}]");

        DeliveryOutcome outcome = release(null).run("p", "2.3.0", LocalDate.of(2026, 12, 1), COMMENT);

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Permanent("project MOB has no version '2.3.0'"));
        jira.verify(0, postRequestedFor(urlEqualTo(SEARCH)));
    }

    @Test
    void anIssueWithoutATransitionToDoneIsNamedAndTheVersionStaysUnreleased() {
        versionsAre("[{\"id\":\"10001\",\"name\":\"2.3.0\",\"released\":false}]");
        twoPagesOfIssues();
        transitionsWork();
        jira.stubFor(get("/rest/api/3/issue/MOB-3/transitions").willReturn(okJson("{\"transitions\":[{\"id\":\"11\","
                + "\"name\":\"Start\",\"to\":{\"name\":\"In Progress\",\"statusCategory\":{\"key\":\"indeterminate\"}}}]}")));

        DeliveryOutcome outcome = release(null).run("p", "2.3.0", LocalDate.of(2026, 12, 1), COMMENT);

        assertThat(outcome).isInstanceOf(DeliveryOutcome.Permanent.class);
        assertThat(((DeliveryOutcome.Permanent) outcome).reason()).contains("MOB-3", "Start → In Progress",
                "left unreleased");
        jira.verify(1, postRequestedFor(urlEqualTo("/rest/api/3/issue/MOB-1/transitions")));
        jira.verify(0, putRequestedFor(urlPathMatching("/rest/api/3/version/.*")));
    }

    @Test
    void aVersionWithAQuoteStaysOneQuotedJqlValue() {
        versionsAre("[{\"id\":\"10002\",\"name\":\"2.3\\\" OR project = \\\"OPS\",\"released\":false}]");
        jira.stubFor(post(SEARCH).willReturn(okJson("{\"issues\":[],\"isLast\":true}")));
        jira.stubFor(put("/rest/api/3/version/10002").willReturn(okJson("{}")));

        release(null).run("p", "2.3\" OR project = \"OPS", LocalDate.of(2026, 12, 1), COMMENT);

        jira.verify(1, postRequestedFor(urlEqualTo(SEARCH)).withRequestBody(matchingJsonPath("$.jql",
                equalTo("project = \"MOB\" AND fixVersion = \"2.3\\\" OR project = \\\"OPS\" ORDER BY key ASC"))));
    }

    @Test
    void aSearchRefusedWithErrorMessagesIsPermanentWithJirasWords() {
        versionsAre("[{\"id\":\"10001\",\"name\":\"2.3.0\",\"released\":false}]");
        jira.stubFor(post(SEARCH).willReturn(aResponse().withStatus(400).withBody(
                "{\"errorMessages\":[\"The value '2.3.0' does not exist for the field 'fixVersion'.\"],\"errors\":{}}")));

        DeliveryOutcome outcome = release(null).run("p", "2.3.0", LocalDate.of(2026, 12, 1), COMMENT);

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Permanent("POST /rest/api/3/search/jql: HTTP 400: "
                + "The value '2.3.0' does not exist for the field 'fixVersion'."));
    }

    @Test
    void a429WithRetryAfterIsARetryAfterThatLong() {
        jira.stubFor(get(VERSIONS).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")
                .withHeader("X-RateLimit-Reset", "2026-12-01T02:10Z")));

        DeliveryOutcome outcome = release(null).run("p", "2.3.0", LocalDate.of(2026, 12, 1), COMMENT);

        assertThat(outcome).isInstanceOf(DeliveryOutcome.Retry.class);
        DeliveryOutcome.Retry retry = (DeliveryOutcome.Retry) outcome;
        assertThat(retry.after()).isEqualTo(Duration.ofSeconds(7));
        assertThat(retry.fromTarget()).isTrue();
    }

    @Test
    void createSearchesItsLabelFirstAndCreatesNothingWhenAnIssueHasIt() {
        jira.stubFor(post(SEARCH).willReturn(okJson("{\"issues\":[{\"id\":\"10\",\"key\":\"MOB-7\"}],\"isLast\":true}")));
        jira.stubFor(post("/rest/api/3/issue").willReturn(aResponse().withStatus(201).withBody("{\"key\":\"MOB-99\"}")));

        DeliveryOutcome outcome = new JiraIssueCreation(client(), "MOB").run("shipstream-0123abcd", fields());

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Delivered("MOB-7"));
        jira.verify(1, postRequestedFor(urlEqualTo(SEARCH)).withRequestBody(matchingJsonPath("$.jql",
                equalTo("project = \"MOB\" AND labels = \"shipstream-0123abcd\" ORDER BY created DESC"))));
        jira.verify(0, postRequestedFor(urlEqualTo("/rest/api/3/issue")));
    }

    @Test
    void createCreatesTheIssueWhenNoneHasItsLabel() {
        jira.stubFor(post(SEARCH).willReturn(okJson("{\"issues\":[],\"isLast\":true}")));
        jira.stubFor(post("/rest/api/3/issue").willReturn(aResponse().withStatus(201)
                .withBody("{\"id\":\"10000\",\"key\":\"MOB-24\",\"self\":\"x\"}")));

        DeliveryOutcome outcome = new JiraIssueCreation(client(), "MOB").run("shipstream-0123abcd", fields());

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Delivered("MOB-24"));
        jira.verify(1, postRequestedFor(urlEqualTo("/rest/api/3/issue"))
                .withRequestBody(matchingJsonPath("$.fields.summary", equalTo("Demo 2.3.0: crash"))));
    }

    @Test
    void aCreateRefusedAsForbiddenIsPermanentWithJirasFieldErrors() {
        jira.stubFor(post(SEARCH).willReturn(okJson("{\"issues\":[],\"isLast\":true}")));
        jira.stubFor(post("/rest/api/3/issue").willReturn(aResponse().withStatus(403)
                .withBody("{\"errorMessages\":[],\"errors\":{\"issuetype\":\"You may not create issues of type Bug\"}}")));

        DeliveryOutcome outcome = new JiraIssueCreation(client(), "MOB").run("shipstream-0123abcd", fields());

        assertThat(outcome).isEqualTo(new DeliveryOutcome.Permanent(
                "POST /rest/api/3/issue: HTTP 403: issuetype: You may not create issues of type Bug"));
    }

    @Test
    void commentGoesToTheIssueTheLedgerRemembersElseToTheNewestWithTheSubjectLabel() {
        jira.stubFor(post(urlPathMatching("/rest/api/3/issue/MOB-\\d+/comment"))
                .willReturn(aResponse().withStatus(201).withBody("{\"id\":\"1\"}")));
        jira.stubFor(post(SEARCH).willReturn(okJson("{\"issues\":[{\"key\":\"MOB-12\"}],\"isLast\":true}")));
        ledger.record("jira-issue:k", "MOB-5");
        JiraComment comment = new JiraComment(client(), ledger, "MOB");

        assertThat(comment.run("jira-issue:k", "shipstream-subject-1", COMMENT))
                .isEqualTo(new DeliveryOutcome.Delivered("MOB-5"));
        assertThat(comment.run("jira-issue:other", "shipstream-subject-1", COMMENT))
                .isEqualTo(new DeliveryOutcome.Delivered("MOB-12"));
        jira.verify(1, postRequestedFor(urlEqualTo("/rest/api/3/issue/MOB-5/comment")));
        jira.verify(1, postRequestedFor(urlEqualTo("/rest/api/3/issue/MOB-12/comment")));
        jira.verify(1, postRequestedFor(urlEqualTo(SEARCH)));
    }

    @Test
    void commentWithNoIssueToCommentOnDoesNothing() {
        jira.stubFor(post(SEARCH).willReturn(okJson("{\"issues\":[],\"isLast\":true}")));

        assertThat(new JiraComment(client(), ledger, "MOB").run("jira-issue:k", "shipstream-subject-1", COMMENT))
                .isEqualTo(new DeliveryOutcome.Delivered(null));
        jira.verify(0, postRequestedFor(urlPathMatching(".*/comment")));
    }

    private static ObjectNode fields() {
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        fields.putObject("project").put("key", "MOB");
        fields.put("summary", "Demo 2.3.0: crash");
        return fields;
    }
}
