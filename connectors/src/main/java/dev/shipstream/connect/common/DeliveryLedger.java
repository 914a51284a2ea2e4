package dev.shipstream.connect.common;

import java.util.Optional;

/**
 * What a sink has already done, by idempotency key: the messages it sent ({@code sent:<connector>:<rule>:<event id>}
 * → the target's message id) and the threads it opened ({@code thread:<channel>:<app>:<version>} → the thread's
 * first message id). A record redelivered after a crash, a rebalance or a retry finds its key and is not sent
 * again. Implementations must make {@link #record} durable before returning.
 */
public interface DeliveryLedger extends AutoCloseable {

    /** The value recorded for {@code key}, if any. */
    Optional<String> lookup(String key);

    /** Records {@code key} → {@code value}; durable when this returns. */
    void record(String key, String value);

    @Override
    void close();
}
