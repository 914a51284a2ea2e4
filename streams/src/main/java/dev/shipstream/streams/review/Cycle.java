package dev.shipstream.streams.review;

import dev.shipstream.schemas.ReviewOutcome;
import dev.shipstream.schemas.SubmittedAtSource;

import java.util.List;
import java.util.Objects;

/**
 * One review cycle of an App Store version, as {@link ReviewCycles} worked it out. Times are epoch milliseconds, null
 * when not observed in this cycle (an unobserved submission may be filled from the App Store Connect API, marked in
 * {@code submittedAtSource}); each duration is null unless both its ends are known.
 *
 * @param number           from 1, in event-time order
 * @param outcome          how the cycle ended, or {@link ReviewOutcome#OPEN}
 * @param decisionState    the state that decided it, when known
 * @param readyForReviewAt the last {@code READY_FOR_REVIEW} before the submission
 * @param submittedAt      {@code WAITING_FOR_REVIEW}; when that was not observed, the App Store Connect API's
 *                         {@code submittedDate} if one fits the cycle; else null
 * @param submittedAtSource where {@code submittedAt} came from; null exactly when it is null
 * @param reviewStartedAt  the first {@code IN_REVIEW}
 * @param decidedAt        the decision or withdrawal
 * @param releasedAt       {@code READY_FOR_DISTRIBUTION} after an approval
 * @param observed         the states observed in the cycle, in event-time order
 */
public record Cycle(int number, ReviewOutcome outcome, String decisionState, Long readyForReviewAt, Long submittedAt,
                    SubmittedAtSource submittedAtSource, Long reviewStartedAt, Long decidedAt, Long releasedAt,
                    List<String> observed) {

    public Cycle {
        Objects.requireNonNull(outcome, "outcome");
        if ((submittedAt == null) != (submittedAtSource == null)) {
            throw new IllegalArgumentException("submittedAtSource must be given exactly when submittedAt is");
        }
        observed = List.copyOf(observed);
    }

    /** Submission to the start of review, or null; from an API-filled submission too (see {@code submittedAtSource}). */
    public Long waitMs() {
        return between(submittedAt, reviewStartedAt);
    }

    /** Start of review to the decision, or null. */
    public Long reviewMs() {
        return between(reviewStartedAt, decidedAt);
    }

    /** Submission to the decision, or null; from an API-filled submission too (see {@code submittedAtSource}). */
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
