package dev.shipstream.local.registry;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The durable, ordered log behind the development schema registry.
 *
 * <p>A store delivers every {@link RegistryRecord} to one applier, in log order and from one thread at a time:
 * first the whole existing log during {@link #start}, then every record appended afterwards, by this registry
 * instance or by any other instance sharing the same log. Registry state is nothing but the result of applying the
 * log, so instances on one log converge.
 */
public interface SchemaStore extends AutoCloseable {

    /**
     * Replays the log into {@code applier} and returns once everything present at the call has been applied;
     * afterwards keeps applying new records until {@link #close()}.
     *
     * @throws SchemaStoreException when the log cannot be read within {@code timeout}
     */
    void start(Consumer<RegistryRecord> applier, Duration timeout);

    /**
     * Appends a record durably. The future completes only once the record is durable <em>and</em> has been passed
     * to this store's applier, so a caller that awaits it reads its own write; it completes exceptionally with a
     * {@link SchemaStoreException} when the write failed. The future may never complete when the log is
     * unreachable: callers bound their wait.
     */
    CompletableFuture<Void> append(RegistryRecord record);

    /** Stops applying new records and releases every client the store opened. */
    @Override
    void close();
}
