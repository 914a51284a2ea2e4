package dev.shipstream.streams.query;

import dev.shipstream.streams.review.Cycle;
import dev.shipstream.streams.review.ReviewCycles;
import dev.shipstream.streams.review.VersionHistory;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads this instance's part of the review-history store (interactive queries v2, active tasks only) and recomputes
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
        StateQueryResult<VersionHistory> result = query(StateQueryRequest.inStore(storeName)
                .withQuery(KeyQuery.<String, VersionHistory>withKey(key))
                .withPartitions(Set.of(partition)).requireActive());
        QueryResult<VersionHistory> answer = result.getPartitionResults().get(partition);
        if (answer == null || answer.isFailure()) {
            throw new NotQueryableException("partition " + partition + " of " + storeName + " is not queryable here: "
                    + (answer == null ? "no answer" : answer.getFailureReason() + " " + answer.getFailureMessage()));
        }
        return Optional.ofNullable(answer.getResult());
    }

    /**
     * The rows of the cycles on the first page of {@code filter} among the given local partitions, in listing
     * order, at most {@code limit + 1} (one more tells that there is a next page).
     *
     * @throws NotQueryableException if one of the partitions is not active and running here
     */
    public List<JsonObject> rows(CycleFilter filter, Set<Integer> partitions) {
        TreeSet<JsonObject> page = new TreeSet<>(ReviewCycleViews.LISTING_ORDER);
        if (partitions.isEmpty()) {
            return List.of();
        }
        StateQueryResult<KeyValueIterator<String, VersionHistory>> result = query(StateQueryRequest
                .inStore(storeName).withQuery(RangeQuery.<String, VersionHistory>withNoBounds())
                .withPartitions(partitions).requireActive());
        try {
            for (int partition : partitions) {
                QueryResult<KeyValueIterator<String, VersionHistory>> answer =
                        result.getPartitionResults().get(partition);
                if (answer == null || answer.isFailure()) {
                    throw new NotQueryableException("partition " + partition + " of " + storeName
                            + " is not queryable here: " + (answer == null ? "no answer"
                            : answer.getFailureReason() + " " + answer.getFailureMessage()));
                }
                collect(answer.getResult(), filter, page);
            }
        } finally {
            closeAll(result.getPartitionResults());
        }
        return new ArrayList<>(page);
    }

    private static void collect(KeyValueIterator<String, VersionHistory> histories, CycleFilter filter,
                                TreeSet<JsonObject> page) {
        while (histories.hasNext()) {
            VersionHistory history = histories.next().value;
            for (Cycle cycle : ReviewCycles.of(history.changes())) {
                if (!filter.matches(history, cycle)) {
                    continue;
                }
                JsonObject row = ReviewCycleViews.row(history, cycle);
                if (!filter.isAfterCursor(row)) {
                    continue;
                }
                page.add(row);
                // Bounded: only the first limit + 1 rows can be on this page or tell that there is a next one.
                if (page.size() > filter.limit() + 1) {
                    page.pollLast();
                }
            }
        }
    }

    private <R> StateQueryResult<R> query(StateQueryRequest<R> request) {
        try {
            return streams.query(request);
        } catch (RuntimeException e) {
            // Not running, stopped, or the store is not known yet: all mean "ask again later".
            throw new NotQueryableException(storeName + " is not queryable here: " + e.getMessage(), e);
        }
    }

    private static void closeAll(Map<Integer, QueryResult<KeyValueIterator<String, VersionHistory>>> results) {
        for (QueryResult<KeyValueIterator<String, VersionHistory>> answer : results.values()) {
            if (answer.isSuccess() && answer.getResult() != null) {
                answer.getResult().close();
            }
        }
    }
}
