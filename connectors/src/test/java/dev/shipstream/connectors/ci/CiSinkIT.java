package dev.shipstream.connectors.ci;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.shipstream.connectors.testing.ConnectWorld;
import dev.shipstream.connectors.testing.TestEvents;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.EventCategory;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The CI sink in a real Kafka Connect worker with WireMock as GitHub: DeliveryEvents written in the Confluent wire
 * format become exactly one {@code repository_dispatch} per use case (1: a build finished processing, 2: the version
 * is ready for distribution), carrying version and build, across a duplicate and a task restart that re-reads every
 * record.
 */
class CiSinkIT {

    private static final String DISPATCHES = "/repos/octo-org/ios-app/dispatches";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static WireMockExtension github = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();

    private static ConnectWorld world;

    @BeforeAll
    static void startConnect() {
        world = new ConnectWorld("ci-it", null);
    }

    @AfterAll
    static void stopConnect() {
        if (world != null) {
            world.close();
        }
    }

    private static Map<String, String> connector(String topic) {
        Map<String, String> config = new HashMap<>(world.converterConfig());
        config.put("connector.class", CiSinkConnector.class.getName());
        config.put("tasks.max", "1");
        config.put("topics", topic);
        config.put("ci.provider", "github");
        config.put("github.api.url", github.baseUrl());
        config.put("github.repository", "octo-org/ios-app");
        config.put("github.token", "ghp_it_token");
        config.put("rate.limit.interval.ms", "0");
        config.put("state.bootstrap.servers", world.bootstrapServers());
        config.put("state.topic", "shipstream.connect.state." + topic);
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", topic + ".dlq");
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        return config;
    }

    private static DeliveryEvent buildComplete(String eventId, String build) {
        return TestEvents.failedBuildUpload(eventId).setNewState("COMPLETE").setBuildNumber(build)
                .setErrors(List.of()).build();
    }

    private static DeliveryEvent versionReady(String eventId) {
        return TestEvents.failedBuildUpload(eventId).setCategory(EventCategory.APP_VERSION_STATE)
                .setEventType("appStoreVersionAppVersionStateUpdated").setEntityKey("asc:appStoreVersions:v-1")
                .setPreviousState("PENDING_DEVELOPER_RELEASE").setNewState("READY_FOR_DISTRIBUTION")
                .setErrors(List.of()).build();
    }

    private static List<LoggedRequest> dispatchesOf(String eventId) {
        return github.findAll(postRequestedFor(urlEqualTo(DISPATCHES))
                .withRequestBody(containing("\"eventId\":\"" + eventId + "\"")));
    }

    private static void awaitDispatches(String eventId, int count) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(dispatchesOf(eventId)).hasSize(count));
    }

    @Test
    void useCasesOneAndTwoBecomeOneDispatchEachAcrossADuplicateAndATaskRestart() throws Exception {
        github.stubFor(post(DISPATCHES).willReturn(aResponse().withStatus(204)));
        String name = "ci-github";
        String topic = "events-ci";
        world.connect.kafka().createTopic(topic, 1);
        world.connect.configureConnector(name, connector(topic));
        world.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 1, "connector did not start");

        world.produce(topic, buildComplete("ci-1", "1045"));
        world.produce(topic, buildComplete("ci-1", "1045"));
        world.produce(topic, versionReady("ci-2"));
        world.produce(topic, TestEvents.failedBuildUpload("ci-failed").build());
        awaitDispatches("ci-1", 1);
        awaitDispatches("ci-2", 1);

        JsonNode processed = new ObjectMapper().readTree(dispatchesOf("ci-1").get(0).getBodyAsString());
        assertThat(processed.path("event_type").asText()).isEqualTo("shipstream.build.processed");
        assertThat(processed.at("/client_payload/version").asText()).isEqualTo("2.3.0");
        assertThat(processed.at("/client_payload/build").asText()).isEqualTo("1045");
        assertThat(dispatchesOf("ci-1").get(0).getHeader("Authorization")).isEqualTo("Bearer ghp_it_token");
        JsonNode ready = new ObjectMapper().readTree(dispatchesOf("ci-2").get(0).getBodyAsString());
        assertThat(ready.path("event_type").asText()).isEqualTo("shipstream.version.ready");

        // A new task that reads every record again from offset 0: only the ledger stands between it and a re-dispatch.
        world.connect.stopConnector(name);
        world.connect.assertions().assertConnectorIsStopped(name, "connector did not stop");
        world.connect.alterSinkConnectorOffset(name, new TopicPartition(topic, 0), 0L);
        world.connect.resumeConnector(name);
        world.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 1, "connector did not resume");

        world.produce(topic, buildComplete("ci-3", "1046"));
        awaitDispatches("ci-3", 1);
        assertThat(dispatchesOf("ci-1")).hasSize(1);
        assertThat(dispatchesOf("ci-2")).hasSize(1);
        assertThat(dispatchesOf("ci-failed")).isEmpty();
        assertThat(github.findAll(postRequestedFor(urlEqualTo(DISPATCHES)))).hasSize(3);
    }
}
