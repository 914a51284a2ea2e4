package dev.shipstream.streams.metrics;

import dev.shipstream.schemas.ReviewCycle;
import dev.shipstream.streams.state.WindowStores;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Turns review-cycle records into measurements ({@link ReviewCycleDurations}), once per decided cycle. The
 * review-cycles topic carries one record per change of a cycle, so a decided cycle comes again when, say, its release
 * is observed; a window store remembers which decisions (version key and decision time) were measured, for
 * {@code retention}. A decided cycle is identified by its decision time rather than its number, because a late
 * event can renumber cycles. A correction of an already measured cycle is not re-measured: aggregates cannot take a
 * measurement back.
 */
public final class CycleMeasurer implements FixedKeyProcessorSupplier<String, ReviewCycle, Measurement> {

    private final String storeName;
    private final Duration retention;

    /**
     * @param storeName the window store of measured decisions (also names its changelog)
     * @param retention how long a measured decision is remembered
     */
    public CycleMeasurer(String storeName, Duration retention) {
        this.storeName = Objects.requireNonNull(storeName, "storeName");
        this.retention = Objects.requireNonNull(retention, "retention");
    }

    @Override
    public FixedKeyProcessor<String, ReviewCycle, Measurement> get() {
        return new Measurer();
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return Set.of(Stores.windowStoreBuilder(
                WindowStores.persistentWindowStore(storeName, retention, Duration.ofMillis(1), false),
                Serdes.String(), Serdes.Long()));
    }

    private final class Measurer implements FixedKeyProcessor<String, ReviewCycle, Measurement> {

        private FixedKeyProcessorContext<String, Measurement> context;
        private WindowStore<String, Long> measured;

        @Override
        public void init(FixedKeyProcessorContext<String, Measurement> context) {
            this.context = context;
            this.measured = context.getStateStore(storeName);
        }

        @Override
        public void process(FixedKeyRecord<String, ReviewCycle> record) {
            if (record.key() == null || record.value() == null) {
                return;
            }
            var measurements = ReviewCycleDurations.of(record.value());
            if (measurements.isEmpty()) {
                return;
            }
            long decidedAt = record.value().getDecidedAt().toEpochMilli();
            try (WindowStoreIterator<Long> it = measured.fetch(record.key(), decidedAt, decidedAt)) {
                if (it.hasNext()) {
                    return;
                }
            }
            measured.put(record.key(), decidedAt, decidedAt);
            measurements.forEach(m -> context.forward(record.withValue(m)));
        }
    }
}
