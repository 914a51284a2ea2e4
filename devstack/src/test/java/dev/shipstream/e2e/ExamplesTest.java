package dev.shipstream.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The ready connector configs of {@code connectors/examples/} are what the README says: Connect REST create bodies
 * for the five use cases reading {@code shipstream.events}, each naming a connector the plugin lists, secrets only as {@code ${env:...}} references (never a
 * credential in a file), and for each one a {@code dry-run/} twin that differs only in its name, {@code dry.run=true}
 * and literal stand-ins for the secrets (the sinks refuse a reference the worker could not resolve, and a dry run
 * needs no credential).
 */
class ExamplesTest {

    private static final String DRY_RUN = "dry-run";
    private static final String STAND_IN = "not-needed-in-a-dry-run";

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString())
                    .filter(name -> name.endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void coverTheFiveUseCasesWithOneConnectorOrMoreEach() throws IOException {
        List<String> files = files(ExampleConnector.directory());
        assertThat(files).extracting(name -> name.substring(0, 2)).containsOnly("1-", "2-", "3-", "4-", "5-")
                .contains("1-", "2-", "3-", "4-", "5-");
        List<String> connectors = Files.readAllLines(ExampleConnector.directory()
                .resolve("../src/main/resources/META-INF/services/org.apache.kafka.connect.sink.SinkConnector"));
        assertThat(files).allSatisfy(file -> {
            ExampleConnector example = ExampleConnector.load(file);
            assertThat(example.config()).containsEntry("topics", "shipstream.events").containsKey("connector.class")
                    .containsKey("rules").doesNotContainKey("dry.run");
            assertThat(example.config().get("connector.class")).as("a connector the plugin lists").isIn(connectors);
        });
    }

    @Test
    void keepEverySecretInTheEnvironment() throws IOException {
        for (String file : files(ExampleConnector.directory())) {
            ExampleConnector example = ExampleConnector.load(file);
            example.config().forEach((key, value) -> {
                if (key.endsWith("token") || key.endsWith("secret") || key.endsWith("private.key")
                        || key.endsWith("webhook.url")) {
                    assertThat(value).as("%s in %s", key, file).matches("\\$\\{env:SHIPSTREAM_[A-Z_]+\\}");
                }
            });
        }
    }

    @Test
    void haveADryRunTwinThatDiffersOnlyInNameDryRunAndSecretStandIns() throws IOException {
        Path dir = ExampleConnector.directory();
        assertThat(files(dir.resolve(DRY_RUN))).isEqualTo(files(dir));
        for (String file : files(dir)) {
            ExampleConnector real = ExampleConnector.load(file);
            ExampleConnector dry = ExampleConnector.load(DRY_RUN + "/" + file);
            assertThat(dry.name()).isEqualTo(real.name() + "-dry-run");
            Map<String, String> expected = new LinkedHashMap<>();
            real.config().forEach((key, value) -> expected.put(key, value.startsWith("${env:") ? STAND_IN : value));
            expected.put("dry.run", "true");
            assertThat(dry.config()).as(file).isEqualTo(expected);
            assertThat(dry.config().values()).as(file).noneMatch(value -> value.contains("${"));
        }
    }
}
