package dev.shipstream.streams.metrics;

import dev.shipstream.schemas.DeliveryMetric;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the pending store is for: measurements a task added to its buckets in memory but had not yet written when it
 * stopped (a crash, a rebalance) are in the buckets the next task writes. The stores outlive the processor here as
 * they outlive a task under exactly-once, where both commit with the input offsets.
 */
class MetricAggregatorRestartTest {

    private static final String STORE = "sketches";
    private static final long TUESDAY = Instant.parse("2025-04-15T10:00:00Z").toEpochMilli();
    private static final Duration EMIT = Duration.ofSeconds(1);

    private final MetricAggregator aggregator = new MetricAggregator(STORE, Duration.ofDays(400), EMIT);
    private KeyValueStore<String, DurationSketch> sketches;
    private KeyValueStore<Long, Measurement> pending;

    @BeforeEach
    void stores() {
        sketches = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.String(),
                DurationSketch.serde()).withLoggingDisabled().build();
        pending = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(MetricAggregator.pendingStoreName(STORE)),
                Serdes.Long(), MeasurementSerde.serde()).withLoggingDisabled().build();
        MockProcessorContext<String, DeliveryMetric> storeContext = new MockProcessorContext<>();
        sketches.init(storeContext.getStateStoreContext(), sketches);
        pending.init(storeContext.getStateStoreContext(), pending);
    }

    /** A task: a fresh processor and context over the stores that outlive it. */
    private MockProcessorContext<String, DeliveryMetric> start(Processor<String, Measurement, String, DeliveryMetric> p) {
        MockProcessorContext<String, DeliveryMetric> context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(TUESDAY);
        context.addStateStore(sketches);
        context.addStateStore(pending);
        p.init(context);
        return context;
    }

    private static void emit(MockProcessorContext<String, DeliveryMetric> context) {
        context.scheduledPunctuators().stream()
                .filter(p -> p.getType() == PunctuationType.WALL_CLOCK_TIME && p.getInterval().equals(EMIT))
                .findFirst().orElseThrow()
                .getPunctuator().punctuate(TUESDAY);
    }

    private static Map<String, DeliveryMetric> forwarded(MockProcessorContext<String, DeliveryMetric> context) {
        return context.forwarded().stream().map(MockProcessorContext.CapturedForward::record)
                .collect(Collectors.toMap(Record::key, Record::value, (first, last) -> last));
    }

    private static Record<String, Measurement> measured(long durationMs) {
        return new Record<>("REVIEW_TOTAL|IOS|app-1",
                new Measurement(MetricName.REVIEW_TOTAL, "app-1", "IOS", TUESDAY, durationMs, "APPROVED"), TUESDAY);
    }

    @Test
    void measurementsNotYetWrittenWhenATaskStopsAreWrittenByTheNextOne() {
        Processor<String, Measurement, String, DeliveryMetric> first = aggregator.get();
        MockProcessorContext<String, DeliveryMetric> before = start(first);
        first.process(measured(60_000L));
        emit(before);
        first.process(measured(120_000L));
        first.process(measured(180_000L));
        // The task stops here, before its next emit: its buckets in memory are gone.

        Processor<String, Measurement, String, DeliveryMetric> second = aggregator.get();
        MockProcessorContext<String, DeliveryMetric> after = start(second);
        assertThat(after.forwarded()).as("init forwards nothing").isEmpty();
        emit(after);

        Map<String, DeliveryMetric> written = forwarded(after);
        DeliveryMetric day = written.get("REVIEW_TOTAL|DAY|2025-04-15T00:00:00Z|IOS|app-1");
        assertThat(day.getCount()).isEqualTo(3);
        assertThat(day.getMaxMs()).isEqualTo(180_000L);
        assertThat(day.getSumMs()).isEqualTo(360_000L);
        assertThat(written.get("REVIEW_TOTAL|WEEK|2025-04-14T00:00:00Z|IOS|app-1").getCount()).isEqualTo(3);
        assertThat(sketches.get("REVIEW_TOTAL|DAY|2025-04-15T00:00:00Z|IOS|app-1").count()).isEqualTo(3);
        try (var all = pending.all()) {
            assertThat(all.hasNext()).isFalse();
        }

        // And nothing is counted twice by a third task.
        Processor<String, Measurement, String, DeliveryMetric> third = aggregator.get();
        MockProcessorContext<String, DeliveryMetric> later = start(third);
        third.process(measured(240_000L));
        emit(later);
        assertThat(forwarded(later).get("REVIEW_TOTAL|DAY|2025-04-15T00:00:00Z|IOS|app-1").getCount()).isEqualTo(4);
    }

    @Test
    void aMeasurementIsPendingUntilItsBucketsAreWritten() {
        Processor<String, Measurement, String, DeliveryMetric> processor = aggregator.get();
        MockProcessorContext<String, DeliveryMetric> context = start(processor);
        processor.process(measured(60_000L));

        assertThat(context.forwarded()).isEmpty();
        assertThat(sketches.get("REVIEW_TOTAL|DAY|2025-04-15T00:00:00Z|IOS|app-1")).isNull();
        assertThat(pending.approximateNumEntries()).isEqualTo(1);

        emit(context);
        assertThat(forwarded(context)).containsOnlyKeys("REVIEW_TOTAL|DAY|2025-04-15T00:00:00Z|IOS|app-1",
                "REVIEW_TOTAL|WEEK|2025-04-14T00:00:00Z|IOS|app-1");
        assertThat(pending.approximateNumEntries()).isZero();
        assertThat(context.forwarded()).extracting(f -> f.record().timestamp()).containsOnly(TUESDAY);
    }

    @Test
    void aTaskStoppingAfterAnyMeasurementLosesNothingAndCountsNothingTwice() {
        // Many apps and days (more buckets than a task holds), in an order that mixes them, so that a task emits
        // by itself when its memory is full, between measurements whose day is held and whose week is not. For each
        // stopping point: a fresh run that processes that many measurements, stops without its own emit, and a
        // next task that starts on its stores and writes what it adds back.
        Random random = new Random(42);
        List<Measurement> measurements = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            long endedAt = TUESDAY + random.nextInt(4) * 86_400_000L;
            measurements.add(new Measurement(MetricName.REVIEW_TOTAL, "app-" + random.nextInt(40), "IOS", endedAt,
                    1_000L + i, "APPROVED"));
        }
        for (int stop = 1; stop <= measurements.size(); stop += 7) {
            stores();
            Processor<String, Measurement, String, DeliveryMetric> first = aggregator.get();
            start(first);
            Map<String, Long> expected = new HashMap<>();
            for (Measurement m : measurements.subList(0, stop)) {
                first.process(new Record<>("REVIEW_TOTAL|IOS|" + m.appId(), m, m.endedAt()));
                for (MetricBucket bucket : MetricBucket.values()) {
                    expected.merge(MetricKey.of(m, bucket).text(), 1L, Long::sum);
                }
            }
            emit(start(aggregator.get()));
            for (Map.Entry<String, Long> bucket : expected.entrySet()) {
                DurationSketch stored = sketches.get(bucket.getKey());
                assertThat(stored == null ? 0 : stored.count()).as("%s after %d measurements", bucket.getKey(), stop)
                        .isEqualTo(bucket.getValue());
            }
        }
    }
}
