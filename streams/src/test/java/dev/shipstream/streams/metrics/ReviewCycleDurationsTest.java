package dev.shipstream.streams.metrics;

import dev.shipstream.schemas.Platform;
import dev.shipstream.schemas.ReviewCycle;
import dev.shipstream.schemas.ReviewOutcome;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ReviewCycleDurationsTest {

    private static final Instant SUBMITTED = Instant.parse("2025-04-14T02:00:00Z");
    private static final Instant IN_REVIEW = Instant.parse("2025-04-15T10:00:00Z");
    private static final Instant DECIDED = Instant.parse("2025-04-15T10:40:00Z");

    static ReviewCycle cycle(ReviewOutcome outcome, Instant submittedAt, Instant reviewStartedAt, Instant decidedAt) {
        return ReviewCycle.newBuilder()
                .setVersionId("v-1")
                .setAppId("app-1")
                .setPlatform(Platform.IOS)
                .setCycle(1)
                .setCycleCount(1)
                .setOutcome(outcome)
                .setSubmittedAt(submittedAt)
                .setReviewStartedAt(reviewStartedAt)
                .setDecidedAt(decidedAt)
                .setWaitMs(span(submittedAt, reviewStartedAt))
                .setReviewMs(span(reviewStartedAt, decidedAt))
                .setTotalMs(span(submittedAt, decidedAt))
                .setLastEventAt(DECIDED.plusSeconds(60))
                .build();
    }

    private static Long span(Instant start, Instant end) {
        return start == null || end == null ? null : end.toEpochMilli() - start.toEpochMilli();
    }

    @Test
    void approvedCycleGivesItsThreeDurations() {
        List<Measurement> measurements = ReviewCycleDurations.of(
                cycle(ReviewOutcome.APPROVED, SUBMITTED, IN_REVIEW, DECIDED));

        long at = DECIDED.toEpochMilli();
        assertThat(measurements).containsExactly(
                new Measurement(MetricName.REVIEW_WAIT, "app-1", "IOS", at, 32 * 3_600_000L, "APPROVED"),
                new Measurement(MetricName.REVIEW_TIME, "app-1", "IOS", at, 40 * 60_000L, "APPROVED"),
                new Measurement(MetricName.REVIEW_TOTAL, "app-1", "IOS", at, 32 * 3_600_000L + 40 * 60_000L,
                        "APPROVED"));
    }

    @Test
    void unobservedSubmissionLeavesWaitAndTotalNull() {
        List<Measurement> measurements = ReviewCycleDurations.of(
                cycle(ReviewOutcome.REJECTED, null, IN_REVIEW, DECIDED));

        assertThat(measurements).extracting(Measurement::durationMs)
                .containsExactly(null, 40 * 60_000L, null);
        assertThat(measurements).extracting(Measurement::outcome).containsOnly("REJECTED");
    }

    @Test
    void openCycleIsNotMeasured() {
        assertThat(ReviewCycleDurations.of(cycle(ReviewOutcome.OPEN, SUBMITTED, IN_REVIEW, null))).isEmpty();
    }

    @Test
    void cycleWhoseEndWasOnlyInferredIsNotMeasured() {
        assertThat(ReviewCycleDurations.of(cycle(ReviewOutcome.UNKNOWN, SUBMITTED, null, null))).isEmpty();
    }

    @Test
    void withdrawalIsCountedAsAnOutcome() {
        assertThat(ReviewCycleDurations.of(cycle(ReviewOutcome.WITHDRAWN, SUBMITTED, null, DECIDED)))
                .extracting(Measurement::outcome, Measurement::durationMs)
                .containsExactly(
                        tuple("WITHDRAWN", null),
                        tuple("WITHDRAWN", null),
                        tuple("WITHDRAWN", DECIDED.toEpochMilli()
                                - SUBMITTED.toEpochMilli()));
    }

    @Test
    void aNegativeDurationInARecordIsNotMeasured() {
        ReviewCycle broken = ReviewCycle.newBuilder(cycle(ReviewOutcome.APPROVED, SUBMITTED, IN_REVIEW, DECIDED))
                .setWaitMs(-1L).build();

        assertThat(ReviewCycleDurations.of(broken)).extracting(Measurement::durationMs)
                .containsExactly(null, 40 * 60_000L, 32 * 3_600_000L + 40 * 60_000L);
    }
}
