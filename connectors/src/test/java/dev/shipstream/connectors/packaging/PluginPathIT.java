package dev.shipstream.connectors.packaging;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.shipstream.connectors.testing.ConnectWorld;
import dev.shipstream.connectors.testing.TestEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged plugin works on its own: a Connect worker whose {@code plugin.path} is the unpacked plugin directory
 * ({@code connectors/target/plugin}, the same tree as the zip) loads the Slack sink from there, in its own plugin
 * class loader, and delivers an event. Run by a Failsafe execution whose classpath lacks the module's own classes,
 * so the connector cannot come from the classpath.
 */
class PluginPathIT {

    private static final String CONNECTOR = "dev.shipstream.connectors.slack.SlackSinkConnector";

    @RegisterExtension
    static WireMockExtension slack = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();

    @Test
    void theSlackSinkRunsFromThePluginPathAlone() throws Exception {
        String pluginPath = System.getProperty("shipstream.plugin.path");
        // Only the plugin-path execution sets it; -Dit.test=PluginPathIT also reaches the default execution.
        assumeTrue(pluginPath != null, "runs in the plugin-path Failsafe execution only");
        assertThat(Path.of(pluginPath, "shipstream-connectors", "manifest.json")).exists();
        assertThat(Files.list(Path.of(pluginPath, "shipstream-connectors", "lib")))
                .noneMatch(jar -> jar.getFileName().toString().startsWith("kafka-clients")
                        || jar.getFileName().toString().startsWith("connect-api")
                        || jar.getFileName().toString().startsWith("slf4j-api"));
        assertThatThrownBy(() -> Class.forName(CONNECTOR)).isInstanceOf(ClassNotFoundException.class);

        slack.stubFor(post("/api/chat.postMessage").willReturn(okJson("{\"ok\":true,\"channel\":\"C\",\"ts\":\"9.1\"}")));
        try (ConnectWorld world = new ConnectWorld("plugin-path-it", pluginPath)) {
            String plugins = world.connect.requestGet(world.connect.endpointForResource("connector-plugins"))
                    .getEntity().toString();
            // The version comes from the packaged jar's manifest: the class was loaded from the plugin's lib/.
            assertThat(plugins).contains(CONNECTOR).contains("\"class\":\"" + CONNECTOR + "\",\"type\":\"sink\",\"version\":\"0.");

            Map<String, String> config = new HashMap<>(world.converterConfig());
            config.put("connector.class", CONNECTOR);
            config.put("tasks.max", "1");
            config.put("topics", "events-plugin");
            config.put("slack.api.url", slack.baseUrl() + "/api");
            config.put("slack.token", "xoxb-plugin");
            config.put("slack.channel", "C-PLUGIN");
            world.connect.kafka().createTopic("events-plugin", 1);
            world.connect.configureConnector("slack-plugin", config);
            world.connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("slack-plugin", 1, "not running");

            world.produce("events-plugin", TestEvents.failedBuildUpload("pp-1").build());

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> slack.verify(1,
                    postRequestedFor(urlEqualTo("/api/chat.postMessage")).withRequestBody(containing("Event pp-1"))));
        }
    }
}
