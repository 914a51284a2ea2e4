package dev.shipstream.streams.query;

import dev.shipstream.streams.metrics.DurationSketch;
import dev.shipstream.streams.metrics.MetricKey;
import dev.shipstream.streams.metrics.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads this instance's part of the delivery-metrics store (interactive queries, active tasks only): the sketches
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
        for (int partition : partitions) {
            for (MetricName metric : filter.metrics()) {
                try (KeyValueIterator<String, DurationSketch> entries = activePartition(partition)
                        .range(filter.lowerKey(metric), filter.upperKey(metric))) {
                    while (entries.hasNext()) {
                        KeyValue<String, DurationSketch> entry = entries.next();
                        if (filter.matches(MetricKey.parse(entry.key))) {
                            MetricViews.merge(found, entry.key, entry.value);
                        }
                    }
                } catch (RuntimeException e) {
                    // Not running, stopped, not active here, or not known yet: all mean "ask again later".
                    throw new NotQueryableException("partition " + partition + " of " + storeName
                            + " is not queryable here: " + e.getMessage(), e);
                }
            }
        }
        return found;
    }

    /**
     * One partition of the store, active here. Interactive queries v1, not v2: in Kafka Streams 4.3.1 an IQv2 query
     * takes the store's position lock and then the store's lock, while the stream thread's put takes them the other
     * way round, and the two deadlocked (KAFKA-19629, seen in bench/analytics.sh: the stream thread blocked for good).
     * IQv1 reads take the store's lock only.
     */
    private ReadOnlyKeyValueStore<String, DurationSketch> activePartition(int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(storeName,
                QueryableStoreTypes.<String, DurationSketch>keyValueStore()).withPartition(partition));
    }
}
