package dev.shipstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevStackOptionsTest {

    @Test
    void defaultsToTheDocumentedDirectoryAndPorts() {
        assertThat(DevStackOptions.parse(List.of()))
                .isEqualTo(new DevStackOptions(Path.of(".shipstream"), false, 9092, 8081, 8080, 8082, 8083,
                        Path.of("connectors/target/plugin")));
    }

    @Test
    void readsEveryOption(@TempDir Path plugins) {
        assertThat(DevStackOptions.parse(List.of("--data-dir", "/tmp/x", "--fresh", "--kafka-port", "19092", "--registry-port", "18081", "--ingress-port", "18080", "--streams-port", "18082",
                        "--connect-port", "18083", "--connect-plugin-path", plugins.toString())))
                .isEqualTo(new DevStackOptions(Path.of("/tmp/x"), true, 19092, 18081, 18080, 18082, 18083, plugins));
    }

    @Test
    void rejectsAConnectPluginPathThatIsNotADirectory(@TempDir Path dir) {
        String missing = dir.resolve("missing").toString();
        assertThatThrownBy(() -> DevStackOptions.parse(List.of("--connect-plugin-path", missing)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--connect-plugin-path must be a directory, was '" + missing + "'");
    }

    @Test
    void rejectsAnUnknownOption() {
        assertThatThrownBy(() -> DevStackOptions.parse(List.of("--frsh")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Unknown option '--frsh'");
    }

    @Test
    void rejectsAMissingValue() {
        assertThatThrownBy(() -> DevStackOptions.parse(List.of("--data-dir")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--data-dir needs a value");
        assertThatThrownBy(() -> DevStackOptions.parse(List.of("--kafka-port", "--fresh")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--kafka-port needs a value");
    }

    @Test
    void rejectsAPortOutOfRange() {
        assertThatThrownBy(() -> DevStackOptions.parse(List.of("--registry-port", "70000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--registry-port must be a port between 1 and 65535, was 70000");
        assertThatThrownBy(() -> DevStackOptions.parse(List.of("--kafka-port", "abc")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--kafka-port must be a port between 1 and 65535, was 'abc'");
    }
}
