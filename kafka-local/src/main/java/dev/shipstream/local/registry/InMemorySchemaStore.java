package dev.shipstream.local.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A {@link SchemaStore} whose log lives in memory, for unit tests and throw-away registries.
 *
 * <p>Appends are applied synchronously, so the returned future is already complete. The log holds at most
 * {@code capacity} records; an append beyond that fails with {@link SchemaStoreException}. Several stores may share
 * one log ({@link #sharingLog()}), which models several registry instances on one Kafka topic; a store started after
 * appends replays them, which models a registry restart.
 */
public final class InMemorySchemaStore implements SchemaStore {

    /** The capacity of a store made by {@link #InMemorySchemaStore()}. */
    public static final int DEFAULT_CAPACITY = 100_000;

    private final SharedLog log;
    private Consumer<RegistryRecord> applier;

    /** A store with an empty log of {@link #DEFAULT_CAPACITY} records. */
    public InMemorySchemaStore() {
        this(DEFAULT_CAPACITY);
    }

    /** A store with an empty log of at most {@code capacity} records. */
    public InMemorySchemaStore(int capacity) {
        this(new SharedLog(capacity));
    }

    private InMemorySchemaStore(SharedLog log) {
        this.log = log;
    }

    /** A new, not yet started store on the same log, as a second registry instance on the same topic would be. */
    public InMemorySchemaStore sharingLog() {
        return new InMemorySchemaStore(log);
    }

    /** A copy of the records in the log, in log order. */
    public List<RegistryRecord> records() {
        synchronized (log) {
            return List.copyOf(log.records);
        }
    }

    @Override
    public void start(Consumer<RegistryRecord> applier, Duration timeout) {
        Objects.requireNonNull(applier, "applier");
        synchronized (log) {
            if (this.applier != null) {
                throw new IllegalStateException("store already started");
            }
            this.applier = applier;
            log.records.forEach(applier);
            log.attached.add(this);
        }
    }

    @Override
    public CompletableFuture<Void> append(RegistryRecord record) {
        Objects.requireNonNull(record, "record");
        synchronized (log) {
            if (applier == null) {
                return CompletableFuture.failedFuture(new SchemaStoreException("store is not started"));
            }
            if (log.records.size() >= log.capacity) {
                return CompletableFuture.failedFuture(
                        new SchemaStoreException("in-memory log is full (" + log.capacity + " records)"));
            }
            log.records.add(record);
            for (InMemorySchemaStore store : log.attached) {
                store.applier.accept(record);
            }
            return CompletableFuture.completedFuture(null);
        }
    }

    @Override
    public void close() {
        synchronized (log) {
            log.attached.remove(this);
        }
    }

    private static final class SharedLog {
        private final int capacity;
        private final List<RegistryRecord> records = new ArrayList<>();
        private final List<InMemorySchemaStore> attached = new ArrayList<>();

        private SharedLog(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity must be positive, got " + capacity);
            }
            this.capacity = capacity;
        }
    }
}
