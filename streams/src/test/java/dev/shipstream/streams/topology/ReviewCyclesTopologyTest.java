package dev.shipstream.streams.topology;

import dev.shipstream.schemas.DeadLetter;
import dev.shipstream.schemas.DeadLetterReason;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.DeliveryMetric;
import dev.shipstream.schemas.ReviewCycle;
import dev.shipstream.schemas.ReviewOutcome;
import dev.shipstream.schemas.Source;
import dev.shipstream.schemas.keys.EntityKeys;
import dev.shipstream.schemas.serde.AvroDeserializer;
import dev.shipstream.schemas.serde.AvroSerdeConfig;
import dev.shipstream.streams.review.VersionHistory;
import dev.shipstream.streams.metrics.MetricAggregator;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Review cycles through the whole pipeline: App Store Connect webhooks in on the raw topic, {@link ReviewCycle}s out
 * on the review-cycle topic, keyed by the version's entity key.
 */
class ReviewCyclesTopologyTest {

    private static final String VERSION = "6d2c1f0e-0000-4000-8000-000000000001";
    private static final String KEY = "asc:appStoreVersions:" + VERSION;
    private static final Instant RECEIVED = Instant.parse("2026-01-02T03:00:00Z");

    @TempDir
    Path stateDir;

    private PipelineDriver pipeline;
    private int sent;

    private void start(PipelineSettings settings) {
        pipeline = new PipelineDriver(settings, stateDir);
    }

    private void start() {
        start(PipelineSettings.defaults(PipelineDriver.APPLICATION_ID));
    }

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void aStraightApprovalIsOneCycleEmittedOncePerChange() {
        start();

        change("e1", "PREPARE_FOR_SUBMISSION", "READY_FOR_REVIEW", "2026-01-05T09:00:00Z");
        change("e2", "READY_FOR_REVIEW", "WAITING_FOR_REVIEW", "2026-01-05T09:00:10Z");
        change("e3", "WAITING_FOR_REVIEW", "IN_REVIEW", "2026-01-06T10:00:10Z");
        change("e4", "IN_REVIEW", "PENDING_DEVELOPER_RELEASE", "2026-01-06T10:30:10Z");
        change("e5", "PENDING_DEVELOPER_RELEASE", "READY_FOR_DISTRIBUTION", "2026-01-07T08:00:10Z");

        List<KeyValue<String, ReviewCycle>> records = pipeline.reviewCycles.readKeyValuesToList();
        // READY_FOR_REVIEW alone makes no cycle; each later change changes the one cycle.
        assertThat(records).hasSize(4).allSatisfy(record -> assertThat(record.key).isEqualTo(KEY));
        ReviewCycle cycle = records.get(3).value;
        assertThat(cycle.getVersionId()).isEqualTo(VERSION);
        assertThat(cycle.getCycle()).isEqualTo(1);
        assertThat(cycle.getCycleCount()).isEqualTo(1);
        assertThat(cycle.getOutcome()).isEqualTo(ReviewOutcome.APPROVED);
        assertThat(cycle.getDecisionState()).isEqualTo("PENDING_DEVELOPER_RELEASE");
        assertThat(cycle.getReadyForReviewAt()).isEqualTo("2026-01-05T09:00:00Z");
        assertThat(cycle.getSubmittedAt()).isEqualTo("2026-01-05T09:00:10Z");
        assertThat(cycle.getReviewStartedAt()).isEqualTo("2026-01-06T10:00:10Z");
        assertThat(cycle.getDecidedAt()).isEqualTo("2026-01-06T10:30:10Z");
        assertThat(cycle.getReleasedAt()).isEqualTo("2026-01-07T08:00:10Z");
        assertThat(cycle.getWaitMs()).isEqualTo(Duration.ofHours(25).toMillis());
        assertThat(cycle.getReviewMs()).isEqualTo(Duration.ofMinutes(30).toMillis());
        assertThat(cycle.getTotalMs()).isEqualTo(Duration.ofHours(25).plusMinutes(30).toMillis());
        assertThat(cycle.getReleaseMs()).isEqualTo(Duration.ofHours(21).plusMinutes(30).toMillis());
        assertThat(cycle.getObserved()).containsExactly("READY_FOR_REVIEW", "WAITING_FOR_REVIEW", "IN_REVIEW",
                "PENDING_DEVELOPER_RELEASE", "READY_FOR_DISTRIBUTION");
        assertThat(cycle.getLastEventAt()).isEqualTo("2026-01-07T08:00:10Z");
        assertThat(records.get(0).value.getOutcome()).isEqualTo(ReviewOutcome.OPEN);
    }

    @Test
    void aRejectionThenAResubmissionAreTwoCyclesThatBorrowNothingFromEachOther() {
        start();

        change("e1", "READY_FOR_REVIEW", "WAITING_FOR_REVIEW", "2026-01-05T09:00:00Z");
        change("e2", "WAITING_FOR_REVIEW", "IN_REVIEW", "2026-01-05T20:00:00Z");
        change("e3", "IN_REVIEW", "REJECTED", "2026-01-05T21:00:00Z");
        change("e4", "REJECTED", "WAITING_FOR_REVIEW", "2026-01-06T09:00:00Z");
        change("e5", "WAITING_FOR_REVIEW", "IN_REVIEW", "2026-01-06T12:00:00Z");
        change("e6", "IN_REVIEW", "PENDING_DEVELOPER_RELEASE", "2026-01-06T12:20:00Z");

        Map<Integer, ReviewCycle> cycles = pipeline.latestPerCycle();
        assertThat(cycles).hasSize(2);
        ReviewCycle rejected = cycles.get(1);
        assertThat(rejected.getOutcome()).isEqualTo(ReviewOutcome.REJECTED);
        assertThat(rejected.getTotalMs()).isEqualTo(Duration.ofHours(12).toMillis());
        assertThat(rejected.getCycleCount()).isEqualTo(2);
        ReviewCycle approved = cycles.get(2);
        assertThat(approved.getOutcome()).isEqualTo(ReviewOutcome.APPROVED);
        assertThat(approved.getSubmittedAt()).isEqualTo("2026-01-06T09:00:00Z");
        assertThat(approved.getWaitMs()).isEqualTo(Duration.ofHours(3).toMillis());
        assertThat(approved.getTotalMs()).isEqualTo(Duration.ofHours(3).plusMinutes(20).toMillis());
    }

    @Test
    void aWithdrawalEndsTheCycleWithoutAReview() {
        start();

        change("e1", "READY_FOR_REVIEW", "WAITING_FOR_REVIEW", "2026-01-05T09:00:00Z");
        change("e2", "WAITING_FOR_REVIEW", "DEVELOPER_REJECTED", "2026-01-05T09:15:00Z");

        ReviewCycle cycle = pipeline.latestPerCycle().get(1);
        assertThat(cycle.getOutcome()).isEqualTo(ReviewOutcome.WITHDRAWN);
        assertThat(cycle.getDecisionState()).isEqualTo("DEVELOPER_REJECTED");
        assertThat(cycle.getDecidedAt()).isEqualTo("2026-01-05T09:15:00Z");
        assertThat(cycle.getReviewStartedAt()).isNull();
        assertThat(cycle.getWaitMs()).isNull();
        assertThat(cycle.getReviewMs()).isNull();
        assertThat(cycle.getTotalMs()).isEqualTo(Duration.ofMinutes(15).toMillis());
    }

    @Test
    void aMissingSubmissionLeavesTheStartAndItsDurationsUnknown() {
        start();

        change("e1", "WAITING_FOR_REVIEW", "IN_REVIEW", "2026-01-05T20:00:00Z");
        change("e2", "IN_REVIEW", "REJECTED", "2026-01-05T20:45:00Z");

        ReviewCycle cycle = pipeline.latestPerCycle().get(1);
        assertThat(cycle.getOutcome()).isEqualTo(ReviewOutcome.REJECTED);
        assertThat(cycle.getSubmittedAt()).isNull();
        assertThat(cycle.getWaitMs()).isNull();
        assertThat(cycle.getTotalMs()).isNull();
        assertThat(cycle.getReviewMs()).isEqualTo(Duration.ofMinutes(45).toMillis());
    }

    @Test
    void outOfOrderEventsArePlacedByEventTimeAndTheCycleIsReEmittedCorrected() {
        start();

        change("e3", "IN_REVIEW", "PENDING_DEVELOPER_RELEASE", "2026-01-06T10:30:00Z");
        change("e1", "READY_FOR_REVIEW", "WAITING_FOR_REVIEW", "2026-01-05T09:00:00Z");
        change("e2", "WAITING_FOR_REVIEW", "IN_REVIEW", "2026-01-06T10:00:00Z");

        List<ReviewCycle> emitted = pipeline.reviewCycles.readValuesToList();
        // Before the submission arrives, the approval is a cycle whose start is unknown; then it is corrected.
        assertThat(emitted.get(0).getSubmittedAt()).isNull();
        assertThat(emitted.get(0).getTotalMs()).isNull();
        ReviewCycle corrected = emitted.get(emitted.size() - 1);
        assertThat(emitted).extracting(ReviewCycle::getCycle).containsOnly(1);
        assertThat(corrected.getOutcome()).isEqualTo(ReviewOutcome.APPROVED);
        assertThat(corrected.getSubmittedAt()).isEqualTo("2026-01-05T09:00:00Z");
        assertThat(corrected.getWaitMs()).isEqualTo(Duration.ofHours(25).toMillis());
        assertThat(corrected.getReviewMs()).isEqualTo(Duration.ofMinutes(30).toMillis());
        assertThat(corrected.getTotalMs()).isEqualTo(Duration.ofHours(25).plusMinutes(30).toMillis());
    }

    @Test
    void aDuplicatePastTheDeduplicationWindowChangesNothing() {
        // A short deduplication window lets the second delivery through to the review-cycle processor.
        start(PipelineSettings.defaults(PipelineDriver.APPLICATION_ID).withDedupRetention(Duration.ofMinutes(1)));
        String json = payload("e1", "READY_FOR_REVIEW", "WAITING_FOR_REVIEW", "2026-01-05T09:00:00Z");

        send(json, RECEIVED);
        send(json, RECEIVED.plus(Duration.ofMinutes(5)));

        assertThat(pipeline.events.readValuesToList()).hasSize(2);
        assertThat(pipeline.reviewCycles.readValuesToList()).hasSize(1);
        assertThat(pipeline.deadLetters.isEmpty()).isTrue();
        KeyValueStore<String, VersionHistory> histories =
                pipeline.driver.getKeyValueStore(Names.REVIEW_HISTORY_STORE);
        assertThat(histories.get(KEY).changes()).as("the duplicate is not stored").hasSize(1);
    }

    @Test
    void anEventPastTheGraceIsDeadLetteredCountedAndNotApplied() {
        start(PipelineSettings.defaults(PipelineDriver.APPLICATION_ID).withReviewGrace(Duration.ofDays(1)));
        change("e2", "WAITING_FOR_REVIEW", "IN_REVIEW", "2026-01-10T10:00:00Z");
        ReviewCycle before = pipeline.latestPerCycle().get(1);

        change("e1", "READY_FOR_REVIEW", "WAITING_FOR_REVIEW", "2026-01-08T09:00:00Z");

        assertThat(pipeline.reviewCycles.isEmpty()).as("no cycle changed").isTrue();
        List<KeyValue<String, DeadLetter>> letters = pipeline.deadLetters.readKeyValuesToList();
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.key).isEqualTo(KEY);
            assertThat(letter.value.getReason()).isEqualTo(DeadLetterReason.LATE_EVENT);
            assertThat(letter.value.getTopic()).isEqualTo(pipeline.settings.rawTopic());
            assertThat(letter.value.getMessage()).contains("e1", "2026-01-08T09:00:00Z", "2026-01-10T10:00:00Z",
                    "PT24H");
            DeliveryEvent event = new AvroDeserializer<DeliveryEvent>(pipeline.registry,
                    Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true))
                    .deserialize(pipeline.settings.eventsTopic(), bytes(letter.value.getOriginalValue()));
            assertThat(event.getEventId()).isEqualTo("e1");
        });
        assertThat(pipeline.metrics.count(DeadLetterReason.LATE_EVENT)).isEqualTo(1);

        // Within the grace, a late event is still applied.
        change("e0", "PREPARE_FOR_SUBMISSION", "READY_FOR_REVIEW", "2026-01-09T11:00:00Z");
        ReviewCycle after = pipeline.latestPerCycle().get(1);
        assertThat(after.getReadyForReviewAt()).isEqualTo("2026-01-09T11:00:00Z");
        assertThat(after.getSubmittedAt()).isEqualTo(before.getSubmittedAt()).isNull();
    }

    @Test
    void aVersionAtItsStateLimitTakesNoMoreChangesAndSaysSo() {
        start();
        Instant time = Instant.parse("2026-01-05T00:00:00Z");
        for (int i = 0; i < PipelineSettings.MAX_STATE_CHANGES_PER_VERSION; i++) {
            change("e" + i, i % 2 == 0 ? "IN_REVIEW" : "WAITING_FOR_REVIEW",
                    i % 2 == 0 ? "WAITING_FOR_REVIEW" : "IN_REVIEW", time.plusSeconds(i).toString());
        }
        pipeline.reviewCycles.readValuesToList();

        change("one-too-many", "IN_REVIEW", "REJECTED", time.plusSeconds(10_000).toString());

        assertThat(pipeline.reviewCycles.isEmpty()).isTrue();
        assertThat(pipeline.deadLetters.readValuesToList()).singleElement()
                .extracting(DeadLetter::getReason).isEqualTo(DeadLetterReason.STATE_LIMIT_REACHED);
    }

    @Test
    void eventsOfOtherEntitiesMakeNoCycles() {
        start();

        send("""
                {"data":{"type":"buildUploadStateUpdated","id":"b1","version":1,
                 "attributes":{"oldState":"PROCESSING","newState":"COMPLETE"},
                 "relationships":{"instance":{"data":{"type":"buildUploads","id":"u1"}}}}}""", RECEIVED);

        assertThat(pipeline.events.readValuesToList()).hasSize(1);
        assertThat(pipeline.reviewCycles.isEmpty()).isTrue();
    }

    @Test
    void theSeedArticlesTimelineAsItArrivesGivesAWithdrawnCycleAndAnApprovedOneWithItsStartUnknown() {
        start();

        seedArticle().forEach(json -> send(json, RECEIVED.plusSeconds(sent)));

        Map<Integer, ReviewCycle> cycles = pipeline.latestPerCycle();
        assertSeedArticleCycles(cycles);
    }

    @Test
    void theSeedArticlesTimelineInReverseGivesTheSameCycles() {
        start();
        List<String> reversed = new ArrayList<>(seedArticle());
        Collections.reverse(reversed);

        reversed.forEach(json -> send(json, RECEIVED.plusSeconds(sent)));

        assertSeedArticleCycles(pipeline.latestPerCycle());
    }

    @Test
    void theSeedArticlesTimelineGivesOneWithdrawnAndOneApprovedMeasurementWithoutBorrowedTimes() {
        start();

        seedArticle().forEach(json -> send(json, RECEIVED.plusSeconds(sent)));

        Map<String, DeliveryMetric> latest = new HashMap<>();
        pipeline.driver.advanceWallClockTime(MetricAggregator.DEFAULT_EMIT_INTERVAL);
        pipeline.deliveryMetrics.readKeyValuesToList().forEach(kv -> latest.put(kv.key, kv.value));
        // Both cycles were decided on 2025-12-18; without enrichment the app and platform are unknown.
        DeliveryMetric total = latest.get("REVIEW_TOTAL|DAY|2025-12-18T00:00:00Z|-|-");
        assertThat(total.getCount()).isEqualTo(2);
        assertThat(total.getOutcomes()).isEqualTo(Map.of("WITHDRAWN", 1L, "APPROVED", 1L));
        assertThat(total.getMeasured()).isEqualTo(1);
        assertThat(total.getMaxMs()).isEqualTo(549_373L);
        DeliveryMetric review = latest.get("REVIEW_TIME|WEEK|2025-12-15T00:00:00Z|-|-");
        assertThat(review.getMeasured()).isEqualTo(1);
        assertThat(review.getMinMs()).isEqualTo(1_708_747L);
        DeliveryMetric wait = latest.get("REVIEW_WAIT|DAY|2025-12-18T00:00:00Z|-|-");
        assertThat(wait.getCount()).isEqualTo(2);
        assertThat(wait.getMeasured()).isZero();
        assertThat(wait.getP50Ms()).isNull();
    }

    /** The numbers docs/analytics.md quotes for the seed article. */
    private static void assertSeedArticleCycles(Map<Integer, ReviewCycle> cycles) {
        assertThat(cycles).hasSize(2);
        ReviewCycle withdrawn = cycles.get(1);
        assertThat(withdrawn.getOutcome()).isEqualTo(ReviewOutcome.WITHDRAWN);
        assertThat(withdrawn.getCycleCount()).isEqualTo(2);
        assertThat(withdrawn.getReadyForReviewAt()).isEqualTo("2025-12-18T03:41:12.516Z");
        assertThat(withdrawn.getSubmittedAt()).isEqualTo("2025-12-18T03:41:21.179Z");
        assertThat(withdrawn.getDecidedAt()).isEqualTo("2025-12-18T03:50:30.552Z");
        assertThat(withdrawn.getReviewStartedAt()).isNull();
        assertThat(withdrawn.getTotalMs()).isEqualTo(549_373L);
        assertThat(withdrawn.getWaitMs()).isNull();
        assertThat(withdrawn.getReviewMs()).isNull();
        assertThat(withdrawn.getReleaseMs()).isNull();
        assertThat(withdrawn.getObserved()).containsExactly("READY_FOR_REVIEW", "WAITING_FOR_REVIEW",
                "DEVELOPER_REJECTED");

        ReviewCycle approved = cycles.get(2);
        assertThat(approved.getOutcome()).isEqualTo(ReviewOutcome.APPROVED);
        assertThat(approved.getDecisionState()).isEqualTo("PENDING_DEVELOPER_RELEASE");
        assertThat(approved.getReadyForReviewAt()).isNull();
        assertThat(approved.getSubmittedAt()).as("the second submission was never delivered").isNull();
        assertThat(approved.getReviewStartedAt()).isEqualTo("2025-12-18T22:05:50.038Z");
        assertThat(approved.getDecidedAt()).isEqualTo("2025-12-18T22:34:18.785Z");
        assertThat(approved.getReleasedAt()).isEqualTo("2025-12-23T06:03:50.925Z");
        assertThat(approved.getWaitMs()).isNull();
        assertThat(approved.getTotalMs()).isNull();
        assertThat(approved.getReviewMs()).isEqualTo(1_708_747L);
        assertThat(approved.getReleaseMs()).isEqualTo(372_572_140L);
        assertThat(approved.getObserved()).containsExactly("PREPARE_FOR_SUBMISSION", "IN_REVIEW",
                "PENDING_DEVELOPER_RELEASE", "READY_FOR_DISTRIBUTION");

        // The article's subtraction, PENDING_DEVELOPER_RELEASE - WAITING_FOR_REVIEW, spans both cycles.
        long naive = approved.getDecidedAt().toEpochMilli() - withdrawn.getSubmittedAt().toEpochMilli();
        assertThat(naive).isEqualTo(67_977_606L);
    }

    private void change(String eventId, String oldValue, String newValue, String timestamp) {
        send(payload(eventId, oldValue, newValue, timestamp), RECEIVED.plusSeconds(sent));
    }

    private void send(String json, Instant receivedAt) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        pipeline.raw.pipeInput(EntityKeys.keyOf(Source.APP_STORE_CONNECT, body),
                Fixtures.raw(Source.APP_STORE_CONNECT, body), receivedAt);
        sent++;
    }

    private static String payload(String eventId, String oldValue, String newValue, String timestamp) {
        return """
                {"data":{"type":"appStoreVersionAppVersionStateUpdated","id":"%s","version":1,
                 "attributes":{"newValue":"%s","oldValue":"%s","timestamp":"%s"},
                 "relationships":{"instance":{"data":{"type":"appStoreVersions","id":"%s"}}}}}"""
                .formatted(eventId, newValue, oldValue, timestamp, VERSION);
    }

    /** The seed article's seven payloads, in event-time order (the order they were sent). */
    private static List<String> seedArticle() {
        List<String> payloads = new ArrayList<>();
        String[] names = {"1-ready-for-review", "2-waiting-for-review", "3-developer-rejected",
                "4-prepare-for-submission", "5-in-review", "6-pending-developer-release", "7-ready-for-distribution"};
        for (String name : names) {
            try (InputStream in = ReviewCyclesTopologyTest.class.getResourceAsStream(
                    "/review/seed-article/" + name + ".json")) {
                assertThat(in).as(name).isNotNull();
                payloads.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return payloads;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
