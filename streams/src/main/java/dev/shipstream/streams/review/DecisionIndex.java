package dev.shipstream.streams.review;

import dev.shipstream.schemas.ReviewCycle;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The review-history store's index of decided cycles by decision time: listing the cycles decided in a range reads
 * those cycles only, not every version's history. {@link ReviewCycleProcessor} keeps it in the same task and
 * transaction as the histories, so the two commit together and restore together.
 *
 * <p>One entry per cycle that has a {@code decidedAt}:
 * <ul>
 *   <li>key: {@code decidedAt} (8 bytes, big-endian, sign bit flipped so that the bytes sort as the times do), the
 *       cycle number (4 bytes), the version id (UTF-8, last, so it needs no separator);</li>
 *   <li>value: the cycle as {@link ReviewCycle} in Avro's single-object encoding (the header names the schema);
 *       {@code cycleCount} and {@code lastEventAt} are as of the cycle's last change, like the topic's records.</li>
 * </ul>
 * A marker entry under a one-byte key (it sorts before every entry) holds the fingerprint of the {@link ReviewCycle}
 * schema the values were written with. A partition whose marker is missing or names another schema (a store from
 * before the index, or from another release) is rebuilt from the histories when its task starts; until it is, the
 * listing reads the histories instead.
 */
public final class DecisionIndex {

    static final Bytes MARKER = Bytes.wrap(new byte[] {0});
    private static final byte[] FORMAT = ByteBuffer.allocate(Long.BYTES)
            .putLong(SchemaNormalization.parsingFingerprint64(ReviewCycle.getClassSchema())).array();
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

    /** Whether a partition's index holds every decided cycle of its histories, written with the current schema. */
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

    /** Reads an entry's value. */
    public static ReviewCycle cycle(byte[] value) {
        try {
            return ReviewCycle.fromByteBuffer(ByteBuffer.wrap(value));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable review-cycle index entry", e);
        }
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
     * Keeps the entry of one cycle slot of a version in step with a change: removes the entry of the cycle as it
     * was (if it had one under another key) and writes the cycle as it is now (if it is decided).
     *
     * @param before the cycle in this slot before the change, or null
     * @param after  the cycle in this slot after the change as its record, or null
     */
    static void update(KeyValueStore<Bytes, byte[]> index, String versionId, Cycle before, ReviewCycle after) {
        Bytes old = before == null || before.decidedAt() == null ? null
                : key(before.decidedAt(), before.number(), versionId);
        Bytes now = after == null || after.getDecidedAt() == null ? null
                : key(after.getDecidedAt().toEpochMilli(), after.getCycle(), versionId);
        if (old != null && !old.equals(now)) {
            index.delete(old);
        }
        if (now != null) {
            index.put(now, bytes(after));
        }
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
                for (ReviewCycle cycle : decidedCycles(entry.value)) {
                    index.put(key(cycle.getDecidedAt().toEpochMilli(), cycle.getCycle(), cycle.getVersionId()),
                            bytes(cycle));
                    written++;
                }
            }
        }
        index.put(MARKER, FORMAT.clone());
        return written;
    }

    private static byte[] bytes(ReviewCycle cycle) {
        try {
            ByteBuffer buffer = cycle.toByteBuffer();
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode review cycle " + cycle.getVersionId() + "/"
                    + cycle.getCycle(), e);
        }
    }
}
