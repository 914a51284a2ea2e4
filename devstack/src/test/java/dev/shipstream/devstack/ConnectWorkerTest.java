package dev.shipstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class ConnectWorkerTest {

    /** The settings docker-compose's worker must share with the devstack's, so connectors move between the two. */
    private static final List<String> SHARED = List.of("group.id", "config.storage.topic", "offset.storage.topic",
            "status.storage.topic", "config.storage.replication.factor", "offset.storage.replication.factor",
            "status.storage.replication.factor", "key.converter", "value.converter", "config.providers",
            "config.providers.env.class", "config.providers.env.param.allowlist.pattern");

    private static Map<String, String> devstackWorker(Optional<Path> pluginPath) {
        return ConnectWorker.workerProperties("127.0.0.1:9092", "http://127.0.0.1:8081", 8083, pluginPath);
    }

    @Test
    void dockerComposeWorkerSharesTheDevstacksGroupTopicsConvertersAndSecretProvider() throws IOException {
        Properties docker = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("..", "docker", "connect", "connect-distributed.properties"),
                StandardCharsets.UTF_8)) {
            docker.load(reader);
        }
        Map<String, String> devstack = devstackWorker(Optional.empty());

        assertThat(SHARED).allSatisfy(key -> assertThat(docker.getProperty(key)).as(key).isEqualTo(devstack.get(key)));
        assertThat(docker.getProperty("value.converter.schema.registry.url")).isEqualTo("http://schema-registry:8081");
        assertThat(docker.getProperty("plugin.path")).isEqualTo("/opt/shipstream/connect/plugins");
    }

    @Test
    void devstackWorkerListensOnLoopbackAndReadsValuesWithTheProjectsAvroConverterFromTheDevRegistry() {
        Map<String, String> worker = devstackWorker(Optional.empty());

        assertThat(worker).containsEntry("listeners", "http://127.0.0.1:8083")
                .containsEntry("bootstrap.servers", "127.0.0.1:9092")
                .containsEntry("group.id", "shipstream-connect")
                .containsEntry("value.converter", "dev.shipstream.schemas.connect.AvroConverter")
                .containsEntry("value.converter.schema.registry.url", "http://127.0.0.1:8081")
                .containsEntry("key.converter", "org.apache.kafka.connect.storage.StringConverter")
                .containsEntry("config.storage.replication.factor", "1")
                .containsEntry("plugin.discovery", "service_load")
                .doesNotContainKey("plugin.path");
        assertThat(List.of(worker.get("config.storage.topic"), worker.get("offset.storage.topic"),
                worker.get("status.storage.topic"))).allSatisfy(topic -> assertThat(topic).startsWith("shipstream-connect-"));
    }

    @Test
    void pluginPathIsTheAbsoluteDirectory() {
        Map<String, String> worker = devstackWorker(Optional.of(Path.of("connectors", "target", "plugin")));

        assertThat(Path.of(worker.get("plugin.path"))).isAbsolute()
                .isEqualTo(Path.of("connectors", "target", "plugin").toAbsolutePath());
    }
}
