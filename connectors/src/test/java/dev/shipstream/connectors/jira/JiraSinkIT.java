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
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.shipstream.connectors.testing.ConnectWorld;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Jira sink in a real Kafka Connect worker (use case 3): a READY_FOR_DISTRIBUTION event written to a topic in
 * the Confluent wire format moves exactly the open issues with that fixVersion to done (WireMock as Jira, on
 * loopback), comments them, and releases the Jira version; a task restart that reads the event again changes
 * nothing in the stub's journal.
 */
class JiraSinkIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SEARCH = "/rest/api/3/search/jql";

    @RegisterExtension
    static WireMockExtension jira = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();

    private static ConnectWorld world;

    @BeforeAll
    static void startConnect() {
        world = new ConnectWorld("jira-it", null);
    }

    @AfterAll
    static void stopConnect() {
        if (world != null) {
            world.close();
        }
    }

    private static Map<String, String> connector(String topic) {
        Map<String, String> config = new HashMap<>(world.converterConfig());
        config.put("connector.class", JiraSinkConnector.class.getName());
        config.put("tasks.max", "1");
        config.put("topics", topic);
        config.put("jira.url", jira.baseUrl());
        config.put("jira.email", "release@example.com");
        config.put("jira.api.token", "it-api-token");
        config.put("jira.project", "MOB");
        config.put("state.bootstrap.servers", world.bootstrapServers());
        config.put("state.topic", "shipstream.connect.state." + topic);
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", topic + ".dlq");
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        return config;
    }

    @Test
    void readyForDistributionMovesTheVersionsOpenIssuesToDoneOnceAndReleasesIt() throws InterruptedException {
        jira.stubFor(get("/rest/api/3/project/MOB/versions").willReturn(okJson(
                "[{\"id\":\"10000\",\"name\":\"2.2.0\",\"released\":true},"
                        + "{\"id\":\"10001\",\"name\":\"2.3.0\",\"released\":false}]")));
        // Only the query for 2.3.0 answers with issues: MOB-1 open, MOB-2 already done.
        jira.stubFor(post(SEARCH).withRequestBody(matchingJsonPath("$.jql",
                        equalTo("project = \"MOB\" AND fixVersion = \"2.3.0\" ORDER BY key ASC")))
                .willReturn(okJson("{\"issues\":[" + JiraActionsTest.issue("MOB-1", "new") + ","
                        + JiraActionsTest.issue("MOB-2", "done") + "],\"isLast\":true}")));
        JiraActionsTest.transitionsWork(jira);
        String name = "jira-release";
        Map<String, String> config = connector("events-release");
        world.connect.kafka().createTopic(config.get("topics"), 1);
        world.connect.configureConnector(name, config);
        world.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 1, "connector did not start");

        world.produce("events-release", JiraSinkTaskTest.readyForDistribution("it-rel-1", "2.3.0").build());

        await().atMost(WAIT).untilAsserted(() -> jira.verify(1, putRequestedFor(urlEqualTo("/rest/api/3/version/10001"))
                .withRequestBody(equalToJson("{\"released\":true,\"releaseDate\":\"2026-11-30\"}"))));
        jira.verify(1, postRequestedFor(urlEqualTo("/rest/api/3/issue/MOB-1/transitions"))
                .withRequestBody(equalToJson("{\"transition\":{\"id\":\"31\"}}")));
        jira.verify(1, postRequestedFor(urlEqualTo("/rest/api/3/issue/MOB-1/comment")));
        jira.verify(0, getRequestedFor(urlEqualTo("/rest/api/3/issue/MOB-2/transitions")));
        jira.verify(0, postRequestedFor(urlPathMatching("/rest/api/3/issue/MOB-2/.*")));
        int requestsAfterRelease = jira.getAllServeEvents().size();

        // A new task that reads the event again from offset 0: only the ledger stands between it and a second release.
        world.connect.stopConnector(name);
        world.connect.assertions().assertConnectorIsStopped(name, "connector did not stop");
        world.connect.alterSinkConnectorOffset(name, new TopicPartition("events-release", 0), 0L);
        world.connect.resumeConnector(name);
        world.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 1, "connector did not resume");
        // A later version's event proves the restarted task has read past the first one.
        jira.stubFor(get("/rest/api/3/project/MOB/versions").willReturn(okJson(
                "[{\"id\":\"10001\",\"name\":\"2.3.0\",\"released\":true},"
                        + "{\"id\":\"10002\",\"name\":\"2.4.0\",\"released\":false}]")));
        jira.stubFor(put("/rest/api/3/version/10002").willReturn(aResponse().withStatus(200).withBody("{}")));
        jira.stubFor(post(SEARCH).withRequestBody(matchingJsonPath("$.jql",
                        equalTo("project = \"MOB\" AND fixVersion = \"2.4.0\" ORDER BY key ASC")))
                .willReturn(okJson("{\"issues\":[],\"isLast\":true}")));
        world.produce("events-release", JiraSinkTaskTest.readyForDistribution("it-rel-2", "2.4.0").build());

        await().atMost(WAIT).untilAsserted(() -> jira.verify(1, putRequestedFor(urlEqualTo("/rest/api/3/version/10002"))));
        jira.verify(1, postRequestedFor(urlEqualTo("/rest/api/3/issue/MOB-1/transitions")));
        jira.verify(1, postRequestedFor(urlEqualTo("/rest/api/3/issue/MOB-1/comment")));
        jira.verify(1, putRequestedFor(urlEqualTo("/rest/api/3/version/10001")));
        // The second event cost exactly its own three calls (versions, search, release).
        assertThat(jira.getAllServeEvents()).hasSize(requestsAfterRelease + 3);
    }
}
