package dev.shipstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** A busy port stops the devstack before anything starts, in one line naming the port and its option. */
class FreePortsTest {

    @TempDir
    Path dataDir;

    static Stream<Arguments> options() {
        return Stream.of(
                Arguments.of("--kafka-port", (PortSetter) (o, p) -> o.withKafkaPort(p)),
                Arguments.of("--registry-port", (PortSetter) (o, p) -> o.withRegistryPort(p)),
                Arguments.of("--ingress-port", (PortSetter) (o, p) -> o.withIngressPort(p)),
                Arguments.of("--streams-port", (PortSetter) (o, p) -> o.withStreamsPort(p)),
                Arguments.of("--connect-port", (PortSetter) (o, p) -> o.withConnectPort(p)));
    }

    interface PortSetter {
        DevStackOptions set(DevStackOptions options, int port);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("options")
    void aBusyPortIsNamedWithItsOptionBeforeAnythingStarts(String option, PortSetter setter) throws IOException {
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = busy.getLocalPort();
            DevStackOptions options = setter.set(new DevStackOptions(dataDir, false, 0, 0, 0, 0, 0, dataDir.resolve("no-plugins")), port);

            assertThatThrownBy(() -> DevStack.start(options, Map.of()))
                    .isInstanceOf(FreePorts.PortInUseException.class)
                    .hasMessageStartingWith(port + " is in use; pass " + option)
                    .message().doesNotContain("\n");
        }
        try (Stream<Path> entries = Files.list(dataDir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsOnly(DataDirectory.LOCK_FILE);
        }
    }

    @Test
    void aBusyPortDoesNotLetFreshWipeTheDataDirectory() throws IOException {
        Files.createDirectories(dataDir.resolve("kafka"));
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            DevStackOptions options = new DevStackOptions(dataDir, true, busy.getLocalPort(), 0, 0, 0, 0, dataDir.resolve("no-plugins"));

            assertThatThrownBy(() -> DevStack.start(options, Map.of()))
                    .isInstanceOf(FreePorts.PortInUseException.class);
        }
        assertThat(dataDir.resolve("kafka")).isDirectory();
    }

    @Test
    void twoOptionsWithTheSamePortAreRefused() {
        assertThatThrownBy(() -> FreePorts.require(Map.of("--kafka-port", 18_099, "--ingress-port", 18_099)))
                .hasMessageContaining("are both 18099");
    }

    @Test
    void aBindFailureOfAPartIsNamedToo() {
        RuntimeException failure = new IllegalStateException("ingress failed: Address already in use",
                new BindException("Address already in use"));

        assertThat(FreePorts.naming(failure, 8080, "--ingress-port"))
                .hasMessageStartingWith("8080 is in use; pass --ingress-port");
        assertThat(FreePorts.naming(new IllegalStateException("other"), 8080, "--ingress-port"))
                .hasMessage("other");
    }
}
