package dev.shipstream.streams.metrics;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.shipstream.schemas.DeliveryMetric;
import dev.shipstream.schemas.DeliveryMetricName;
import dev.shipstream.schemas.MetricBucketKind;
import dev.shipstream.schemas.Platform;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Sums measurements into one {@link DurationSketch} per {@link MetricKey} (metric, UTC day or ISO week, platform,
 * app) in a key-value store, and writes the updated {@link DeliveryMetric} of each bucket a measurement changed.
 *
 * <p>Its input is repartitioned by {@code <metric>|<platform>|<app>}, so all measurements of one metric and app
 * meet in one task and every bucket is whole in one store: the record on the topic is final, never a partial one.
 * The store is bounded by time: buckets that ended more than {@code retention} before the wall clock are deleted
 * hourly, and a measurement for such a bucket is not added (its bucket is gone from the topic's view too).
 *
 * <p>Each task keeps the last {@value #CACHED_SKETCHES} sketches it changed, decoded, in memory: reading a sketch
 * from the store decodes a histogram of about 200 KB of counts, which for a measurement that falls in a bucket just
 * changed (most do: today's and this week's) is work thrown away. The store is still written on every change, so
 * under exactly-once the store and its changelog never lag behind the committed input; the cache is emptied whenever
 * the task (re)initialises, e.g. after a failed transaction, and is read only by its own task.
 */
public final class MetricAggregator implements ProcessorSupplier<String, Measurement, String, DeliveryMetric> {

    /** Decoded sketches kept per task: each holds ~200 KB of histogram counts. */
    static final int CACHED_SKETCHES = 32;

    private static final Duration PURGE_INTERVAL = Duration.ofHours(1);

    private final String storeName;
    private final Duration retention;

    /**
     * @param storeName the key-value store of sketches, keyed by {@link MetricKey#text()} (also names its changelog)
     * @param retention how long after its end a bucket is kept
     */
    public MetricAggregator(String storeName, Duration retention) {
        this.storeName = Objects.requireNonNull(storeName, "storeName");
        this.retention = Objects.requireNonNull(retention, "retention");
    }

    @Override
    public Processor<String, Measurement, String, DeliveryMetric> get() {
        return new Aggregator();
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return Set.of(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeName), Serdes.String(),
                DurationSketch.serde()));
    }

    /** The topic record of one bucket's sketch. */
    public static DeliveryMetric toRecord(MetricKey key, DurationSketch sketch) {
        ByteBuffer histogram = ByteBuffer.wrap(sketch.histogramBytes());
        return DeliveryMetric.newBuilder()
                .setMetric(DeliveryMetricName.valueOf(key.metric().name()))
                .setBucket(MetricBucketKind.valueOf(key.bucket().name()))
                .setBucketStart(Instant.ofEpochMilli(key.bucketStart()))
                .setBucketEnd(Instant.ofEpochMilli(key.bucket().end(key.bucketStart())))
                .setAppId(key.appId())
                .setPlatform(platformOf(key.platform()))
                .setCount(sketch.count())
                .setMeasured(sketch.measured())
                .setOutcomes(sketch.outcomes())
                .setMinMs(sketch.minMs())
                .setP50Ms(sketch.percentileMs(50))
                .setP90Ms(sketch.percentileMs(90))
                .setP95Ms(sketch.percentileMs(95))
                .setMaxMs(sketch.maxMs())
                .setMeanMs(sketch.meanMs())
                .setSumMs(sketch.sumMs())
                .setHistogram(histogram)
                .build();
    }

    private static Platform platformOf(String name) {
        if (name == null) {
            return null;
        }
        try {
            return Platform.valueOf(name);
        } catch (IllegalArgumentException e) {
            return Platform.OTHER;
        }
    }

    private final class Aggregator implements Processor<String, Measurement, String, DeliveryMetric> {

        private ProcessorContext<String, DeliveryMetric> context;
        private KeyValueStore<String, DurationSketch> sketches;
        // Evicts on the stream thread (no executor): the cache is this task's alone.
        private final Cache<String, DurationSketch> decoded = Caffeine.newBuilder()
                .maximumSize(CACHED_SKETCHES).executor(Runnable::run).build();

        @Override
        public void init(ProcessorContext<String, DeliveryMetric> context) {
            this.context = context;
            this.sketches = context.getStateStore(storeName);
            decoded.invalidateAll();
            context.schedule(PURGE_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::purge);
        }

        @Override
        public void process(Record<String, Measurement> record) {
            Measurement measurement = record.value();
            if (measurement == null) {
                return;
            }
            long oldest = context.currentSystemTimeMs() - retention.toMillis();
            for (MetricBucket bucket : MetricBucket.values()) {
                MetricKey key = MetricKey.of(measurement, bucket);
                if (bucket.end(key.bucketStart()) < oldest) {
                    continue;
                }
                String text = key.text();
                DurationSketch sketch = decoded.get(text, stored -> {
                    DurationSketch found = sketches.get(stored);
                    return found == null ? DurationSketch.empty() : found;
                });
                sketch.add(measurement);
                sketches.put(text, sketch);
                context.forward(new Record<>(text, toRecord(key, sketch), record.timestamp()));
            }
        }

        private void purge(long now) {
            long oldest = now - retention.toMillis();
            List<String> expired = new ArrayList<>();
            try (KeyValueIterator<String, DurationSketch> all = sketches.all()) {
                while (all.hasNext()) {
                    KeyValue<String, DurationSketch> entry = all.next();
                    MetricKey key = MetricKey.parse(entry.key);
                    if (key.bucket().end(key.bucketStart()) < oldest) {
                        expired.add(entry.key);
                    }
                }
            }
            expired.forEach(key -> {
                sketches.delete(key);
                decoded.invalidate(key);
            });
        }

        @Override
        public void close() {
            decoded.invalidateAll();
        }
    }
}
