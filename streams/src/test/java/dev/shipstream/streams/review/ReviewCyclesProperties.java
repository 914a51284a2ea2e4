package dev.shipstream.streams.review;

import dev.shipstream.schemas.ReviewOutcome;
import dev.shipstream.schemas.SubmittedAtSource;
import dev.shipstream.streams.normalize.AppVersionStates;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cycles are a function of the set of observed changes: arrival order and duplicates cannot matter. Timelines are
 * random walks over the App Store states (so they look like real ones, gaps included) with random times, sometimes
 * equal, and sometimes no {@code oldValue}. Some changes past a submission carry the API's submission date as
 * enrichment would give it (the time of the walk's latest {@code WAITING_FOR_REVIEW}, observed or not), some a date
 * that is off (an earlier submission, or after the change was sent to the state machine in a different cycle).
 */
class ReviewCyclesProperties {

    private static final List<String> STATES = List.of("PREPARE_FOR_SUBMISSION", "READY_FOR_REVIEW",
            "WAITING_FOR_REVIEW", "IN_REVIEW", "PENDING_DEVELOPER_RELEASE", "PENDING_APPLE_RELEASE",
            "PROCESSING_FOR_DISTRIBUTION", "READY_FOR_DISTRIBUTION", "ACCEPTED", "REJECTED", "METADATA_REJECTED",
            "INVALID_BINARY", "DEVELOPER_REJECTED", "WAITING_FOR_EXPORT_COMPLIANCE", "REPLACED_WITH_NEW_VERSION");

    @Property(tries = 2000)
    void anyArrivalOrderGivesTheSameCycles(@ForAll("timelines") List<VersionStateChange> timeline,
                                          @ForAll long seed) {
        List<VersionStateChange> shuffled = new ArrayList<>(timeline);
        Collections.shuffle(shuffled, new Random(seed));

        assertThat(ReviewCycles.of(shuffled)).isEqualTo(ReviewCycles.of(timeline));
    }

    @Property(tries = 1000)
    void duplicatesChangeNothing(@ForAll("timelines") List<VersionStateChange> timeline, @ForAll long seed) {
        Random random = new Random(seed);
        List<VersionStateChange> withDuplicates = new ArrayList<>(timeline);
        for (VersionStateChange change : timeline) {
            if (random.nextBoolean()) {
                withDuplicates.add(change);
            }
        }
        Collections.shuffle(withDuplicates, random);

        assertThat(ReviewCycles.of(withDuplicates)).isEqualTo(ReviewCycles.of(timeline));
    }

    @Property(tries = 2000)
    void durationsAreNeverNegativeAndOnlyFromTimesOfTheirOwnCycle(
            @ForAll("timelines") List<VersionStateChange> timeline) {
        List<Long> observedTimes = new ArrayList<>(timeline.stream().map(VersionStateChange::at).toList());
        timeline.stream().map(VersionStateChange::apiSubmittedAt).filter(java.util.Objects::nonNull)
                .forEach(observedTimes::add);
        for (Cycle cycle : ReviewCycles.of(timeline)) {
            for (Long duration : new Long[]{cycle.waitMs(), cycle.reviewMs(), cycle.totalMs(), cycle.releaseMs()}) {
                assertThat(duration == null || duration >= 0).as("%s", cycle).isTrue();
            }
            for (Long time : new Long[]{cycle.readyForReviewAt(), cycle.submittedAt(), cycle.reviewStartedAt(),
                    cycle.decidedAt(), cycle.releasedAt()}) {
                assertThat(time == null || observedTimes.contains(time)).as("%s", cycle).isTrue();
            }
        }
    }

    @Property(tries = 2000)
    void anApiSubmissionDateLiesAfterThePreviousCycleAndNotAfterItsOwnTimes(
            @ForAll("timelines") List<VersionStateChange> timeline) {
        List<Cycle> cycles = ReviewCycles.of(timeline);
        for (int i = 0; i < cycles.size(); i++) {
            Cycle cycle = cycles.get(i);
            assertThat(cycle.submittedAtSource() == null).as("%s", cycle).isEqualTo(cycle.submittedAt() == null);
            if (cycle.submittedAtSource() != SubmittedAtSource.APP_STORE_CONNECT_API) {
                continue;
            }
            long submitted = cycle.submittedAt();
            for (Long own : new Long[]{cycle.reviewStartedAt(), cycle.decidedAt(), cycle.releasedAt()}) {
                assertThat(own == null || submitted <= own).as("%s", cycle).isTrue();
            }
            if (i > 0) {
                Cycle previous = cycles.get(i - 1);
                for (Long earlier : new Long[]{previous.submittedAt(), previous.reviewStartedAt(),
                        previous.decidedAt(), previous.releasedAt()}) {
                    assertThat(earlier == null || submitted > earlier).as("%s after %s", cycle, previous).isTrue();
                }
            }
        }
    }

    @Property(tries = 1000)
    void cyclesAreNumberedFromOneAndOnlyTheLastCanBeOpen(@ForAll("timelines") List<VersionStateChange> timeline) {
        List<Cycle> cycles = ReviewCycles.of(timeline);
        for (int i = 0; i < cycles.size(); i++) {
            assertThat(cycles.get(i).number()).isEqualTo(i + 1);
            if (i < cycles.size() - 1) {
                assertThat(cycles.get(i).outcome()).isNotEqualTo(ReviewOutcome.OPEN);
            }
        }
    }

    @Provide
    Arbitrary<List<VersionStateChange>> timelines() {
        Arbitrary<Integer> stateIndex = Arbitraries.integers().between(0, STATES.size() - 1);
        Arbitrary<Step> step = Combinators.combine(stateIndex, Arbitraries.longs().between(0, 3),
                        Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 9))
                .as(Step::new);
        return step.list().ofMinSize(0).ofMaxSize(25).map(ReviewCyclesProperties::walk);
    }

    /**
     * A next state, a time step (0 makes ties), a roll: 0 skips the change (a lost webhook), 1 drops oldValue; and an
     * API roll for a change past a submission: 0-3 no date, 4-7 the latest submission's, 8 the one before it, 9 a
     * date a minute before the change.
     */
    private record Step(int state, long minutes, int roll, int api) {
    }

    private static List<VersionStateChange> walk(List<Step> steps) {
        List<VersionStateChange> changes = new ArrayList<>();
        String current = "PREPARE_FOR_SUBMISSION";
        long time = 1_766_000_000_000L;
        Long submitted = null;
        Long submittedBefore = null;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            String next = STATES.get(step.state());
            time += step.minutes() * 60_000;
            if ("WAITING_FOR_REVIEW".equals(next)) {
                submittedBefore = submitted;
                submitted = time;
            }
            Long apiDate = null;
            if (AppVersionStates.isPastSubmission(next)) {
                apiDate = step.api() < 4 ? null : step.api() < 8 ? submitted : step.api() == 8 ? submittedBefore
                        : Long.valueOf(time - 60_000);
            }
            if (step.roll() != 0) {
                changes.add(new VersionStateChange("event-" + i, time, step.roll() == 1 ? null : current, next,
                        apiDate));
            }
            current = next;
        }
        return changes;
    }
}
