package dev.shipstream.streams.review;

import dev.shipstream.schemas.ReviewOutcome;
import dev.shipstream.schemas.SubmittedAtSource;
import dev.shipstream.streams.normalize.AppVersionStates.Kind;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The review state machine of one App Store version: its observed state changes in, its review cycles out. Pure: no
 * Kafka, no clock, no state between calls.
 *
 * <p>The cycles are a function of the <em>set</em> of changes: they are sorted by event time
 * ({@link VersionStateChange#EVENT_TIME_ORDER}) and changes with an event id already seen are dropped, so any arrival
 * order and any number of duplicates give the same cycles. Then one pass follows the states:
 * <ul>
 *   <li>{@code WAITING_FOR_REVIEW} while no cycle is open starts a cycle (the submission).</li>
 *   <li>{@code IN_REVIEW} starts the review ({@code reviewStartedAt}, the first one counts).</li>
 *   <li>An approval state ({@code PENDING_DEVELOPER_RELEASE}, {@code PENDING_APPLE_RELEASE},
 *       {@code PROCESSING_FOR_DISTRIBUTION}, {@code READY_FOR_DISTRIBUTION}, {@code ACCEPTED}), {@code REJECTED},
 *       {@code METADATA_REJECTED} or {@code INVALID_BINARY} decides the open cycle.</li>
 *   <li>{@code DEVELOPER_REJECTED}, or a pre-submission state ({@code PREPARE_FOR_SUBMISSION},
 *       {@code READY_FOR_REVIEW}, {@code WAITING_FOR_EXPORT_COMPLIANCE}) while a cycle is open, withdraws it.</li>
 *   <li>{@code READY_FOR_DISTRIBUTION} after an approval is the release.</li>
 * </ul>
 *
 * <p>Webhooks go missing, so each change's {@code oldValue} is checked against the model first. It reveals what was
 * not observed: an {@code oldValue} of {@code WAITING_FOR_REVIEW} or {@code IN_REVIEW} while no cycle is open (or an
 * {@code IN_REVIEW} or a decision with none open) shows a submission that was missed, so a cycle starts with its
 * submission time unknown; an {@code oldValue} that is a decision while a cycle is open closes it with that outcome
 * and an unknown decision time; a pre-submission {@code oldValue} while a cycle is open shows the cycle ended in a way
 * nobody saw ({@link ReviewOutcome#UNKNOWN}). A time is only ever the time of the change that was observed to enter
 * the state, inside the cycle it belongs to: nothing is borrowed from another cycle, nothing is guessed.
 *
 * <p>A submission that was not observed may be filled from the App Store Connect API. A change can carry the
 * {@code submittedDate} of the version's latest review submission at or before it ({@link
 * VersionStateChange#apiSubmittedAt()}, added by enrichment). Such a date becomes the {@code submittedAt} of a cycle
 * whose {@code WAITING_FOR_REVIEW} was not observed only if it lies strictly after every change before the cycle (the
 * previous cycle's decision and whatever followed it) and not after the cycle's first observed change: a date in
 * that window can be no other cycle's submission, so nothing is borrowed. When several fit, the latest wins (the
 * submission the review followed). The cycle's {@code submittedAtSource} says {@link
 * SubmittedAtSource#APP_STORE_CONNECT_API}; an observed {@code WAITING_FOR_REVIEW} always wins, also when it arrives
 * after the date was used, because the cycles are recomputed from the whole set of changes.
 *
 * <p>States after a cycle's decision stay with it (the release, a developer pulling an approved version) until a new
 * cycle begins; pre-submission states after a decision are noted in the next cycle ({@code READY_FOR_REVIEW} gives
 * its {@code readyForReviewAt}). Unknown states are noted and otherwise ignored.
 */
public final class ReviewCycles {

    private ReviewCycles() {
    }

    /**
     * Works out the cycles.
     *
     * @param changes every observed state change of one version, in any order, duplicates allowed
     * @return the cycles in event-time order, numbered from 1; empty if no change shows a submission
     */
    public static List<Cycle> of(Collection<VersionStateChange> changes) {
        List<VersionStateChange> ordered = new ArrayList<>(changes);
        ordered.sort(VersionStateChange.EVENT_TIME_ORDER);
        Fold fold = new Fold();
        Set<String> seen = new HashSet<>();
        for (VersionStateChange change : ordered) {
            if (seen.add(change.eventId())) {
                fold.apply(change);
            }
        }
        return fold.cycles();
    }

    private static final String READY_FOR_REVIEW = "READY_FOR_REVIEW";
    private static final String READY_FOR_DISTRIBUTION = "READY_FOR_DISTRIBUTION";

    /** The outcome a deciding state gives. */
    private static ReviewOutcome outcomeOf(String state) {
        return switch (Kind.of(state)) {
            case APPROVAL -> ReviewOutcome.APPROVED;
            case REJECTION -> ReviewOutcome.valueOf(state);
            case WITHDRAWAL, PRE_SUBMISSION -> ReviewOutcome.WITHDRAWN;
            default -> throw new IllegalArgumentException("not a deciding state: " + state);
        };
    }

    /** A cycle being built. */
    private static final class Draft {
        ReviewOutcome outcome = ReviewOutcome.OPEN;
        String decisionState;
        Long readyForReviewAt;
        Long submittedAt;
        Long reviewStartedAt;
        Long decidedAt;
        Long releasedAt;
        final List<String> observed = new ArrayList<>();
        /** The event time of the first change whose new state was placed in this cycle, or null if none was. */
        Long firstAt;
        /** The latest event time of the changes before that first change, or null if there were none. */
        Long before;

        /** Whether an API submission date fits this cycle: after everything before it, not after its first change. */
        boolean admits(long apiSubmittedAt) {
            return firstAt != null && apiSubmittedAt <= firstAt && (before == null || apiSubmittedAt > before);
        }

        Cycle toCycle(int number, Long apiSubmittedAt) {
            Long submitted = submittedAt != null ? submittedAt : apiSubmittedAt;
            SubmittedAtSource source = submittedAt != null ? SubmittedAtSource.OBSERVED
                    : apiSubmittedAt != null ? SubmittedAtSource.APP_STORE_CONNECT_API : null;
            return new Cycle(number, outcome, decisionState, readyForReviewAt, submitted, source, reviewStartedAt,
                    decidedAt, releasedAt, observed);
        }
    }

    /** One pass over the ordered changes. */
    private static final class Fold {
        private final List<Draft> cycles = new ArrayList<>();
        /** The undecided cycle, or null. */
        private Draft open;
        /** States seen while no cycle was open and no cycle was decided before them that they belong to. */
        private final List<String> pending = new ArrayList<>();
        private Long pendingReadyForReviewAt;
        /** The event time of the last change applied, or null before the first. */
        private Long lastAt;
        /** The event time of the change before the one being applied, or null. */
        private Long previousAt;
        /** Every submission date from the API that a change carried, not after the change itself. */
        private final List<Long> apiSubmittedAts = new ArrayList<>();

        void apply(VersionStateChange change) {
            previousAt = lastAt;
            lastAt = change.at();
            if (change.apiSubmittedAt() != null && change.apiSubmittedAt() <= change.at()) {
                apiSubmittedAts.add(change.apiSubmittedAt());
            }
            reconcile(change.oldValue());
            String state = change.newValue();
            long at = change.at();
            switch (Kind.of(state)) {
                case PRE_SUBMISSION -> {
                    if (open != null) {
                        note(open, change);
                        close(ReviewOutcome.WITHDRAWN, state, at);
                    } else {
                        pending.add(state);
                        if (READY_FOR_REVIEW.equals(state)) {
                            pendingReadyForReviewAt = at;
                        }
                    }
                }
                case SUBMITTED -> {
                    if (open == null) {
                        start(at);
                    }
                    note(open, change);
                }
                case IN_REVIEW -> {
                    if (open == null) {
                        start(null);
                    }
                    note(open, change);
                    if (open.reviewStartedAt == null) {
                        open.reviewStartedAt = at;
                    }
                }
                case APPROVAL -> approval(change, state, at);
                case REJECTION -> {
                    Draft last = last();
                    boolean changeOfAReachedDecision = open == null && last != null
                            && Kind.of(change.oldValue()) == Kind.REJECTION;
                    if (changeOfAReachedDecision) {
                        note(last, change);
                        return;
                    }
                    if (open == null) {
                        // A decision with no open cycle: its submission was missed.
                        start(null);
                    }
                    note(open, change);
                    close(outcomeOf(state), state, at);
                }
                case WITHDRAWAL -> {
                    if (open != null) {
                        note(open, change);
                        close(ReviewOutcome.WITHDRAWN, state, at);
                    } else if (last() != null) {
                        note(last(), change);
                    } else {
                        pending.add(state);
                    }
                }
                case OTHER -> {
                    if (open != null) {
                        note(open, change);
                    } else if (last() != null) {
                        note(last(), change);
                    } else {
                        pending.add(state);
                    }
                }
            }
        }

        private void approval(VersionStateChange change, String state, long at) {
            if (open != null) {
                note(open, change);
                close(ReviewOutcome.APPROVED, state, at);
                Draft decided = last();
                if (READY_FOR_DISTRIBUTION.equals(state)) {
                    decided.releasedAt = at;
                }
                return;
            }
            Draft last = last();
            if (last == null || last.outcome != ReviewOutcome.APPROVED) {
                // An approval with no open cycle: its submission was missed. It is the decision only if the state
                // before is known not to be an approval state already.
                boolean decidedNow = change.oldValue() != null && Kind.of(change.oldValue()) != Kind.APPROVAL;
                start(null);
                note(open, change);
                close(ReviewOutcome.APPROVED, decidedNow ? state : null, decidedNow ? at : null);
                last = last();
            } else {
                note(last, change);
            }
            if (READY_FOR_DISTRIBUTION.equals(state) && last.releasedAt == null) {
                last.releasedAt = at;
            }
        }

        /** Places the change's new state in a cycle; the first change placed there bounds its API submission date. */
        private void note(Draft draft, VersionStateChange change) {
            draft.observed.add(change.newValue());
            if (draft.firstAt == null) {
                draft.firstAt = change.at();
                draft.before = previousAt;
            }
        }

        /** Checks the state before a change against the model, and accounts for what was missed. */
        private void reconcile(String oldValue) {
            if (oldValue == null) {
                return;
            }
            Kind kind = Kind.of(oldValue);
            if (open != null) {
                switch (kind) {
                    case REJECTION, WITHDRAWAL -> close(outcomeOf(oldValue), oldValue, null);
                    // Which approval state came first, and when, is unknown.
                    case APPROVAL -> close(ReviewOutcome.APPROVED, null, null);
                    // Back before submission: the cycle ended, but whether by withdrawal or a decision is unknown.
                    case PRE_SUBMISSION -> close(ReviewOutcome.UNKNOWN, null, null);
                    default -> { }
                }
                return;
            }
            switch (kind) {
                case SUBMITTED, IN_REVIEW -> start(null);
                case REJECTION, WITHDRAWAL, APPROVAL -> {
                    Draft last = last();
                    if (last == null || last.outcome != outcomeOf(oldValue)) {
                        // The version was decided in a cycle that was never observed at all.
                        start(null);
                        close(outcomeOf(oldValue), kind == Kind.APPROVAL ? null : oldValue, null);
                    }
                }
                default -> { }
            }
        }

        private void start(Long submittedAt) {
            Draft draft = new Draft();
            draft.submittedAt = submittedAt;
            draft.readyForReviewAt = pendingReadyForReviewAt;
            draft.observed.addAll(pending);
            pending.clear();
            pendingReadyForReviewAt = null;
            cycles.add(draft);
            open = draft;
        }

        private void close(ReviewOutcome outcome, String decisionState, Long decidedAt) {
            open.outcome = outcome;
            open.decisionState = decisionState;
            open.decidedAt = decidedAt;
            open = null;
        }

        /** The latest API submission date that fits the cycle, or null. */
        private Long apiSubmittedAt(Draft draft) {
            Long latest = null;
            for (long candidate : apiSubmittedAts) {
                if (draft.admits(candidate) && (latest == null || candidate > latest)) {
                    latest = candidate;
                }
            }
            return latest;
        }

        private Draft last() {
            return cycles.isEmpty() ? null : cycles.get(cycles.size() - 1);
        }

        List<Cycle> cycles() {
            List<Cycle> result = new ArrayList<>(cycles.size());
            for (int i = 0; i < cycles.size(); i++) {
                Draft draft = cycles.get(i);
                result.add(draft.toCycle(i + 1, draft.submittedAt != null ? null : apiSubmittedAt(draft)));
            }
            return List.copyOf(result);
        }
    }
}
