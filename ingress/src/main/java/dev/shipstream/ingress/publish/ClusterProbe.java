package dev.shipstream.ingress.publish;

import java.time.Duration;

/** Answers whether the Kafka cluster is reachable right now. Blocking; called from worker threads only. */
@FunctionalInterface
public interface ClusterProbe extends AutoCloseable {

    /** True if the cluster answered within {@code timeout}. Never throws. */
    boolean reachable(Duration timeout);

    @Override
    default void close() {
    }
}
