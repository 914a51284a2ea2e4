package dev.shipstream.devstack;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checks, before anything starts, that every fixed port of the devstack is free on 127.0.0.1, so a busy port is one
 * line naming the port and the option that moves it ({@code 9092 is in use; pass --kafka-port}) instead of a broker's
 * stack trace. Port 0 (any free port) is not checked. A port taken between this check and the part's start is still
 * reported the same way, by {@link #naming}.
 */
final class FreePorts {

    private FreePorts() {
    }

    /** A fixed port that is already taken. */
    static final class PortInUseException extends IllegalStateException {
        PortInUseException(int port, String option, Throwable cause) {
            super(port + " is in use; pass " + option + " with another port", cause);
        }
    }

    /** The devstack's ports by the option that sets them, in start order. */
    static Map<String, Integer> of(DevStackOptions options) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("--kafka-port", options.kafkaPort());
        ports.put("--registry-port", options.registryPort());
        ports.put("--ingress-port", options.ingressPort());
        ports.put("--streams-port", options.streamsPort());
        ports.put("--connect-port", options.connectPort());
        return ports;
    }

    /**
     * @throws PortInUseException     for the first busy port
     * @throws IllegalArgumentException if two options name the same port
     */
    static void require(Map<String, Integer> ports) {
        Map<Integer, String> seen = new LinkedHashMap<>();
        ports.forEach((option, port) -> {
            if (port == 0) {
                return;
            }
            String other = seen.putIfAbsent(port, option);
            if (other != null) {
                throw new IllegalArgumentException(other + " and " + option + " are both " + port
                        + "; give each its own port");
            }
        });
        ports.forEach((option, port) -> {
            if (port != 0) {
                requireFree(port, option);
            }
        });
    }

    private static void requireFree(int port, String option) {
        try (ServerSocket socket = new ServerSocket()) {
            // As the parts will bind: a listener in TIME_WAIT does not make the port busy for them either.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (BindException e) {
            throw new PortInUseException(port, option, e);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot check port " + port + " (" + option + "): " + e.getMessage(), e);
        }
    }

    /**
     * {@code failure} as a {@link PortInUseException} when a bind of {@code port} caused it, else {@code failure}
     * itself: for a part whose port was taken after {@link #require} looked.
     */
    static RuntimeException naming(RuntimeException failure, int port, String option) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException && port != 0) {
                return new PortInUseException(port, option, failure);
            }
        }
        return failure;
    }
}
