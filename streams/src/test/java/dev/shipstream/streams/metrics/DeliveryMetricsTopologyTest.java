package dev.shipstream.streams.metrics;

import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.DeliveryMetric;
import dev.shipstream.schemas.DeliveryMetricName;
import dev.shipstream.schemas.MetricBucketKind;
import dev.shipstream.schemas.Platform;
import dev.shipstream.schemas.ReviewCycle;
import dev.shipstream.schemas.ReviewOutcome;
import dev.shipstream.schemas.Source;
import dev.shipstream.schemas.serde.AvroDeserializer;
import dev.shipstream.schemas.serde.AvroSerdeConfig;
import dev.shipstream.schemas.serde.AvroSerializer;
import dev.shipstream.schemas.serde.InMemorySchemaRegistryClient;
import dev.shipstream.streams.normalize.ExtraKeys;
import org.HdrHistogram.Histogram;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.zip.DataFormatException;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryMetricsTopologyTest {

    private static final String EVENTS = "shipstream.events";
    private static final String CYCLES = "shipstream.review-cycles";
    private static final String METRICS = "shipstream.delivery-metrics";
    private static final String STORE = "metrics-store";
    private static final DeliveryMetricsTopology.NodeNames NAMES = new DeliveryMetricsTopology.NodeNames(
            "events-source", "cycles-source", "measure-events", "phase-store", "measure-cycles",
            "measured-cycles-store", "merge", "summarize", "aggregate", STORE, "sink");
    /** Monday 2025-04-14 00:00 UTC. */
    private static final Instant MONDAY = Instant.parse("2025-04-14T00:00:00Z");

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, DeliveryEvent> events;
    private TestInputTopic<String, ReviewCycle> cycles;
    private TestOutputTopic<String, DeliveryMetric> metrics;

    @BeforeEach
    void start() {
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        StreamsBuilder builder = new StreamsBuilder();
        DeliveryMetricsTopology.addTo(builder, NAMES, EVENTS, CYCLES, METRICS, registry);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "metrics-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), props, MONDAY.plusSeconds(30L * 24 * 3600));
        events = driver.createInputTopic(EVENTS, new StringSerializer(), new AvroSerializer<>(registry, Map.of()));
        cycles = driver.createInputTopic(CYCLES, new StringSerializer(), new AvroSerializer<>(registry, Map.of()));
        metrics = driver.createOutputTopic(METRICS, new StringDeserializer(), new AvroDeserializer<>(registry,
                Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true)));
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static ReviewCycle decided(String version, int cycle, Instant submitted, long totalMs,
                                       ReviewOutcome outcome) {
        Instant decided = submitted.plusMillis(totalMs);
        return ReviewCycle.newBuilder()
                .setVersionId(version).setAppId("app-1").setPlatform(Platform.IOS)
                .setCycle(cycle).setCycleCount(cycle).setOutcome(outcome)
                .setSubmittedAt(submitted).setDecidedAt(decided).setTotalMs(totalMs)
                .setLastEventAt(decided)
                .build();
    }

    /** The latest record per bucket, after the aggregator's next emit. */
    private Map<String, DeliveryMetric> latest() {
        emit();
        Map<String, DeliveryMetric> latest = new LinkedHashMap<>();
        metrics.readKeyValuesToList().forEach(kv -> latest.put(kv.key, kv.value));
        return latest;
    }

    private void emit() {
        driver.advanceWallClockTime(MetricAggregator.DEFAULT_EMIT_INTERVAL);
    }

    @Test
    void reviewTotalsPerDayAndWeekMatchTheSortedList() {
        List<Long> totals = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long total = 3_600_000L + 97_003L * i * i;
            totals.add(total);
            // All submitted on Tuesday morning, so every decision falls in the week of MONDAY.
            cycles.pipeInput("asc:appStoreVersions:v" + i,
                    decided("v" + i, 1, MONDAY.plusSeconds(86_400), total, ReviewOutcome.APPROVED));
        }

        Map<String, DeliveryMetric> latest = latest();
        DeliveryMetric week = latest.get("REVIEW_TOTAL|WEEK|2025-04-14T00:00:00Z|IOS|app-1");
        assertThat(week).isNotNull();
        List<Long> sorted = new ArrayList<>(totals);
        Collections.sort(sorted);
        assertThat(week.getMetric()).isEqualTo(DeliveryMetricName.REVIEW_TOTAL);
        assertThat(week.getBucket()).isEqualTo(MetricBucketKind.WEEK);
        assertThat(week.getBucketEnd()).isEqualTo(Instant.parse("2025-04-21T00:00:00Z"));
        assertThat(week.getCount()).isEqualTo(40);
        assertThat(week.getMeasured()).isEqualTo(40);
        assertThat(week.getOutcomes()).isEqualTo(Map.of("APPROVED", 40L));
        assertThat(week.getMinMs()).isEqualTo(sorted.get(0));
        assertThat(week.getMaxMs()).isEqualTo(sorted.get(39));
        assertThat(week.getMeanMs()).isEqualTo(sorted.stream().mapToLong(Long::longValue).sum() / 40.0);
        assertThat(week.getP50Ms()).isBetween(sorted.get(19), sorted.get(19) + sorted.get(19) / 1_000);
        assertThat(week.getP90Ms()).isBetween(sorted.get(35), sorted.get(35) + sorted.get(35) / 1_000);
        assertThat(week.getP95Ms()).isBetween(sorted.get(37), sorted.get(37) + sorted.get(37) / 1_000);

        // The day buckets, merged through their published histograms, give exactly the week.
        Histogram merged = new Histogram(1, DurationSketch.HIGHEST_TRACKABLE_MS, DurationSketch.SIGNIFICANT_DIGITS);
        long dayCount = 0;
        for (Map.Entry<String, DeliveryMetric> entry : latest.entrySet()) {
            if (entry.getKey().startsWith("REVIEW_TOTAL|DAY|")) {
                merged.add(decode(entry.getValue().getHistogram()));
                dayCount += entry.getValue().getCount();
            }
        }
        assertThat(dayCount).isEqualTo(40);
        assertThat(merged).isEqualTo(decode(week.getHistogram()));
    }

    @Test
    void aChangedBucketIsWrittenOncePerEmitIntervalWithEveryMeasurementSoFar() {
        for (int i = 0; i < 40; i++) {
            cycles.pipeInput("asc:appStoreVersions:v" + i,
                    decided("v" + i, 1, MONDAY.plusSeconds(86_400), 60_000L + i, ReviewOutcome.APPROVED));
        }
        assertThat(metrics.isEmpty()).isTrue();

        emit();
        List<String> keys = metrics.readKeyValuesToList().stream().map(kv -> kv.key).toList();
        assertThat(keys).doesNotHaveDuplicates()
                .contains("REVIEW_TOTAL|DAY|2025-04-15T00:00:00Z|IOS|app-1", "REVIEW_TOTAL|WEEK|2025-04-14T00:00:00Z|IOS|app-1");
        assertThat(driver.<String, DurationSketch>getKeyValueStore(STORE)
                .get("REVIEW_TOTAL|WEEK|2025-04-14T00:00:00Z|IOS|app-1").count()).isEqualTo(40);

        emit();
        assertThat(metrics.isEmpty()).as("nothing changed since the last emit").isTrue();
        cycles.pipeInput("asc:appStoreVersions:v40",
                decided("v40", 1, MONDAY.plusSeconds(86_400), 60_000L, ReviewOutcome.REJECTED));
        assertThat(latest().get("REVIEW_TOTAL|WEEK|2025-04-14T00:00:00Z|IOS|app-1").getCount()).isEqualTo(41);
        assertPendingEmpty();
    }

    @Test
    void moreChangedBucketsThanAreHeldInMemoryAreAllWrittenWithNothingLost() {
        int apps = MetricAggregator.CACHED_SKETCHES * 2;
        for (int i = 0; i < apps; i++) {
            cycles.pipeInput("asc:appStoreVersions:v" + i, ReviewCycle.newBuilder(
                    decided("v" + i, 1, MONDAY, 60_000L, ReviewOutcome.APPROVED)).setAppId("app-" + i).build());
        }
        Map<String, DeliveryMetric> latest = latest();
        for (int i = 0; i < apps; i++) {
            assertThat(latest.get("REVIEW_TOTAL|DAY|2025-04-14T00:00:00Z|IOS|app-" + i).getCount())
                    .as("app-" + i).isEqualTo(1);
            assertThat(latest.get("REVIEW_TOTAL|WEEK|2025-04-14T00:00:00Z|IOS|app-" + i).getCount())
                    .as("app-" + i).isEqualTo(1);
        }
        assertPendingEmpty();
    }

    private void assertPendingEmpty() {
        try (var all = driver.<Long, Measurement>getKeyValueStore(MetricAggregator.pendingStoreName(STORE)).all()) {
            assertThat(all.hasNext()).as("pending measurements after an emit").isFalse();
        }
    }

    @Test
    void aDecidedCycleEmittedAgainIsMeasuredOnce() {
        ReviewCycle cycle = decided("v1", 1, MONDAY, 7_200_000L, ReviewOutcome.REJECTED);
        cycles.pipeInput("asc:appStoreVersions:v1", cycle);
        cycles.pipeInput("asc:appStoreVersions:v1", ReviewCycle.newBuilder(cycle).setCycleCount(2).build());

        DeliveryMetric day = latest().get("REVIEW_TOTAL|DAY|2025-04-14T00:00:00Z|IOS|app-1");
        assertThat(day.getCount()).isEqualTo(1);
        assertThat(day.getOutcomes()).isEqualTo(Map.of("REJECTED", 1L));
    }

    @Test
    void easBuildFixtureGivesQueueAndBuildTime() {
        DeliveryEvent build = MetricFixtures.event(Source.EAS, "eas/build-errored.json");
        // Move the fixture into the driver's retention window; durations come from the extras.
        Map<String, String> extras = new HashMap<>(build.getExtras());
        extras.put(ExtraKeys.ENQUEUED_AT, "2025-04-15T09:53:01.155Z");
        extras.put(ExtraKeys.STARTED_AT, "2025-04-15T09:54:11.155Z");
        extras.put(ExtraKeys.FINISHED_AT, "2025-04-15T09:57:42.715Z");
        build.setExtras(extras);
        build.setOccurredAt(Instant.parse("2025-04-15T09:57:42.715Z"));
        events.pipeInput(build.getEntityKey(), build);

        Map<String, DeliveryMetric> latest = latest();
        String app = "bc0a82de-65a5-4497-ad86-54ff1f53edf7";
        DeliveryMetric queue = latest.get("EAS_BUILD_QUEUE|DAY|2025-04-15T00:00:00Z|ANDROID|" + app);
        DeliveryMetric time = latest.get("EAS_BUILD_TIME|WEEK|2025-04-14T00:00:00Z|ANDROID|" + app);
        assertThat(queue.getP50Ms()).isEqualTo(70_000L);
        assertThat(queue.getOutcomes()).isEqualTo(Map.of("errored", 1L));
        assertThat(time.getMinMs()).isEqualTo(211_560L);
        assertThat(time.getMaxMs()).isEqualTo(211_560L);
    }

    @Test
    void betaReviewIsMeasuredWhenItsDecisionArrives() {
        DeliveryEvent approved = MetricFixtures.event(Source.APP_STORE_CONNECT,
                "asc/buildBetaDetailExternalBuildStateUpdated-beta-approved.json");
        DeliveryEvent waiting = DeliveryEvent.newBuilder(approved).setEventId("e-waiting")
                .setPreviousState("READY_FOR_BETA_SUBMISSION").setNewState("WAITING_FOR_BETA_REVIEW")
                .setOccurredAt(Instant.parse("2025-04-15T01:00:00Z")).build();
        DeliveryEvent inReview = DeliveryEvent.newBuilder(approved).setEventId("e-in-review")
                .setPreviousState("WAITING_FOR_BETA_REVIEW").setNewState("IN_BETA_REVIEW")
                .setOccurredAt(Instant.parse("2025-04-15T04:00:00Z")).build();
        DeliveryEvent decided = DeliveryEvent.newBuilder(approved)
                .setOccurredAt(Instant.parse("2025-04-15T04:30:00Z")).build();

        events.pipeInput(approved.getEntityKey(), waiting);
        events.pipeInput(approved.getEntityKey(), inReview);
        emit();
        assertThat(metrics.isEmpty()).isTrue();
        events.pipeInput(approved.getEntityKey(), decided);
        events.pipeInput(approved.getEntityKey(), decided);

        Map<String, DeliveryMetric> latest = latest();
        assertThat(latest.get("BETA_REVIEW_WAIT|DAY|2025-04-15T00:00:00Z|-|-").getMaxMs()).isEqualTo(3 * 3_600_000L);
        assertThat(latest.get("BETA_REVIEW_TIME|DAY|2025-04-15T00:00:00Z|-|-").getMaxMs()).isEqualTo(1_800_000L);
        assertThat(latest.get("BETA_REVIEW_TOTAL|WEEK|2025-04-14T00:00:00Z|-|-").getCount()).isEqualTo(1);
    }

    @Test
    void theStoreIsReadableByMetricKey() {
        cycles.pipeInput("asc:appStoreVersions:v1", decided("v1", 1, MONDAY, 60_000L, ReviewOutcome.APPROVED));
        emit();

        KeyValueStore<String, DurationSketch> store = driver.getKeyValueStore(STORE);
        DurationSketch sketch = store.get(new MetricKey(MetricName.REVIEW_TOTAL, MetricBucket.DAY,
                MONDAY.toEpochMilli(), "IOS", "app-1").text());
        assertThat(sketch.count()).isEqualTo(1);
        assertThat(sketch.percentileMs(95)).isEqualTo(60_000L);
    }

    @Test
    void bucketsAreDeletedOnceTheirRetentionHasPassed() {
        cycles.pipeInput("asc:appStoreVersions:v1", decided("v1", 1, MONDAY, 60_000L, ReviewOutcome.APPROVED));
        emit();
        KeyValueStore<String, DurationSketch> store = driver.getKeyValueStore(STORE);
        String day = "REVIEW_TOTAL|DAY|2025-04-14T00:00:00Z|IOS|app-1";
        assertThat(store.get(day)).isNotNull();

        // Five weeks later (in event time) another bucket of the same metric and app: it is not yet past retention.
        Instant later = MONDAY.plus(java.time.Duration.ofDays(35));
        cycles.pipeInput("asc:appStoreVersions:v2", decided("v2", 1, later, 60_000L, ReviewOutcome.APPROVED));
        emit();
        String laterDay = "REVIEW_TOTAL|DAY|2025-05-19T00:00:00Z|IOS|app-1";
        assertThat(store.get(laterDay)).isNotNull();

        driver.advanceWallClockTime(DeliveryMetricsTopology.BUCKET_RETENTION);

        assertThat(store.get(day)).isNull();
        assertThat(store.get("REVIEW_TOTAL|WEEK|2025-04-14T00:00:00Z|IOS|app-1")).isNull();
        assertThat(store.get(laterDay)).as("a bucket within retention").isNotNull();
    }

    @Test
    void aMeasurementForABucketPastItsRetentionIsNotAdded() {
        Instant longAgo = MONDAY.minus(DeliveryMetricsTopology.BUCKET_RETENTION);
        cycles.pipeInput("asc:appStoreVersions:v1", decided("v1", 1, longAgo, 60_000L, ReviewOutcome.APPROVED));
        emit();

        assertThat(metrics.isEmpty()).isTrue();
        try (var all = driver.<String, DurationSketch>getKeyValueStore(STORE).all()) {
            assertThat(all.hasNext()).isFalse();
        }
    }

    private static Histogram decode(ByteBuffer bytes) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(bytes.duplicate(), 0);
        } catch (DataFormatException e) {
            throw new AssertionError(e);
        }
    }
}
