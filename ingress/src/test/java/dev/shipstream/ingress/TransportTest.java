package dev.shipstream.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transport the ingress's HTTP server runs on: Linux's epoll through Netty's native library, which the ingress
 * ships for x86-64 and AArch64 Linux, unless turned off; Java NIO otherwise.
 */
class TransportTest {

    @Test
    void runsOnTheNativeTransportWhereTheIngressShipsItsLibrary() {
        assumeTrue(shipsNativeLibrary(), "no native library is shipped for " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch"));
        Vertx vertx = IngressServer.vertx(true);
        try {
            assertThat(vertx.isNativeTransportEnabled())
                    .as("native transport; unavailable because %s", vertx.unavailableNativeTransportCause())
                    .isTrue();
        } finally {
            vertx.close().await();
        }
    }

    @Test
    void runsOnJavaNioWhenTheNativeTransportIsTurnedOff() {
        Vertx vertx = IngressServer.vertx(false);
        try {
            assertThat(vertx.isNativeTransportEnabled()).isFalse();
        } finally {
            vertx.close().await();
        }
    }

    /**
     * Where the native library cannot load, the ingress runs on NIO and says why. Netty reads
     * {@code io.netty.transport.noNative} once per JVM, when its native classes load, so this runs in a JVM of its
     * own, with the tests' class path.
     */
    @Test
    void fallsBackToJavaNioAndSaysWhyWhereTheNativeLibraryCannotLoad(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("probe.log");
        Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dio.netty.transport.noNative=true", "-cp", System.getProperty("java.class.path"),
                Probe.class.getName()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = probe.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            probe.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log);

        assertThat(ended).as("the probe ended within a minute: %s", output).isTrue();
        assertThat(probe.exitValue()).as(output).isZero();
        assertThat(output).contains("native transport enabled: false")
                .contains("the native transport is not available here, running on Java NIO: "
                        + "java.lang.UnsupportedOperationException: Native transport was explicit disabled");
    }

    /** Builds the ingress's Vert.x preferring the native transport, and says which transport it got. */
    static final class Probe {
        public static void main(String[] args) {
            Vertx vertx = IngressServer.vertx(true);
            System.out.println("native transport enabled: " + vertx.isNativeTransportEnabled());
            vertx.close().await();
        }
    }

    /** Whether this is a platform whose epoll library the ingress's runtime dependencies include. */
    static boolean shipsNativeLibrary() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        return os.startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"));
    }
}
