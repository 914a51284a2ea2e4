package dev.shipstream.streams.review;

import dev.shipstream.schemas.ReviewOutcome;
import dev.shipstream.schemas.SubmittedAtSource;
import dev.shipstream.streams.normalize.AppVersionStates;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The review state machine on hand-written timelines; times are minutes after an arbitrary start. */
class ReviewCyclesTest {

    private static final long T0 = Instant.parse("2025-12-18T00:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;

    private final List<VersionStateChange> timeline = new ArrayList<>();

    private ReviewCyclesTest at(int minute, String oldValue, String newValue) {
        timeline.add(new VersionStateChange("e" + timeline.size(), T0 + minute * MINUTE, oldValue, newValue));
        return this;
    }

    /** A change that enrichment gave the API's submission date, {@code submittedMinute}. */
    private ReviewCyclesTest at(int minute, String oldValue, String newValue, int submittedMinute) {
        timeline.add(new VersionStateChange("e" + timeline.size(), T0 + minute * MINUTE, oldValue, newValue,
                t(submittedMinute)));
        return this;
    }

    private static long t(int minute) {
        return T0 + minute * MINUTE;
    }

    private List<Cycle> cycles() {
        return ReviewCycles.of(timeline);
    }

    @Test
    void aStraightApprovalIsOneCycleWithEveryDuration() {
        at(0, "PREPARE_FOR_SUBMISSION", "READY_FOR_REVIEW").at(1, "READY_FOR_REVIEW", "WAITING_FOR_REVIEW")
                .at(61, "WAITING_FOR_REVIEW", "IN_REVIEW").at(91, "IN_REVIEW", "PENDING_DEVELOPER_RELEASE")
                .at(211, "PENDING_DEVELOPER_RELEASE", "READY_FOR_DISTRIBUTION");

        assertThat(cycles()).containsExactly(new Cycle(1, ReviewOutcome.APPROVED, "PENDING_DEVELOPER_RELEASE",
                t(0), t(1), SubmittedAtSource.OBSERVED, t(61), t(91), t(211), List.of("READY_FOR_REVIEW",
                "WAITING_FOR_REVIEW", "IN_REVIEW",
                "PENDING_DEVELOPER_RELEASE", "READY_FOR_DISTRIBUTION")));
        Cycle cycle = cycles().get(0);
        assertThat(cycle.waitMs()).isEqualTo(60 * MINUTE);
        assertThat(cycle.reviewMs()).isEqualTo(30 * MINUTE);
        assertThat(cycle.totalMs()).isEqualTo(90 * MINUTE);
        assertThat(cycle.releaseMs()).isEqualTo(120 * MINUTE);
    }

    @Test
    void aRejectionThenAResubmissionAreTwoCyclesEachWithItsOwnTimes() {
        at(0, "READY_FOR_REVIEW", "WAITING_FOR_REVIEW").at(10, "WAITING_FOR_REVIEW", "IN_REVIEW")
                .at(20, "IN_REVIEW", "REJECTED").at(100, "REJECTED", "WAITING_FOR_REVIEW")
                .at(130, "WAITING_FOR_REVIEW", "IN_REVIEW").at(135, "IN_REVIEW", "PENDING_APPLE_RELEASE");

        List<Cycle> cycles = cycles();

        assertThat(cycles).extracting(Cycle::outcome).containsExactly(ReviewOutcome.REJECTED, ReviewOutcome.APPROVED);
        assertThat(cycles.get(0).totalMs()).isEqualTo(20 * MINUTE);
        assertThat(cycles.get(1).submittedAt()).isEqualTo(t(100));
        assertThat(cycles.get(1).waitMs()).isEqualTo(30 * MINUTE);
        assertThat(cycles.get(1).totalMs()).isEqualTo(35 * MINUTE);
        assertThat(cycles.get(1).releasedAt()).isNull();
    }

    @Test
    void developerRejectedWithdrawsTheCycle() {
        at(0, "READY_FOR_REVIEW", "WAITING_FOR_REVIEW").at(9, "WAITING_FOR_REVIEW", "DEVELOPER_REJECTED");

        Cycle cycle = cycles().get(0);

        assertThat(cycle.outcome()).isEqualTo(ReviewOutcome.WITHDRAWN);
        assertThat(cycle.decidedAt()).isEqualTo(t(9));
        assertThat(cycle.reviewStartedAt()).isNull();
        assertThat(cycle.waitMs()).isNull();
        assertThat(cycle.reviewMs()).isNull();
    }

    @Test
    void backToPrepareForSubmissionBeforeADecisionWithdrawsTheCycle() {
        at(0, "READY_FOR_REVIEW", "WAITING_FOR_REVIEW").at(5, "WAITING_FOR_REVIEW", "PREPARE_FOR_SUBMISSION");

        assertThat(cycles()).singleElement().satisfies(cycle -> {
            assertThat(cycle.outcome()).isEqualTo(ReviewOutcome.WITHDRAWN);
            assertThat(cycle.decisionState()).isEqualTo("PREPARE_FOR_SUBMISSION");
        });
    }

    @Test
    void anUndecidedCycleIsOpen() {
        at(0, "READY_FOR_REVIEW", "WAITING_FOR_REVIEW").at(10, "WAITING_FOR_REVIEW", "IN_REVIEW");

        assertThat(cycles()).singleElement().satisfies(cycle -> {
            assertThat(cycle.outcome()).isEqualTo(ReviewOutcome.OPEN);
            assertThat(cycle.decidedAt()).isNull();
            assertThat(cycle.waitMs()).isEqualTo(10 * MINUTE);
            assertThat(cycle.totalMs()).isNull();
        });
    }

    @Test
    void aMissedSubmissionAfterAClosedCycleStartsACycleWithItsStartUnknownAndBorrowsNothing() {
        // The seed article's shape: withdrawn, then IN_REVIEW without the second WAITING_FOR_REVIEW.
        at(0, "READY_FOR_REVIEW", "WAITING_FOR_REVIEW").at(9, "WAITING_FOR_REVIEW", "DEVELOPER_REJECTED")
                .at(80, "DEVELOPER_REJECTED", "PREPARE_FOR_SUBMISSION").at(1300, "WAITING_FOR_REVIEW", "IN_REVIEW")
                .at(1330, "IN_REVIEW", "PENDING_DEVELOPER_RELEASE");

        List<Cycle> cycles = cycles();

        assertThat(cycles).hasSize(2);
        Cycle second = cycles.get(1);
        assertThat(second.outcome()).isEqualTo(ReviewOutcome.APPROVED);
        assertThat(second.submittedAt()).isNull();
        assertThat(second.waitMs()).isNull();
        assertThat(second.totalMs()).isNull();
        assertThat(second.reviewMs()).isEqualTo(30 * MINUTE);
        assertThat(second.observed()).containsExactly("PREPARE_FOR_SUBMISSION", "IN_REVIEW",
                "PENDING_DEVELOPER_RELEASE");
    }

    @Test
    void anInReviewWithoutOldValueAfterAClosedCycleIsStillANewCycle() {
        at(0, "READY_FOR_REVIEW", "WAITING_FOR_REVIEW").at(5, "WAITING_FOR_REVIEW", "IN_REVIEW")
                .at(6, "IN_REVIEW", "REJECTED").at(50, null, "IN_REVIEW");

        assertThat(cycles()).extracting(Cycle::outcome).containsExactly(ReviewOutcome.REJECTED, ReviewOutcome.OPEN);
        assertThat(cycles().get(1).submittedAt()).isNull();
    }

    @Test
    void aDecisionSeenOnlyAsAnOldValueClosesTheCycleWithoutATime() {
        at(0, "READY_FOR_REVIEW", "WAITING_FOR_REVIEW").at(5, "WAITING_FOR_REVIEW", "IN_REVIEW")
                .at(90, "REJECTED", "WAITING_FOR_REVIEW");

        List<Cycle> cycles = cycles();

        assertThat(cycles).hasSize(2);
        assertThat(cycles.get(0).outcome()).isEqualTo(ReviewOutcome.REJECTED);
        assertThat(cycles.get(0).decidedAt()).isNull();
        assertThat(cycles.get(0).reviewMs()).isNull();
        assertThat(cycles.get(1).submittedAt()).isEqualTo(t(90));
    }

    @Test
    void aReleaseWhoseApprovalWasMissedIsApprovedWithoutADecisionTime() {
        at(0, "READY_FOR_REVIEW", "WAITING_FOR_REVIEW").at(5, "WAITING_FOR_REVIEW", "IN_REVIEW")
                .at(900, "PENDING_DEVELOPER_RELEASE", "READY_FOR_DISTRIBUTION");

        assertThat(cycles()).singleElement().satisfies(cycle -> {
            assertThat(cycle.outcome()).isEqualTo(ReviewOutcome.APPROVED);
            assertThat(cycle.decidedAt()).isNull();
            assertThat(cycle.releasedAt()).isEqualTo(t(900));
            assertThat(cycle.releaseMs()).isNull();
            assertThat(cycle.reviewMs()).isNull();
        });
    }

    @Test
    void backBeforeSubmissionWithTheEndingUnseenIsUnknown() {
        at(0, "READY_FOR_REVIEW", "WAITING_FOR_REVIEW").at(60, "READY_FOR_REVIEW", "WAITING_FOR_REVIEW");

        List<Cycle> cycles = cycles();

        assertThat(cycles).extracting(Cycle::outcome).containsExactly(ReviewOutcome.UNKNOWN, ReviewOutcome.OPEN);
        assertThat(cycles.get(0).decidedAt()).isNull();
        assertThat(cycles.get(1).submittedAt()).isEqualTo(t(60));
    }

    @Test
    void outOfOrderArrivalGivesTheSameCyclesAsEventTimeOrder() {
        at(0, "READY_FOR_REVIEW", "WAITING_FOR_REVIEW").at(10, "WAITING_FOR_REVIEW", "IN_REVIEW")
                .at(20, "IN_REVIEW", "METADATA_REJECTED").at(30, "METADATA_REJECTED", "WAITING_FOR_REVIEW");
        List<Cycle> inOrder = cycles();

        List<VersionStateChange> reversed = new ArrayList<>(timeline);
        Collections.reverse(reversed);

        assertThat(ReviewCycles.of(reversed)).isEqualTo(inOrder);
        assertThat(inOrder.get(0).outcome()).isEqualTo(ReviewOutcome.METADATA_REJECTED);
    }

    @Test
    void aDuplicateEventIdChangesNothing() {
        at(0, "READY_FOR_REVIEW", "WAITING_FOR_REVIEW").at(10, "WAITING_FOR_REVIEW", "IN_REVIEW");
        List<Cycle> once = cycles();

        timeline.add(timeline.get(1));

        assertThat(cycles()).isEqualTo(once);
    }

    @Test
    void invalidBinaryIsItsOwnOutcome() {
        at(0, "READY_FOR_REVIEW", "WAITING_FOR_REVIEW").at(3, "WAITING_FOR_REVIEW", "INVALID_BINARY");

        assertThat(cycles()).singleElement().extracting(Cycle::outcome).isEqualTo(ReviewOutcome.INVALID_BINARY);
    }

    @Test
    void statesBeforeAnySubmissionMakeNoCycle() {
        at(0, null, "PREPARE_FOR_SUBMISSION").at(1, "PREPARE_FOR_SUBMISSION", "READY_FOR_REVIEW");

        assertThat(cycles()).isEmpty();
    }

    @Test
    void anUnobservedSubmissionIsFilledFromTheApiAndMarkedSo() {
        at(0, "PREPARE_FOR_SUBMISSION", "READY_FOR_REVIEW")
                .at(70, "WAITING_FOR_REVIEW", "IN_REVIEW", 10)
                .at(90, "IN_REVIEW", "PENDING_DEVELOPER_RELEASE", 10);

        Cycle cycle = cycles().get(0);

        assertThat(cycle.submittedAt()).isEqualTo(t(10));
        assertThat(cycle.submittedAtSource()).isEqualTo(SubmittedAtSource.APP_STORE_CONNECT_API);
        assertThat(cycle.waitMs()).isEqualTo(60 * MINUTE);
        assertThat(cycle.totalMs()).isEqualTo(80 * MINUTE);
        assertThat(cycle.observed()).doesNotContain("WAITING_FOR_REVIEW");
    }

    @Test
    void anApiDateOnlyOnTheDecisionStillFillsItsCycle() {
        at(70, "WAITING_FOR_REVIEW", "IN_REVIEW").at(90, "IN_REVIEW", "REJECTED", 10);

        assertThat(cycles()).singleElement().satisfies(cycle -> {
            assertThat(cycle.submittedAt()).isEqualTo(t(10));
            assertThat(cycle.submittedAtSource()).isEqualTo(SubmittedAtSource.APP_STORE_CONNECT_API);
        });
    }

    @Test
    void anApiDateBeforeThePreviousCyclesEndIsNotUsed() {
        // Cycle 1 is rejected at minute 20; the resubmission was missed. The API names a submission at minute 5,
        // which lies inside cycle 1: it is cycle 1's, never cycle 2's.
        at(0, "READY_FOR_REVIEW", "WAITING_FOR_REVIEW").at(10, "WAITING_FOR_REVIEW", "IN_REVIEW")
                .at(20, "IN_REVIEW", "REJECTED")
                .at(130, "WAITING_FOR_REVIEW", "IN_REVIEW", 5);

        Cycle second = cycles().get(1);

        assertThat(second.submittedAt()).isNull();
        assertThat(second.submittedAtSource()).isNull();
        assertThat(second.waitMs()).isNull();
        assertThat(cycles().get(0).submittedAt()).isEqualTo(t(0));
    }

    @Test
    void anApiDateAtOrBeforeTheLastChangeBeforeTheCycleIsNotUsed() {
        // Whatever happened before the cycle (here the version went back to PREPARE_FOR_SUBMISSION at 40) happened
        // before its submission; a date not after it is another submission's.
        at(0, "READY_FOR_REVIEW", "WAITING_FOR_REVIEW").at(20, "WAITING_FOR_REVIEW", "DEVELOPER_REJECTED")
                .at(40, "DEVELOPER_REJECTED", "PREPARE_FOR_SUBMISSION")
                .at(130, "WAITING_FOR_REVIEW", "IN_REVIEW", 40);

        assertThat(cycles().get(1).submittedAt()).isNull();
    }

    @Test
    void anApiDateAfterTheCyclesFirstObservedChangeIsNotUsed() {
        at(70, "WAITING_FOR_REVIEW", "IN_REVIEW").at(90, "IN_REVIEW", "PENDING_DEVELOPER_RELEASE", 80);

        assertThat(cycles()).singleElement().satisfies(cycle -> {
            assertThat(cycle.submittedAt()).isNull();
            assertThat(cycle.submittedAtSource()).isNull();
            assertThat(cycle.totalMs()).isNull();
        });
    }

    @Test
    void anObservedSubmissionWinsOverTheApiDate() {
        at(0, "READY_FOR_REVIEW", "WAITING_FOR_REVIEW")
                .at(70, "WAITING_FOR_REVIEW", "IN_REVIEW", 1)
                .at(90, "IN_REVIEW", "PENDING_DEVELOPER_RELEASE", 1);

        Cycle cycle = cycles().get(0);

        assertThat(cycle.submittedAt()).isEqualTo(t(0));
        assertThat(cycle.submittedAtSource()).isEqualTo(SubmittedAtSource.OBSERVED);
    }

    @Test
    void aLateObservedSubmissionReplacesTheApiDate() {
        at(70, "WAITING_FOR_REVIEW", "IN_REVIEW", 10).at(90, "IN_REVIEW", "PENDING_DEVELOPER_RELEASE", 10);
        assertThat(cycles().get(0).submittedAtSource()).isEqualTo(SubmittedAtSource.APP_STORE_CONNECT_API);

        at(11, "READY_FOR_REVIEW", "WAITING_FOR_REVIEW");

        assertThat(cycles()).singleElement().satisfies(cycle -> {
            assertThat(cycle.submittedAt()).isEqualTo(t(11));
            assertThat(cycle.submittedAtSource()).isEqualTo(SubmittedAtSource.OBSERVED);
            assertThat(cycle.waitMs()).isEqualTo(59 * MINUTE);
        });
    }

    @Test
    void aCycleKnownOnlyFromAnOldValueTakesNoApiDate() {
        // IN_REVIEW after a REJECTED nobody saw: the rejected cycle is known only from the oldValue; the API's date
        // is the submission of the review that follows, the second cycle's.
        at(100, "REJECTED", "IN_REVIEW", 50);

        List<Cycle> cycles = cycles();

        assertThat(cycles).extracting(Cycle::outcome).containsExactly(ReviewOutcome.REJECTED, ReviewOutcome.OPEN);
        assertThat(cycles.get(0).submittedAt()).isNull();
        assertThat(cycles.get(1).submittedAt()).isEqualTo(t(50));
    }

    @Test
    void isPastSubmissionForInReviewAndDecisionsOnly() {
        assertThat(List.of("IN_REVIEW", "PENDING_DEVELOPER_RELEASE", "READY_FOR_DISTRIBUTION", "REJECTED",
                "METADATA_REJECTED", "INVALID_BINARY", "DEVELOPER_REJECTED"))
                .allMatch(AppVersionStates::isPastSubmission);
        assertThat(List.of("PREPARE_FOR_SUBMISSION", "READY_FOR_REVIEW", "WAITING_FOR_REVIEW",
                "REPLACED_WITH_NEW_VERSION")).noneMatch(AppVersionStates::isPastSubmission);
        assertThat(AppVersionStates.isPastSubmission(null)).isFalse();
    }
}
