package dev.shipstream.streams.query;

import dev.shipstream.schemas.ReviewCycle;
import dev.shipstream.streams.review.DecisionIndex;
import dev.shipstream.streams.review.VersionHistory;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Reads this instance's part of the review-history store and its {@link DecisionIndex} (interactive queries, active
 * tasks only). Blocking (RocksDB): call it off the event loop.
 *
 * <p>Every partition asked for must answer; one that does not (migrated, restoring, not running) makes the whole
 * read fail with {@link NotQueryableException}, so an answer is never silently partial.
 */
public final class LocalReviewCycles {

    private final KafkaStreams streams;
    private final String storeName;
    private final String indexName;

    /**
     * @param streams   the running client
     * @param storeName the key-value store of {@link VersionHistory} by version entity key
     */
    public LocalReviewCycles(KafkaStreams streams, String storeName) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.storeName = Objects.requireNonNull(storeName, "storeName");
        this.indexName = DecisionIndex.storeName(storeName);
    }

    /**
     * The history of one version from the partition that holds it here.
     *
     * @return empty if the version was never seen
     * @throws NotQueryableException if the partition is not active and running here
     */
    public Optional<VersionHistory> history(String key, int partition) {
        return Optional.ofNullable(read(() -> this.<String, VersionHistory>activePartition(storeName, partition)
                .get(key)));
    }

    /**
     * The rows of the cycles on the first page of {@code filter} among the given local partitions, in listing
     * order, at most {@code limit + 1} (one more tells that there is a next page). A partition whose
     * {@link DecisionIndex} is complete is read from it, from the page's first decision time until the page is
     * full; one whose index is not built yet (a store from before it, while its task starts) is read by scanning
     * every history.
     *
     * @throws NotQueryableException if one of the partitions is not active and running here
     */
    public List<JsonObject> rows(CycleFilter filter, Set<Integer> partitions) {
        Page page = new Page(filter);
        for (int partition : partitions) {
            read(() -> {
                ReadOnlyKeyValueStore<Bytes, byte[]> index = activePartition(indexName, partition);
                ReadOnlyKeyValueStore<String, VersionHistory> histories = activePartition(storeName, partition);
                if (DecisionIndex.isComplete(index.get(DecisionIndex.markerKey()))) {
                    collectFromIndex(index, histories, page);
                } else {
                    collectFromHistories(histories, page);
                }
                return null;
            });
        }
        return page.rows();
    }

    /**
     * Adds a partition's cycles on the page: the index gives them in decision-time order, each is read from its
     * version's history. The two stores are read one after the other while the stream thread may write both, so an
     * entry's cycle may have moved since: it is listed as its history has it now, at its new place (a page keeps one
     * row per place), or not at all when the history no longer has it.
     */
    static void collectFromIndex(ReadOnlyKeyValueStore<Bytes, byte[]> index,
                                 ReadOnlyKeyValueStore<String, VersionHistory> histories, Page page) {
        CycleFilter filter = page.filter;
        long start = filter.after() == null ? filter.from() : Math.max(filter.from(), filter.after().decidedAt());
        if (start >= filter.to()) {
            return;
        }
        try (KeyValueIterator<Bytes, byte[]> entries = index.range(DecisionIndex.bound(start),
                DecisionIndex.bound(filter.to()))) {
            while (entries.hasNext()) {
                KeyValue<Bytes, byte[]> entry = entries.next();
                // Entries come in decision-time order: once the page is full, a later time cannot be on it.
                if (page.isClosedBefore(DecisionIndex.decidedAt(entry.key))) {
                    return;
                }
                VersionHistory history = histories.get(DecisionIndex.historyKey(entry.value));
                ReviewCycle cycle = history == null ? null
                        : DecisionIndex.cycle(history, DecisionIndex.cycleNumber(entry.key));
                if (cycle != null) {
                    page.offer(cycle);
                }
            }
        }
    }

    /** Adds a partition's cycles on the page, computed from every version's history. */
    static void collectFromHistories(ReadOnlyKeyValueStore<String, VersionHistory> histories, Page page) {
        try (KeyValueIterator<String, VersionHistory> all = histories.all()) {
            while (all.hasNext()) {
                DecisionIndex.decidedCycles(all.next().value).forEach(page::offer);
            }
        }
    }

    /** The first {@code limit + 1} matching cycles after the cursor, in listing order. */
    static final class Page {

        private final CycleFilter filter;
        private final TreeMap<CycleFilter.Position, ReviewCycle> cycles =
                new TreeMap<>(CycleFilter.Position.ORDER);

        Page(CycleFilter filter) {
            this.filter = Objects.requireNonNull(filter, "filter");
        }

        void offer(ReviewCycle cycle) {
            if (!filter.matches(cycle)) {
                return;
            }
            CycleFilter.Position position = CycleFilter.Position.of(cycle);
            if (!filter.isAfterCursor(position)) {
                return;
            }
            // Bounded: only the first limit + 1 cycles can be on this page or tell that there is a next one.
            if (isFull() && CycleFilter.Position.ORDER.compare(position, cycles.lastKey()) >= 0) {
                return;
            }
            cycles.put(position, cycle);
            if (cycles.size() > filter.limit() + 1) {
                cycles.pollLastEntry();
            }
        }

        /** Whether no cycle decided at {@code decidedAt} or later can be on the page any more. */
        boolean isClosedBefore(long decidedAt) {
            return isFull() && decidedAt > cycles.lastKey().decidedAt();
        }

        private boolean isFull() {
            return cycles.size() > filter.limit();
        }

        /** Rows only for the page: building one per matching cycle of the whole store was most of a large listing. */
        List<JsonObject> rows() {
            List<JsonObject> rows = new ArrayList<>(cycles.size());
            cycles.values().forEach(cycle -> rows.add(ReviewCycleViews.row(cycle)));
            return rows;
        }
    }

    /**
     * One partition of the store, active here. Interactive queries v1, not v2: in Kafka Streams 4.3.1 an IQv2 query
     * takes the store's position lock and then the store's lock, while the stream thread's put takes them the other
     * way round, and the two deadlocked (KAFKA-19629, seen in bench/analytics.sh: the stream thread blocked for good).
     * IQv1 reads take the store's lock only.
     */
    private <K, V> ReadOnlyKeyValueStore<K, V> activePartition(String store, int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(store,
                QueryableStoreTypes.<K, V>keyValueStore()).withPartition(partition));
    }

    private <R> R read(Supplier<R> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            // Not running, stopped, not active here, or the store is not known yet: all mean "ask again later".
            throw new NotQueryableException(storeName + " is not queryable here: " + e.getMessage(), e);
        }
    }
}
