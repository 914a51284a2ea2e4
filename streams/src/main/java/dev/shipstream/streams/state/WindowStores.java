package dev.shipstream.streams.state;

import java.time.Duration;
import java.util.Objects;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The pipeline's persistent window stores: RocksDB window stores, as {@link Stores#persistentWindowStore} builds
 * them, whose changelog offset Kafka Streams keeps in the task's checkpoint file instead of inside the store.
 *
 * <p>Why: since Kafka Streams 4.3 (KIP-1035) a RocksDB store keeps its committed changelog offset in its own column
 * family. A window store is a set of time segments, one RocksDB each, and keeps the offset in every segment; a window
 * store that holds no segment (a partition that has seen no record, or whose records all expired) has nowhere to
 * keep it. After a clean stop its {@code committedOffset} is null while the task directory holds other stores, and
 * under exactly-once Kafka Streams 4.3.1 takes exactly that as a sign of a crash: it logs {@code
 * TaskCorruptedException}, wipes the whole task (every store in it) and restores it from the changelogs on every
 * start. A store that reports it does not manage its offsets gets Kafka Streams' own file checkpoint instead
 * ({@code .checkpoint_<store>} in the task directory), which under exactly-once is deleted when the task opens and
 * written when it closes cleanly: a crash still wipes the task, a clean stop no longer does.
 *
 * <p>Every persistent window or session store of the topology must come from here (a test enforces it). Drop this
 * once Kafka Streams keeps the offset of a store without segments.
 */
public final class WindowStores {

    private WindowStores() {
    }

    /**
     * A persistent window store, as {@link Stores#persistentWindowStore(String, Duration, Duration, boolean)} with the
     * same arguments, whose changelog offset is checkpointed to a file.
     *
     * @param name             the store name
     * @param retention        how long windows are kept
     * @param windowSize       the size of the windows
     * @param retainDuplicates whether two values put under one key and time are both kept
     * @return the supplier, for {@link Stores#windowStoreBuilder}
     */
    public static WindowBytesStoreSupplier persistentWindowStore(String name, Duration retention, Duration windowSize,
                                                                 boolean retainDuplicates) {
        return new FileCheckpointedSupplier(Stores.persistentWindowStore(name, retention, windowSize, retainDuplicates));
    }

    /** Delegates everything to the RocksDB supplier and wraps what it builds. */
    private record FileCheckpointedSupplier(WindowBytesStoreSupplier rocksDb) implements WindowBytesStoreSupplier {

        FileCheckpointedSupplier {
            Objects.requireNonNull(rocksDb, "rocksDb");
        }

        @Override
        public String name() {
            return rocksDb.name();
        }

        @Override
        public WindowStore<Bytes, byte[]> get() {
            return new FileCheckpointedWindowStore(rocksDb.get());
        }

        @Override
        public String metricsScope() {
            return rocksDb.metricsScope();
        }

        @Override
        public long segmentIntervalMs() {
            return rocksDb.segmentIntervalMs();
        }

        @Override
        public long windowSize() {
            return rocksDb.windowSize();
        }

        @Override
        public boolean retainDuplicates() {
            return rocksDb.retainDuplicates();
        }

        @Override
        public long retentionPeriod() {
            return rocksDb.retentionPeriod();
        }
    }
}
