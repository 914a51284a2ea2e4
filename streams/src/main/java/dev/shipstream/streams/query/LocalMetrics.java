package dev.shipstream.streams.query;

import dev.shipstream.streams.metrics.DurationSketch;
import dev.shipstream.streams.metrics.MetricKey;
import dev.shipstream.streams.metrics.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads this instance's part of the delivery-metrics store (interactive queries v2, active tasks only): the sketches
 * a {@link MetricFilter} asks for, one key range per metric. Blocking (RocksDB): call it off the event loop. Every
 * partition asked for must answer, or the read fails with {@link NotQueryableException}.
 */
public final class LocalMetrics {

    private final KafkaStreams streams;
    private final String storeName;

    /**
     * @param streams   the running client
     * @param storeName the key-value store of {@link DurationSketch} by {@link MetricKey} text
     */
    public LocalMetrics(KafkaStreams streams, String storeName) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.storeName = Objects.requireNonNull(storeName, "storeName");
    }

    /** The sketches by key text in the given local partitions. */
    public Map<String, DurationSketch> sketches(MetricFilter filter, Set<Integer> partitions) {
        Map<String, DurationSketch> found = new HashMap<>();
        if (partitions.isEmpty()) {
            return found;
        }
        for (MetricName metric : filter.metrics()) {
            StateQueryResult<KeyValueIterator<String, DurationSketch>> result = query(StateQueryRequest
                    .inStore(storeName)
                    .withQuery(RangeQuery.<String, DurationSketch>withRange(filter.lowerKey(metric),
                            filter.upperKey(metric)))
                    .withPartitions(partitions).requireActive());
            try {
                for (int partition : partitions) {
                    QueryResult<KeyValueIterator<String, DurationSketch>> answer =
                            result.getPartitionResults().get(partition);
                    if (answer == null || answer.isFailure()) {
                        throw new NotQueryableException("partition " + partition + " of " + storeName
                                + " is not queryable here: " + (answer == null ? "no answer"
                                : answer.getFailureReason() + " " + answer.getFailureMessage()));
                    }
                    KeyValueIterator<String, DurationSketch> entries = answer.getResult();
                    while (entries.hasNext()) {
                        KeyValue<String, DurationSketch> entry = entries.next();
                        if (filter.matches(MetricKey.parse(entry.key))) {
                            MetricViews.merge(found, entry.key, entry.value);
                        }
                    }
                }
            } finally {
                for (QueryResult<KeyValueIterator<String, DurationSketch>> answer
                        : result.getPartitionResults().values()) {
                    if (answer.isSuccess() && answer.getResult() != null) {
                        answer.getResult().close();
                    }
                }
            }
        }
        return found;
    }

    private <R> StateQueryResult<R> query(StateQueryRequest<R> request) {
        try {
            return streams.query(request);
        } catch (RuntimeException e) {
            throw new NotQueryableException(storeName + " is not queryable here: " + e.getMessage(), e);
        }
    }
}
