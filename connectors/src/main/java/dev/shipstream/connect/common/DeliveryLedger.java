package dev.shipstream.connect.common;

import java.util.Optional;

/**
 * What a sink has already done, by idempotency key: the messages it sent ({@code sent:<connector>:<rule>:<event id>}
 * → the target's message id) and the threads it opened ({@code thread:<channel>:<app>:<version>} → the thread's
 * first message id). A record redelivered after a crash, a rebalance or a retry finds its key and is not sent
 * again. A recorded key is seen by {@link #lookup} at once, and is durable once {@link #flush} returns: the task
 * flushes before it lets Connect commit the offsets of what it delivered.
 */
public interface DeliveryLedger extends AutoCloseable {

    /** The value recorded for {@code key}, if any. */
    Optional<String> lookup(String key);

    /** Records {@code key} → {@code value}; visible to {@link #lookup} at once, durable after {@link #flush}. */
    void record(String key, String value);

    /** Waits until every recorded key is durable; throws if one could not be made so. */
    default void flush() {
    }

    @Override
    void close();
}
