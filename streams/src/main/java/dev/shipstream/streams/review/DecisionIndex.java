package dev.shipstream.streams.review;

import dev.shipstream.schemas.ReviewCycle;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The review-history store's index of decided cycles by decision time: listing the cycles decided in a range reads
 * the histories of those cycles only, not every version's history. {@link ReviewCycleProcessor} keeps it in the same
 * task and transaction as the histories, so the two commit together and restore together.
 *
 * <p>One entry per cycle that has a {@code decidedAt}:
 * <ul>
 *   <li>key: {@code decidedAt} (8 bytes, big-endian, sign bit flipped so that the bytes sort as the times do), the
 *       cycle number (4 bytes), the version id (UTF-8, last, so it needs no separator);</li>
 *   <li>value: the key of the version's history (UTF-8), where the cycle itself is read.</li>
 * </ul>
 * An entry locates a cycle and holds nothing that can go stale: it is written only when a cycle is decided, or its
 * decision time or number changes, not when it is released. A marker entry under a one-byte key (it sorts before
 * every entry) holds the index's format. A partition whose marker is missing or names another format (a store from
 * before the index) is rebuilt from the histories when its task starts; until it is, the listing reads the histories
 * instead.
 */
public final class DecisionIndex {

    private static final Bytes MARKER = Bytes.wrap(new byte[] {0});
    private static final byte[] FORMAT = {1};
    private static final int TIME_BYTES = Long.BYTES;
    private static final int PREFIX_BYTES = TIME_BYTES + Integer.BYTES;

    private DecisionIndex() {
    }

    /** The index's store name for a review-history store. */
    public static String storeName(String historyStore) {
        return historyStore + "-by-decision";
    }

    static StoreBuilder<KeyValueStore<Bytes, byte[]>> storeBuilder(String historyStore) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeName(historyStore)), Serdes.Bytes(),
                Serdes.ByteArray());
    }

    /** Whether a partition's index holds every decided cycle of its histories, in the current format. */
    public static boolean isComplete(byte[] marker) {
        return Arrays.equals(marker, FORMAT);
    }

    /** The marker's key. */
    public static Bytes markerKey() {
        return MARKER;
    }

    /** The entry key of a decided cycle. */
    static Bytes key(long decidedAt, int cycle, String versionId) {
        byte[] id = versionId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(PREFIX_BYTES + id.length).putLong(decidedAt ^ Long.MIN_VALUE)
                .putInt(cycle).put(id).array());
    }

    /**
     * A range bound at a decision time: it sorts after every entry decided before {@code decidedAt} and before every
     * entry decided at or after it, and is never an entry itself.
     */
    public static Bytes bound(long decidedAt) {
        return Bytes.wrap(ByteBuffer.allocate(TIME_BYTES).putLong(decidedAt ^ Long.MIN_VALUE).array());
    }

    /** The decision time of an entry key; for the marker, {@link Long#MIN_VALUE}. */
    public static long decidedAt(Bytes key) {
        byte[] bytes = key.get();
        return bytes.length < PREFIX_BYTES ? Long.MIN_VALUE : ByteBuffer.wrap(bytes).getLong() ^ Long.MIN_VALUE;
    }

    /** The cycle number of an entry key. */
    public static int cycleNumber(Bytes key) {
        return ByteBuffer.wrap(key.get()).getInt(TIME_BYTES);
    }

    /** The history key an entry's value names. */
    public static String historyKey(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }

    /**
     * One cycle of a history as its record, or null when the history has no cycle of that number (any more).
     *
     * @param number the cycle number, from 1
     */
    public static ReviewCycle cycle(VersionHistory history, int number) {
        List<Cycle> cycles = ReviewCycles.of(history.changes());
        return number < 1 || number > cycles.size() ? null
                : ReviewCycleProcessor.toRecord(history, cycles.get(number - 1), cycles.size());
    }

    /** The decided cycles of a history as records, oldest first: what the index holds for the version. */
    public static List<ReviewCycle> decidedCycles(VersionHistory history) {
        List<Cycle> cycles = ReviewCycles.of(history.changes());
        List<ReviewCycle> decided = new ArrayList<>(cycles.size());
        for (Cycle cycle : cycles) {
            if (cycle.decidedAt() != null) {
                decided.add(ReviewCycleProcessor.toRecord(history, cycle, cycles.size()));
            }
        }
        return decided;
    }

    /**
     * Keeps the entry of one cycle slot of a version in step with a change: when the slot's entry key changed, removes
     * the entry of the cycle as it was (if it was decided) and writes the cycle as it is now (if it is decided).
     *
     * @param historyKey the version's key in the history store
     * @param before     the cycle in this slot before the change, or null
     * @param after      the cycle in this slot after the change, or null
     */
    static void update(KeyValueStore<Bytes, byte[]> index, String historyKey, String versionId, Cycle before,
                       Cycle after) {
        Bytes old = keyOf(before, versionId);
        Bytes now = keyOf(after, versionId);
        if (Objects.equals(old, now)) {
            return;
        }
        if (old != null) {
            index.delete(old);
        }
        if (now != null) {
            index.put(now, historyKey.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Bytes keyOf(Cycle cycle, String versionId) {
        return cycle == null || cycle.decidedAt() == null ? null : key(cycle.decidedAt(), cycle.number(), versionId);
    }

    /**
     * Rebuilds a partition's index from its histories: removes every entry, writes every decided cycle, then the
     * marker.
     *
     * @return how many cycles it wrote
     */
    public static int rebuild(KeyValueStore<String, VersionHistory> histories, KeyValueStore<Bytes, byte[]> index) {
        List<Bytes> stale = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> entries = index.all()) {
            entries.forEachRemaining(entry -> stale.add(entry.key));
        }
        stale.forEach(index::delete);
        int written = 0;
        try (KeyValueIterator<String, VersionHistory> all = histories.all()) {
            while (all.hasNext()) {
                KeyValue<String, VersionHistory> entry = all.next();
                byte[] historyKey = entry.key.getBytes(StandardCharsets.UTF_8);
                for (Cycle cycle : ReviewCycles.of(entry.value.changes())) {
                    Bytes key = keyOf(cycle, entry.value.versionId());
                    if (key != null) {
                        index.put(key, historyKey);
                        written++;
                    }
                }
            }
        }
        index.put(MARKER, FORMAT.clone());
        return written;
    }
}
