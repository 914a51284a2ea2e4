package dev.shipstream.streams.metrics;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DurationSketch} against the sorted list of the same durations: count, minimum, maximum and mean exact; each
 * percentile at least the exact nearest-rank value and at most 0.1% above it; and any split of the measurements into
 * sketches, merged in any order and through the serialized form, gives the very same sketch.
 */
class DurationSketchProperties {

    private static final double[] PERCENTILES = {50, 90, 95, 99, 100};

    @Provide
    Arbitrary<List<Long>> durations() {
        // Milliseconds from instant builds to reviews of weeks, and a tail of exact small values.
        Arbitrary<Long> duration = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 2_000),
                Arbitraries.longs().between(0, 30L * 24 * 3_600_000L));
        return duration.list().ofMinSize(1).ofMaxSize(3_000);
    }

    private static Measurement measurement(long duration) {
        return new Measurement(MetricName.REVIEW_TOTAL, "app", "IOS", 0, duration, "APPROVED");
    }

    private static DurationSketch sketchOf(List<Long> durations) {
        DurationSketch sketch = DurationSketch.empty();
        durations.forEach(d -> sketch.add(measurement(d)));
        return sketch;
    }

    @Property(tries = 200)
    void percentilesAreWithinTheDocumentedErrorOfTheSortedList(@ForAll("durations") List<Long> durations) {
        DurationSketch sketch = sketchOf(durations);
        List<Long> sorted = new ArrayList<>(durations);
        Collections.sort(sorted);
        int n = sorted.size();

        assertThat(sketch.count()).isEqualTo(n);
        assertThat(sketch.measured()).isEqualTo(n);
        assertThat(sketch.minMs()).isEqualTo(sorted.get(0));
        assertThat(sketch.maxMs()).isEqualTo(sorted.get(n - 1));
        assertThat(sketch.meanMs()).isEqualTo(sorted.stream().mapToLong(Long::longValue).sum() / (double) n);
        for (double p : PERCENTILES) {
            long exact = sorted.get((int) Math.ceil(p / 100 * n) - 1);
            assertThat(sketch.percentileMs(p)).as("p%s of %s values", p, n)
                    .isBetween(exact, exact + exact / 1_000);
        }
    }

    @Property(tries = 200)
    void theStandardPercentilesKeptUntilAChangeAreHdrHistogramsOwn(@ForAll("durations") List<Long> durations) {
        DurationSketch sketch = sketchOf(durations);
        Histogram reference = new Histogram(1, DurationSketch.HIGHEST_TRACKABLE_MS, DurationSketch.SIGNIFICANT_DIGITS);
        durations.forEach(reference::recordValue);
        long min = durations.stream().mapToLong(Long::longValue).min().orElseThrow();
        long max = durations.stream().mapToLong(Long::longValue).max().orElseThrow();

        for (double p : new double[] {50, 90, 95}) {
            long own = Math.max(min, Math.min(max, reference.getValueAtPercentile(p)));
            assertThat(sketch.percentileMs(p)).as("p%s of %s values", p, durations.size()).isEqualTo(own);
        }
        // Asked again after a change: not the values of before.
        sketch.add(measurement(max + 1_000_000));
        reference.recordValue(max + 1_000_000);
        assertThat(sketch.percentileMs(95)).isEqualTo(Math.max(min, Math.min(max + 1_000_000,
                reference.getValueAtPercentile(95))));
    }

    @Property(tries = 200)
    void mergingAnySplitInAnyOrderGivesTheSketchOfAll(@ForAll("durations") List<Long> durations,
                                                     @ForAll @IntRange(min = 1, max = 8) int parts,
                                                     @ForAll long seed) {
        List<Long> shuffled = new ArrayList<>(durations);
        Collections.shuffle(shuffled, new Random(seed));
        List<DurationSketch> sketches = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            sketches.add(DurationSketch.empty());
        }
        for (int i = 0; i < shuffled.size(); i++) {
            sketches.get(i % parts).add(measurement(shuffled.get(i)));
        }
        Collections.shuffle(sketches, new Random(seed + 1));

        DurationSketch merged = DurationSketch.empty();
        for (DurationSketch part : sketches) {
            merged.merge(DurationSketch.fromBytes(part.toBytes()));
        }

        DurationSketch whole = sketchOf(durations);
        assertThat(merged).isEqualTo(whole);
        for (double p : PERCENTILES) {
            assertThat(merged.percentileMs(p)).isEqualTo(whole.percentileMs(p));
        }
    }
}
