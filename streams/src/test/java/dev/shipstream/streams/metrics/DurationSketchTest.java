package dev.shipstream.streams.metrics;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationSketchTest {

    private static Measurement of(Long duration, String outcome) {
        return new Measurement(MetricName.BUILD_PROCESSING, "app", "IOS", 0, duration, outcome);
    }

    @Test
    void smallCountsAreExact() {
        DurationSketch sketch = DurationSketch.empty();
        for (long d : new long[] {700, 100, 300, 500, 900, 200, 400, 600, 800, 1_000}) {
            sketch.add(of(d, "COMPLETE"));
        }

        assertThat(sketch.percentileMs(50)).isEqualTo(500);
        assertThat(sketch.percentileMs(90)).isEqualTo(900);
        assertThat(sketch.percentileMs(95)).isEqualTo(1_000);
        assertThat(sketch.minMs()).isEqualTo(100);
        assertThat(sketch.maxMs()).isEqualTo(1_000);
        assertThat(sketch.meanMs()).isEqualTo(550.0);
    }

    @Test
    void outcomesWithoutDurationAreCountedButNotMeasured() {
        DurationSketch sketch = DurationSketch.empty().add(of(null, "FAILED")).add(of(60_000L, "COMPLETE"));

        assertThat(sketch.count()).isEqualTo(2);
        assertThat(sketch.measured()).isEqualTo(1);
        assertThat(sketch.outcomes()).isEqualTo(Map.of("FAILED", 1L, "COMPLETE", 1L));
        assertThat(sketch.percentileMs(50)).isEqualTo(60_000L);
    }

    @Test
    void emptySketchHasNoStatistics() {
        DurationSketch sketch = DurationSketch.empty().add(of(null, "FAILED"));

        assertThat(sketch.minMs()).isNull();
        assertThat(sketch.meanMs()).isNull();
        assertThat(sketch.percentileMs(95)).isNull();
    }

    @Test
    void durationBeyondTheTrackableRangeKeepsItsExactMaximumAndMean() {
        long hundredDays = 100L * 24 * 3_600_000L;
        DurationSketch sketch = DurationSketch.empty().add(of(hundredDays, "APPROVED"));

        assertThat(sketch.maxMs()).isEqualTo(hundredDays);
        assertThat(sketch.meanMs()).isEqualTo((double) hundredDays);
        assertThat(sketch.percentileMs(50)).isBetween(DurationSketch.HIGHEST_TRACKABLE_MS, hundredDays);
    }

    @Test
    void outcomesBeyondTheLimitAreCountedAsOther() {
        DurationSketch sketch = DurationSketch.empty();
        for (int i = 0; i < DurationSketch.MAX_OUTCOMES + 5; i++) {
            sketch.add(of(null, "state-" + i));
        }

        assertThat(sketch.outcomes()).hasSize(DurationSketch.MAX_OUTCOMES + 1)
                .containsEntry(DurationSketch.OTHER_OUTCOME, 5L);
        assertThat(DurationSketch.fromBytes(sketch.toBytes())).isEqualTo(sketch);
    }

    @Test
    void refusesACorruptOutcomeCount() {
        byte[] bytes = DurationSketch.empty().add(of(5L, "COMPLETE")).toBytes();
        // format byte + four longs, then the outcome count
        bytes[1 + 32] = 0x7f;

        assertThatThrownBy(() -> DurationSketch.fromBytes(bytes)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("outcomes");
    }

    @Test
    void storedFormIsSmall() {
        DurationSketch sketch = DurationSketch.empty();
        for (long d = 1; d <= 10_000; d++) {
            sketch.add(of(d * 97_001 % (14L * 24 * 3_600_000L), "APPROVED"));
        }

        assertThat(sketch.toBytes().length).isLessThan(64 * 1024);
    }
}
