package dev.shipstream.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import java.util.Locale;
import org.junit.jupiter.api.Test;

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

    /** Whether this is a platform whose epoll library the ingress's runtime dependencies include. */
    static boolean shipsNativeLibrary() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        return os.startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"));
    }
}
