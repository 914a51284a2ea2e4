package dev.shipstream.streams.query;

import dev.shipstream.streams.review.Cycle;
import dev.shipstream.streams.review.ReviewCycles;
import dev.shipstream.streams.review.VersionHistory;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.streams.KafkaStreams;
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
 * Reads this instance's part of the review-history store (interactive queries, active tasks only) and recomputes
 * cycles with {@link ReviewCycles}. Blocking (RocksDB): call it off the event loop.
 *
 * <p>Every partition asked for must answer; one that does not (migrated, restoring, not running) makes the whole
 * read fail with {@link NotQueryableException}, so an answer is never silently partial.
 */
public final class LocalReviewCycles {

    private final KafkaStreams streams;
    private final String storeName;

    /**
     * @param streams   the running client
     * @param storeName the key-value store of {@link VersionHistory} by version entity key
     */
    public LocalReviewCycles(KafkaStreams streams, String storeName) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.storeName = Objects.requireNonNull(storeName, "storeName");
    }

    /**
     * The history of one version from the partition that holds it here.
     *
     * @return empty if the version was never seen
     * @throws NotQueryableException if the partition is not active and running here
     */
    public Optional<VersionHistory> history(String key, int partition) {
        return Optional.ofNullable(read(() -> activePartition(partition).get(key)));
    }

    /**
     * The rows of the cycles on the first page of {@code filter} among the given local partitions, in listing
     * order, at most {@code limit + 1} (one more tells that there is a next page).
     *
     * @throws NotQueryableException if one of the partitions is not active and running here
     */
    public List<JsonObject> rows(CycleFilter filter, Set<Integer> partitions) {
        TreeMap<CycleFilter.Position, Listed> page = new TreeMap<>(CycleFilter.Position.ORDER);
        for (int partition : partitions) {
            read(() -> {
                try (KeyValueIterator<String, VersionHistory> histories = activePartition(partition).all()) {
                    collect(histories, filter, page);
                }
                return null;
            });
        }
        // Rows only for the page: building one per matching cycle of the whole store was most of a large listing.
        List<JsonObject> rows = new ArrayList<>(page.size());
        page.values().forEach(listed -> rows.add(ReviewCycleViews.row(listed.history(), listed.cycle())));
        return rows;
    }

    /** A cycle on the page being collected, with the history it was computed from. */
    private record Listed(VersionHistory history, Cycle cycle) {
    }

    private static void collect(KeyValueIterator<String, VersionHistory> histories, CycleFilter filter,
                                TreeMap<CycleFilter.Position, Listed> page) {
        while (histories.hasNext()) {
            VersionHistory history = histories.next().value;
            for (Cycle cycle : ReviewCycles.of(history.changes())) {
                if (!filter.matches(history, cycle)) {
                    continue;
                }
                CycleFilter.Position position = new CycleFilter.Position(cycle.decidedAt(), history.versionId(),
                        cycle.number());
                if (!filter.isAfterCursor(position)) {
                    continue;
                }
                // Bounded: only the first limit + 1 cycles can be on this page or tell that there is a next one.
                if (page.size() > filter.limit()
                        && CycleFilter.Position.ORDER.compare(position, page.lastKey()) >= 0) {
                    continue;
                }
                page.put(position, new Listed(history, cycle));
                if (page.size() > filter.limit() + 1) {
                    page.pollLastEntry();
                }
            }
        }
    }

    /**
     * One partition of the store, active here. Interactive queries v1, not v2: in Kafka Streams 4.3.1 an IQv2 query
     * takes the store's position lock and then the store's lock, while the stream thread's put takes them the other
     * way round, and the two deadlocked (KAFKA-19629, seen in bench/analytics.sh: the stream thread blocked for good).
     * IQv1 reads take the store's lock only.
     */
    private ReadOnlyKeyValueStore<String, VersionHistory> activePartition(int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(storeName,
                QueryableStoreTypes.<String, VersionHistory>keyValueStore()).withPartition(partition));
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
