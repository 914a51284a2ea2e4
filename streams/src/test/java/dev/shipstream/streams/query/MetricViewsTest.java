package dev.shipstream.streams.query;

import dev.shipstream.streams.metrics.DurationSketch;
import dev.shipstream.streams.metrics.Measurement;
import dev.shipstream.streams.metrics.MetricBucket;
import dev.shipstream.streams.metrics.MetricKey;
import dev.shipstream.streams.metrics.MetricName;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The aggregates the metrics routes answer: sketches of two instances sent over the wire and merged give the
 * percentiles of all the durations fed in (checked against the sorted list), and rows are written with the
 * documented fields, in JSON and in CSV. The rolling 30 days are the merge of the window's day sketches, checked
 * against the sorted list of the durations inside it.
 */
class MetricViewsTest {

    private static final long DAY = Instant.parse("2025-12-18T00:00:00Z").toEpochMilli();
    private static final String KEY = new MetricKey(MetricName.REVIEW_TOTAL, MetricBucket.DAY, DAY, "IOS", "1234")
            .text();

    @Test
    void twoInstancesSketchesMergeToThePercentilesOfTheSortedDurations() {
        Random random = new Random(42);
        List<Long> durations = new ArrayList<>();
        DurationSketch onA = DurationSketch.empty();
        DurationSketch onB = DurationSketch.empty();
        for (int i = 0; i < 5_000; i++) {
            long duration = 1 + (long) (random.nextDouble() * random.nextDouble() * 3 * 24 * 3_600_000L);
            durations.add(duration);
            (i % 3 == 0 ? onA : onB).add(measured(duration));
        }
        onB.add(new Measurement(MetricName.REVIEW_TOTAL, "1234", "IOS", DAY + 1, null, "APPROVED"));

        // As the coordinating instance sees them: its own sketch, and the other's as sent over HTTP.
        Map<String, DurationSketch> merged = new HashMap<>();
        MetricViews.merge(merged, KEY, onA);
        MetricViews.mergeEncoded(new JsonObject(MetricViews.encode(Map.of(KEY, onB)).encode()), merged);
        JsonObject row = MetricViews.rows(merged).get(0);

        List<Long> sorted = durations.stream().sorted().toList();
        assertThat(row.getLong("count")).isEqualTo(5_001L);
        assertThat(row.getLong("measured")).isEqualTo(5_000L);
        assertThat(row.getLong("minMs")).isEqualTo(sorted.get(0));
        assertThat(row.getLong("maxMs")).isEqualTo(sorted.get(sorted.size() - 1));
        assertThat(row.getDouble("meanMs")).isCloseTo(
                sorted.stream().mapToLong(Long::longValue).average().orElseThrow(), within(1e-6));
        for (String field : List.of("p50Ms", "p90Ms", "p95Ms")) {
            int percentile = Integer.parseInt(field.substring(1, 3));
            long exact = sorted.get((int) Math.ceil(percentile / 100.0 * sorted.size()) - 1);
            // HdrHistogram with 3 significant digits: at least the exact nearest-rank value, at most 0.1% above it.
            assertThat(row.getLong(field)).as(field).isBetween(exact, (long) Math.ceil(exact * 1.001));
        }
        // The merge never changed the sketches it was given.
        assertThat(onA.measured()).isEqualTo(durations.size() / 3 + 1);
    }

    @Test
    void aRowHasTheDocumentedFieldsAndNullsWhenNothingWasMeasured() {
        DurationSketch unmeasured = DurationSketch.empty()
                .add(new Measurement(MetricName.EAS_BUILD_TIME, null, "ANDROID", DAY, null, "errored"));
        Map<String, DurationSketch> sketches = new HashMap<>();
        MetricViews.merge(sketches, new MetricKey(MetricName.EAS_BUILD_TIME, MetricBucket.WEEK,
                MetricBucket.WEEK.start(DAY), "ANDROID", null).text(), unmeasured);

        JsonObject row = MetricViews.rows(sketches).get(0);

        assertThat(row.fieldNames()).containsExactlyElementsOf(MetricViews.CSV_COLUMNS);
        assertThat(row.getString("bucketStart")).isEqualTo("2025-12-15T00:00:00.000Z");
        assertThat(row.getString("metric")).isEqualTo("EAS_BUILD_TIME");
        assertThat(row.getString("app")).isNull();
        assertThat(row.getString("platform")).isEqualTo("ANDROID");
        assertThat(row.getLong("count")).isEqualTo(1L);
        assertThat(row.getLong("measured")).isZero();
        for (String field : List.of("minMs", "p50Ms", "p90Ms", "p95Ms", "maxMs", "meanMs")) {
            assertThat(row.containsKey(field)).isTrue();
            assertThat(row.getValue(field)).as(field).isNull();
        }
    }

    @Test
    void csvHasAHeaderRowAndOneCrlfRecordPerRowInRowOrder() {
        Map<String, DurationSketch> sketches = new HashMap<>();
        sketches.put(new MetricKey(MetricName.REVIEW_TOTAL, MetricBucket.DAY, DAY + 86_400_000L, "IOS", "1234")
                .text(), DurationSketch.empty().add(measured(1_000)));
        sketches.put(KEY, DurationSketch.empty().add(measured(2_000)));
        sketches.put(new MetricKey(MetricName.REVIEW_WAIT, MetricBucket.DAY, DAY, "IOS", "1234").text(),
                DurationSketch.empty().add(measured(67_977_606)));
        sketches.put(new MetricKey(MetricName.REVIEW_TOTAL, MetricBucket.DAY, DAY, "IOS", "app,with\"comma")
                .text(), DurationSketch.empty().add(new Measurement(MetricName.REVIEW_TOTAL, "x", "IOS", DAY, null,
                "REJECTED")));

        String csv = MetricViews.csv(MetricViews.rows(sketches));

        assertThat(csv.split("\r\n", -1)).containsExactly(
                "bucketStart,metric,app,platform,count,measured,minMs,p50Ms,p90Ms,p95Ms,maxMs,meanMs",
                "2025-12-18T00:00:00.000Z,REVIEW_TOTAL,1234,IOS,1,1,2000,2000,2000,2000,2000,2000.0",
                "2025-12-18T00:00:00.000Z,REVIEW_TOTAL,\"app,with\"\"comma\",IOS,1,0,,,,,,",
                "2025-12-18T00:00:00.000Z,REVIEW_WAIT,1234,IOS,1,1,67977606,67977606,67977606,67977606,67977606,"
                        + "67977606",
                "2025-12-19T00:00:00.000Z,REVIEW_TOTAL,1234,IOS,1,1,1000,1000,1000,1000,1000,1000.0",
                "");
    }

    @Test
    void aFilterTakesTheBucketsStartingInTheRangeOfItsAppAndPlatform() {
        MetricFilter filter = new MetricFilter(List.of(MetricName.REVIEW_TOTAL), MetricBucket.DAY, DAY,
                DAY + 2 * 86_400_000L, "1234", null);

        assertThat(filter.matches(MetricKey.parse(KEY))).isTrue();
        assertThat(filter.matches(new MetricKey(MetricName.REVIEW_TOTAL, MetricBucket.DAY, DAY + 2 * 86_400_000L,
                "IOS", "1234"))).isFalse();
        assertThat(filter.matches(new MetricKey(MetricName.REVIEW_TOTAL, MetricBucket.DAY, DAY, "IOS", "99")))
                .isFalse();
        assertThat(filter.matches(new MetricKey(MetricName.REVIEW_WAIT, MetricBucket.DAY, DAY, "IOS", "1234")))
                .isFalse();
        assertThat(KEY).isBetween(filter.lowerKey(MetricName.REVIEW_TOTAL), filter.upperKey(MetricName.REVIEW_TOTAL));
    }

    @Test
    void theRolling30DaysAreTheMergeOfTheWindowsDaySketchesCheckedAgainstTheSortedList() {
        // 40 days of durations on two instances; the window ending before 2025-12-19 is Nov 19 .. Dec 18.
        long dayMs = 86_400_000L;
        long first = DAY - 39 * dayMs;
        RollingWindow window = RollingWindow.endingBefore(DAY + dayMs);
        Random random = new Random(7);
        List<Long> inWindow = new ArrayList<>();
        Map<String, DurationSketch> onA = new HashMap<>();
        Map<String, DurationSketch> onB = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            long day = first + random.nextInt(40) * dayMs;
            long duration = 1 + (long) (random.nextDouble() * random.nextDouble() * 5 * dayMs);
            String key = new MetricKey(MetricName.REVIEW_TOTAL, MetricBucket.DAY, day, "IOS", "1234").text();
            MetricViews.merge(i % 2 == 0 ? onA : onB, key, DurationSketch.empty().add(measuredAt(day, duration)));
            if (day >= window.from() && day < window.to()) {
                inWindow.add(duration);
            }
        }
        // What each instance answers: its day sketches inside the window; the instance asked merges both.
        Map<String, DurationSketch> days = new HashMap<>();
        for (Map<String, DurationSketch> instance : List.of(onA, onB)) {
            instance.forEach((key, sketch) -> {
                long start = MetricKey.parse(key).bucketStart();
                if (start >= window.from() && start < window.to()) {
                    MetricViews.mergeEncoded(new JsonObject(MetricViews.encode(Map.of(key, sketch)).encode()), days);
                }
            });
        }

        List<JsonObject> rows = MetricViews.rows(MetricViews.rolled(days, window));

        assertThat(rows).hasSize(1);
        JsonObject row = rows.get(0);
        List<Long> sorted = inWindow.stream().sorted().toList();
        assertThat(row.getString("bucketStart")).isEqualTo("2025-11-19T00:00:00.000Z");
        assertThat(row.getLong("count")).isEqualTo((long) sorted.size());
        assertThat(row.getLong("minMs")).isEqualTo(sorted.get(0));
        assertThat(row.getLong("maxMs")).isEqualTo(sorted.get(sorted.size() - 1));
        assertThat(row.getDouble("meanMs")).isCloseTo(
                sorted.stream().mapToLong(Long::longValue).average().orElseThrow(), within(1e-6));
        for (String field : List.of("p50Ms", "p90Ms", "p95Ms")) {
            int percentile = Integer.parseInt(field.substring(1, 3));
            long exact = sorted.get((int) Math.ceil(percentile / 100.0 * sorted.size()) - 1);
            assertThat(row.getLong(field)).as(field).isBetween(exact, (long) Math.ceil(exact * 1.001));
        }
    }

    @Test
    void aRollingWindowIsThe30UtcDaysBeforeTo() {
        long dayMs = 86_400_000L;
        // At midnight: the 30 days before it.
        assertThat(RollingWindow.endingBefore(DAY)).isEqualTo(new RollingWindow(DAY - 30 * dayMs, DAY));
        // During a day (now, by default): that day, whole, is the last.
        assertThat(RollingWindow.endingBefore(DAY + 1)).isEqualTo(new RollingWindow(DAY - 29 * dayMs, DAY + dayMs));
        assertThat(RollingWindow.endingBefore(DAY + dayMs - 1))
                .isEqualTo(new RollingWindow(DAY - 29 * dayMs, DAY + dayMs));
    }

    private static Measurement measuredAt(long day, long durationMs) {
        return new Measurement(MetricName.REVIEW_TOTAL, "1234", "IOS", day + 1, durationMs, "APPROVED");
    }

    private static Measurement measured(long durationMs) {
        return new Measurement(MetricName.REVIEW_TOTAL, "1234", "IOS", DAY + 1, durationMs, "APPROVED");
    }
}
