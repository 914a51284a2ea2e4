package dev.shipstream.connectors.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.shipstream.connectors.testing.ConnectWorld;
import dev.shipstream.connectors.testing.TestEvents;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Slack sink in a real Kafka Connect worker: DeliveryEvents written to a topic in the Confluent wire format
 * become exactly one Slack message each (WireMock as Slack, on loopback), across duplicates, a task restart with
 * redelivery, and a 429 with Retry-After.
 */
class SlackSinkIT {

    private static final String POST_MESSAGE = "/api/chat.postMessage";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static WireMockExtension slack = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();

    private static ConnectWorld world;

    @BeforeAll
    static void startConnect() {
        world = new ConnectWorld("slack-it", null);
    }

    @AfterAll
    static void stopConnect() {
        if (world != null) {
            world.close();
        }
    }

    private static Map<String, String> connector(String topic, String channel) {
        Map<String, String> config = new HashMap<>(world.converterConfig());
        config.put("connector.class", SlackSinkConnector.class.getName());
        config.put("tasks.max", "1");
        config.put("topics", topic);
        config.put("slack.api.url", slack.baseUrl() + "/api");
        config.put("slack.token", "xoxb-it-token");
        config.put("slack.channel", channel);
        config.put("state.bootstrap.servers", world.bootstrapServers());
        config.put("state.topic", "shipstream.connect.state." + topic);
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", topic + ".dlq");
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        return config;
    }

    private static void start(String name, Map<String, String> config) throws InterruptedException {
        world.connect.kafka().createTopic(config.get("topics"), 1);
        world.connect.configureConnector(name, config);
        world.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 1, "connector did not start");
    }

    private static List<LoggedRequest> postsOf(String eventId) {
        return slack.findAll(postRequestedFor(urlEqualTo(POST_MESSAGE)).withRequestBody(containing("Event " + eventId)));
    }

    private static void awaitPosts(String eventId, int count) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(postsOf(eventId)).hasSize(count));
    }

    @Test
    void aFailedBuildAndACrashBecomeOneMessageEachWithTheirDetails() throws Exception {
        slack.stubFor(post(POST_MESSAGE).willReturn(okJson("{\"ok\":true,\"channel\":\"C\",\"ts\":\"100.001\"}")));
        start("slack-usecases", connector("events-usecases", "C-USECASES"));

        world.produce("events-usecases", TestEvents.failedBuildUpload("uc-failed").build());
        world.produce("events-usecases", TestEvents.crashFeedback("uc-crash").setVersionString("9.9.9").build());
        world.produce("events-usecases",
                TestEvents.failedBuildUpload("uc-ok").setNewState("COMPLETE").setVersionString("7.0").build());

        awaitPosts("uc-failed", 1);
        awaitPosts("uc-crash", 1);
        assertThat(postsOf("uc-failed").get(0).getBodyAsString()).contains("ITMS-90683", "Missing purpose string",
                "PROCESSING → FAILED", "\"channel\":\"C-USECASES\"");
        assertThat(postsOf("uc-crash").get(0).getBodyAsString()).contains("EXC_BAD_ACCESS", "It crashed when I tapped Pay",
                "iPhone15,2");
        assertThat(postsOf("uc-ok")).isEmpty();
        assertThat(metric("slack-usecases", "failed", "sent-total")).isEqualTo(1.0);
        assertThat(metric("slack-usecases", "feedback", "sent-total")).isEqualTo(1.0);
    }

    /** A plugin metric of the task, as the worker publishes it over JMX. */
    private static double metric(String connector, String rule, String name) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (ObjectName bean : server.queryNames(null, null)) {
            if (rule.equals(bean.getKeyProperty("rule")) && connector.equals(bean.getKeyProperty("connector"))) {
                return ((Number) server.getAttribute(bean, name)).doubleValue();
            }
        }
        throw new AssertionError("no MBean with connector=" + connector + ", rule=" + rule);
    }

    @Test
    void aDuplicateAndARedeliveryAfterATaskRestartPostNothingTwice() throws InterruptedException {
        slack.stubFor(post(POST_MESSAGE).willReturn(okJson("{\"ok\":true,\"channel\":\"C\",\"ts\":\"200.001\"}")));
        String name = "slack-restart";
        Map<String, String> config = connector("events-restart", "C-RESTART");
        config.put("rate.limit.interval.ms", "0");
        start(name, config);

        world.produce("events-restart", TestEvents.failedBuildUpload("rs-1").build());
        world.produce("events-restart", TestEvents.failedBuildUpload("rs-1").build());
        world.produce("events-restart", TestEvents.failedBuildUpload("rs-2").setBuildNumber("1046").build());
        awaitPosts("rs-2", 1);
        assertThat(postsOf("rs-1")).hasSize(1);

        // A new task that reads every record again from offset 0: only the ledger stands between it and reposts.
        world.connect.stopConnector(name);
        world.connect.assertions().assertConnectorIsStopped(name, "connector did not stop");
        world.connect.alterSinkConnectorOffset(name, new TopicPartition("events-restart", 0), 0L);
        world.connect.resumeConnector(name);
        world.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(name, 1, "connector did not resume");

        world.produce("events-restart", TestEvents.failedBuildUpload("rs-3").setBuildNumber("1047").build());
        awaitPosts("rs-3", 1);
        assertThat(postsOf("rs-1")).hasSize(1);
        assertThat(postsOf("rs-2")).hasSize(1);
        // Same app version: the thread started by rs-1 is found again after the restart.
        assertThat(postsOf("rs-3").get(0).getBodyAsString()).contains("\"thread_ts\":\"200.001\"");
    }

    @Test
    void connectsRestApiRefusesARuleThatDoesNotCompileOnItsOwnKey() {
        Map<String, String> config = connector("events-invalid", "C-INVALID");
        config.put("rules", "failed");
        config.put("rule.failed.when", "newState == 'FAILED' &&");
        config.put("name", "slack-invalid");
        var result = world.connect.validateConnectorConfig(SlackSinkConnector.class.getSimpleName(), config);
        assertThat(result.errorCount()).isEqualTo(1);
        assertThat(result.configs()).anySatisfy(info -> {
            assertThat(info.configValue().name()).isEqualTo("rule.failed.when");
            assertThat(info.configValue().errors()).singleElement().asString().contains("ERROR: <input>:1:");
        });
        assertThat(result.configs()).filteredOn(info -> info.configValue().name().equals("slack.token"))
                .singleElement().satisfies(info -> assertThat(info.configValue().value()).isEqualTo("[hidden]"));
    }

    @Test
    void a429WithRetryAfterTwoIsHonoured() throws InterruptedException {
        slack.stubFor(post(POST_MESSAGE).withRequestBody(containing("Event rl-1")).inScenario("rate")
                .whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2"))
                .willSetStateTo("ok"));
        slack.stubFor(post(POST_MESSAGE).withRequestBody(containing("Event rl-1")).inScenario("rate")
                .whenScenarioStateIs("ok")
                .willReturn(okJson("{\"ok\":true,\"channel\":\"C\",\"ts\":\"300.001\"}")));
        start("slack-429", connector("events-429", "C-429"));

        world.produce("events-429", TestEvents.failedBuildUpload("rl-1").build());

        awaitPosts("rl-1", 2);
        List<LoggedRequest> posts = postsOf("rl-1");
        long gap = posts.get(1).getLoggedDate().getTime() - posts.get(0).getLoggedDate().getTime();
        assertThat(gap).isGreaterThanOrEqualTo(2_000);
    }
}
