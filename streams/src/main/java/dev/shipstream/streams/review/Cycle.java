package dev.shipstream.streams.review;

import dev.shipstream.schemas.ReviewOutcome;

import java.util.List;
import java.util.Objects;

/**
 * One review cycle of an App Store version, as {@link ReviewCycles} worked it out. Times are epoch milliseconds, null
 * when not observed in this cycle; each duration is null unless both its ends are known.
 *
 * @param number           from 1, in event-time order
 * @param outcome          how the cycle ended, or {@link ReviewOutcome#OPEN}
 * @param decisionState    the state that decided it, when known
 * @param readyForReviewAt the last {@code READY_FOR_REVIEW} before the submission
 * @param submittedAt      {@code WAITING_FOR_REVIEW}; null when the cycle is known only from later events
 * @param reviewStartedAt  the first {@code IN_REVIEW}
 * @param decidedAt        the decision or withdrawal
 * @param releasedAt       {@code READY_FOR_DISTRIBUTION} after an approval
 * @param observed         the states observed in the cycle, in event-time order
 */
public record Cycle(int number, ReviewOutcome outcome, String decisionState, Long readyForReviewAt, Long submittedAt,
                    Long reviewStartedAt, Long decidedAt, Long releasedAt, List<String> observed) {

    public Cycle {
        Objects.requireNonNull(outcome, "outcome");
        observed = List.copyOf(observed);
    }

    /** Submission to the start of review, or null. */
    public Long waitMs() {
        return between(submittedAt, reviewStartedAt);
    }

    /** Start of review to the decision, or null. */
    public Long reviewMs() {
        return between(reviewStartedAt, decidedAt);
    }

    /** Submission to the decision, or null. */
    public Long totalMs() {
        return between(submittedAt, decidedAt);
    }

    /** Decision to {@code READY_FOR_DISTRIBUTION}, or null. */
    public Long releaseMs() {
        return between(decidedAt, releasedAt);
    }

    private static Long between(Long start, Long end) {
        return start == null || end == null ? null : end - start;
    }
}
