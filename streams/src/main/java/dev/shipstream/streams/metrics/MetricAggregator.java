package dev.shipstream.streams.metrics;

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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Sums measurements into one {@link DurationSketch} per {@link MetricKey} (metric, UTC day or ISO week, platform,
 * app) in a key-value store, and writes the {@link DeliveryMetric} of each bucket that changed, at most once per
 * emit interval: the bucket as it is at that moment, with every measurement so far.
 *
 * <p>Its input is repartitioned by {@code <metric>|<platform>|<app>}, so all measurements of one metric and app
 * meet in one task and every bucket is whole in one store: the record on the topic is final, never a partial one.
 * The store is bounded by time: buckets that ended more than {@code retention} before the wall clock are deleted
 * hourly, and a measurement for such a bucket is not added (its bucket is gone from the topic's view too).
 *
 * <p><b>Why not once per measurement.</b> Writing a bucket means encoding its histogram (HdrHistogram's compressed
 * form, for the store and the record) and computing its percentiles: that was half of the stream thread when every
 * measurement wrote its day and its week. Now a measurement changes the bucket in memory and is appended to a
 * second store, the <em>pending</em> store (a few dozen bytes, changelogged like every store); every emit interval
 * (wall clock), and before a measurement that might not find room among the {@value #CACHED_SKETCHES} buckets
 * held in memory otherwise, every changed bucket is written to the sketch store and to the topic once, and the
 * pending store is emptied. Under exactly-once
 * the pending store commits with the input offsets, so a measurement is never lost between two emits: a task that
 * starts (after a crash, a rebalance or a restart) adds its pending measurements back to their buckets before it
 * processes anything, and they are written at its first emit. The sketch store and the topic lag the input by at most
 * one emit interval (and the commit after it).
 */
public final class MetricAggregator implements ProcessorSupplier<String, Measurement, String, DeliveryMetric> {

    /** Decoded sketches kept per task, changed or not: each holds ~200 KB of histogram counts. */
    static final int CACHED_SKETCHES = 32;

    /** The default emit interval: a changed bucket reaches the topic (and the query API) within about a second. */
    public static final Duration DEFAULT_EMIT_INTERVAL = Duration.ofSeconds(1);

    private static final Duration PURGE_INTERVAL = Duration.ofHours(1);

    private final String storeName;
    private final Duration retention;
    private final Duration emitInterval;

    /**
     * @param storeName    the key-value store of sketches, keyed by {@link MetricKey#text()} (also names its changelog);
     *                     the pending store is {@link #pendingStoreName(String)}
     * @param retention    how long after its end a bucket is kept
     * @param emitInterval how often (wall clock) changed buckets are written to the store and the topic
     */
    public MetricAggregator(String storeName, Duration retention, Duration emitInterval) {
        this.storeName = Objects.requireNonNull(storeName, "storeName");
        this.retention = Objects.requireNonNull(retention, "retention");
        this.emitInterval = Objects.requireNonNull(emitInterval, "emitInterval");
        if (emitInterval.toMillis() < 1) {
            throw new IllegalArgumentException("emitInterval must be at least 1 ms, got " + emitInterval);
        }
    }

    /** The store of measurements added to buckets but not yet written, next to the sketch store {@code storeName}. */
    public static String pendingStoreName(String storeName) {
        return storeName + "-pending";
    }

    @Override
    public Processor<String, Measurement, String, DeliveryMetric> get() {
        return new Aggregator();
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return Set.of(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeName), Serdes.String(),
                        DurationSketch.serde()),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(pendingStoreName(storeName)),
                        Serdes.Long(), MeasurementSerde.serde()));
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

    /** A bucket held in memory: its sketch, and whether (and as of which record time) it changed since written. */
    private static final class Held {
        final MetricKey key;
        final DurationSketch sketch;
        boolean changed;
        long timestamp;

        Held(MetricKey key, DurationSketch sketch) {
            this.key = key;
            this.sketch = sketch;
        }
    }

    private final class Aggregator implements Processor<String, Measurement, String, DeliveryMetric> {

        private ProcessorContext<String, DeliveryMetric> context;
        private KeyValueStore<String, DurationSketch> sketches;
        private KeyValueStore<Long, Measurement> pending;
        // The pending store's keys are firstPending..nextPending-1: they only grow, so they read back in arrival
        // order, and an emit deletes them by counting instead of by iterating the store.
        private long firstPending;
        private long nextPending;
        // Least recently used first. Read and written by this task's stream thread only.
        private final LinkedHashMap<String, Held> held = new LinkedHashMap<>(CACHED_SKETCHES * 2, 0.75f, true);

        @Override
        public void init(ProcessorContext<String, DeliveryMetric> context) {
            this.context = context;
            this.sketches = context.getStateStore(storeName);
            this.pending = context.getStateStore(pendingStoreName(storeName));
            held.clear();
            firstPending = Long.MAX_VALUE;
            nextPending = 0;
            // Measurements committed with their input but not yet in the sketch store: back into their buckets,
            // written at the first emit. Their record times are not kept; their event times stand in.
            try (KeyValueIterator<Long, Measurement> all = pending.all()) {
                while (all.hasNext()) {
                    KeyValue<Long, Measurement> entry = all.next();
                    firstPending = Math.min(firstPending, entry.key);
                    nextPending = Math.max(nextPending, entry.key + 1);
                    addToBuckets(entry.value, entry.value.endedAt());
                }
            }
            firstPending = Math.min(firstPending, nextPending);
            context.schedule(emitInterval, PunctuationType.WALL_CLOCK_TIME, now -> emit());
            context.schedule(PURGE_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::purge);
        }

        @Override
        public void process(Record<String, Measurement> record) {
            Measurement measurement = record.value();
            if (measurement == null) {
                return;
            }
            // Emit only between two measurements, never halfway through one: a measurement must be in the store's
            // buckets and out of the pending store for all its buckets at once, or a restart would add it twice to
            // a bucket written before and not at all to one written after. Emitting while fewer changed buckets than
            // the bound less one measurement's are held leaves an unchanged bucket to drop whenever room is needed.
            if (changedBuckets() > CACHED_SKETCHES - MetricBucket.values().length) {
                emit();
            }
            if (addToBuckets(measurement, record.timestamp())) {
                pending.put(nextPending++, measurement);
            }
        }

        /** Adds a measurement to its day and week still within retention; false when it fell in neither. */
        private boolean addToBuckets(Measurement measurement, long timestamp) {
            long oldest = context.currentSystemTimeMs() - retention.toMillis();
            boolean added = false;
            for (MetricBucket bucket : MetricBucket.values()) {
                MetricKey key = MetricKey.of(measurement, bucket);
                if (bucket.end(key.bucketStart()) < oldest) {
                    continue;
                }
                Held bucketHeld = hold(key);
                bucketHeld.sketch.add(measurement);
                bucketHeld.changed = true;
                bucketHeld.timestamp = Math.max(bucketHeld.timestamp, timestamp);
                added = true;
            }
            return added;
        }

        /**
         * The bucket in memory, read from the store if need be. Making room drops the least recently used unchanged
         * bucket; {@link #process} emits early enough that there is one. Only while {@code init} adds the pending
         * measurements back (it cannot forward, so it cannot emit) may the map grow past its bound, until the first
         * emit.
         */
        private Held hold(MetricKey key) {
            String text = key.text();
            Held found = held.get(text);
            if (found != null) {
                return found;
            }
            if (held.size() >= CACHED_SKETCHES) {
                dropUnchanged();
            }
            DurationSketch stored = sketches.get(text);
            Held loaded = new Held(key, stored == null ? DurationSketch.empty() : stored);
            held.put(text, loaded);
            return loaded;
        }

        // Counted, not kept in step: at most 32 flags, and on every measurement, so a loop rather than a stream.
        private int changedBuckets() {
            int changed = 0;
            for (Held bucketHeld : held.values()) {
                if (bucketHeld.changed) {
                    changed++;
                }
            }
            return changed;
        }

        private void dropUnchanged() {
            for (Iterator<Held> it = held.values().iterator(); it.hasNext(); ) {
                if (!it.next().changed) {
                    it.remove();
                    return;
                }
            }
        }

        /** Writes every changed bucket to the store and the topic, then forgets the pending measurements. */
        private void emit() {
            if (firstPending == nextPending && changedBuckets() == 0) {
                return;
            }
            for (Map.Entry<String, Held> entry : held.entrySet()) {
                Held bucketHeld = entry.getValue();
                if (bucketHeld.changed) {
                    sketches.put(entry.getKey(), bucketHeld.sketch);
                    context.forward(new Record<>(entry.getKey(), toRecord(bucketHeld.key, bucketHeld.sketch),
                            bucketHeld.timestamp));
                    bucketHeld.changed = false;
                }
            }
            for (long key = firstPending; key < nextPending; key++) {
                pending.delete(key);
            }
            firstPending = nextPending;
        }

        /**
         * Deletes the buckets that ended more than the retention ago. Per metric and bucket kind, the keys that
         * started before the cutoff are one key range, so only those are read (and decoded, as the typed store
         * does): the work is the expired buckets and a week's worth of recent ones, not the whole store.
         */
        private void purge(long now) {
            emit();
            long oldest = now - retention.toMillis();
            String cutoff = Instant.ofEpochMilli(oldest).toString();
            List<String> expired = new ArrayList<>();
            for (MetricName metric : MetricName.values()) {
                for (MetricBucket bucket : MetricBucket.values()) {
                    String prefix = MetricKey.prefix(metric, bucket);
                    try (KeyValueIterator<String, DurationSketch> started = sketches.range(prefix, prefix + cutoff)) {
                        while (started.hasNext()) {
                            String text = started.next().key;
                            MetricKey key = MetricKey.parse(text);
                            if (key.bucket().end(key.bucketStart()) < oldest) {
                                expired.add(text);
                            }
                        }
                    }
                }
            }
            expired.forEach(key -> {
                sketches.delete(key);
                held.remove(key);
            });
        }

        @Override
        public void close() {
            held.clear();
        }
    }
}
