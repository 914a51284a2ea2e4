package dev.shipstream.ingress.publish;

import java.time.Duration;
import java.util.OptionalLong;

/** Answers whether the Kafka cluster is reachable right now. Blocking; called from worker threads only. */
@FunctionalInterface
public interface ClusterProbe extends AutoCloseable {

    /** True if the cluster answered within {@code timeout}. Never throws. */
    boolean reachable(Duration timeout);

    /**
     * The largest record batch the broker accepts on {@code topic} (its effective {@code max.message.bytes}), or empty
     * if it could not be learned within {@code timeout}. Never throws.
     */
    default OptionalLong maxMessageBytes(String topic, Duration timeout) {
        return OptionalLong.empty();
    }

    @Override
    default void close() {
    }
}
