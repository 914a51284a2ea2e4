package dev.shipstream.streams.metrics;

import dev.shipstream.schemas.ReviewCycle;
import dev.shipstream.schemas.ReviewOutcome;

import java.time.Instant;
import java.util.List;

/**
 * Measures a decided App Store review cycle: {@link MetricName#REVIEW_WAIT}, {@link MetricName#REVIEW_TIME} and
 * {@link MetricName#REVIEW_TOTAL} are the cycle's own {@code waitMs}, {@code reviewMs} and {@code totalMs}, null
 * exactly when the cycle's are. Pure.
 *
 * <p>Only a cycle with a decision time counts: an {@code OPEN} cycle is not over, and a cycle whose end was only
 * inferred ({@code decidedAt} null) has no time to belong to. The outcome is the cycle's ({@code APPROVED},
 * {@code REJECTED}, {@code WITHDRAWN}, ...), so approval and rejection rates come from the same counts.
 */
public final class ReviewCycleDurations {

    private ReviewCycleDurations() {
    }

    /** The measurements of one cycle record; empty unless the cycle is decided at a known time. */
    public static List<Measurement> of(ReviewCycle cycle) {
        Instant decidedAt = cycle.getDecidedAt();
        if (cycle.getOutcome() == ReviewOutcome.OPEN || decidedAt == null) {
            return List.of();
        }
        String platform = cycle.getPlatform() == null ? null : cycle.getPlatform().name();
        long at = decidedAt.toEpochMilli();
        String outcome = cycle.getOutcome().name();
        return List.of(
                new Measurement(MetricName.REVIEW_WAIT, cycle.getAppId(), platform, at, valid(cycle.getWaitMs()),
                        outcome),
                new Measurement(MetricName.REVIEW_TIME, cycle.getAppId(), platform, at, valid(cycle.getReviewMs()),
                        outcome),
                new Measurement(MetricName.REVIEW_TOTAL, cycle.getAppId(), platform, at, valid(cycle.getTotalMs()),
                        outcome));
    }

    /** A negative duration cannot come from the cycles' event-time order; one in a record is not measured. */
    private static Long valid(Long duration) {
        return duration == null || duration < 0 ? null : duration;
    }
}
