package dev.shipstream.streams.metrics;

import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.Source;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class StatePhasesTest {

    private static final long T0 = Instant.parse("2025-04-16T05:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000L;

    private static StateChange change(String id, long minutes, String oldState, String newState) {
        return new StateChange(id, T0 + minutes * MINUTE, true, oldState, newState);
    }

    @Test
    void buildProcessingRunsFromProcessingToComplete() {
        List<Measurement> measurements = StatePhases.BUILD_PROCESSING.measure(List.of(
                change("e1", 0, "AWAITING_UPLOAD", "PROCESSING"),
                change("e2", 12, "PROCESSING", "COMPLETE")), "app-1", "IOS");

        assertThat(measurements).containsExactly(new Measurement(MetricName.BUILD_PROCESSING, "app-1", "IOS",
                T0 + 12 * MINUTE, 12 * MINUTE, "COMPLETE"));
    }

    @Test
    void buildUploadFixturesWithoutPayloadTimeCountTheOutcomeOnly() {
        DeliveryEvent failed = MetricFixtures.event(Source.APP_STORE_CONNECT,
                "asc/buildUploadStateUpdated-failed.json");
        DeliveryEvent complete = MetricFixtures.event(Source.APP_STORE_CONNECT,
                "asc/buildUploadStateUpdated-complete.json");
        assertThat(complete.getOccurredAtEstimated()).isTrue();

        List<Measurement> measurements = StatePhases.BUILD_PROCESSING.measure(
                List.of(StateChange.of(complete)), null, null);

        assertThat(measurements).singleElement().satisfies(m -> {
            assertThat(m.outcome()).isEqualTo("COMPLETE");
            assertThat(m.durationMs()).isNull();
        });
        assertThat(StatePhases.BUILD_PROCESSING.measure(List.of(StateChange.of(failed)), null, null))
                .extracting(Measurement::outcome).containsExactly("FAILED");
    }

    @Test
    void receiveTimeIsNeverAnEndOfADuration() {
        List<Measurement> measurements = StatePhases.BUILD_PROCESSING.measure(List.of(
                change("e1", 0, "AWAITING_UPLOAD", "PROCESSING"),
                new StateChange("e2", T0 + 5 * MINUTE, false, "PROCESSING", "FAILED")), null, null);

        assertThat(measurements).singleElement().satisfies(m -> {
            assertThat(m.outcome()).isEqualTo("FAILED");
            assertThat(m.durationMs()).isNull();
        });
    }

    @Test
    void betaReviewHasWaitReviewAndTotal() {
        List<Measurement> measurements = StatePhases.BETA_REVIEW.measure(List.of(
                change("e1", 0, "READY_FOR_BETA_SUBMISSION", "WAITING_FOR_BETA_REVIEW"),
                change("e2", 30, "WAITING_FOR_BETA_REVIEW", "IN_BETA_REVIEW"),
                change("e3", 50, "IN_BETA_REVIEW", "BETA_REJECTED")), "app-1", null);

        long end = T0 + 50 * MINUTE;
        assertThat(measurements).containsExactly(
                new Measurement(MetricName.BETA_REVIEW_WAIT, "app-1", null, end, 30 * MINUTE, "BETA_REJECTED"),
                new Measurement(MetricName.BETA_REVIEW_TIME, "app-1", null, end, 20 * MINUTE, "BETA_REJECTED"),
                new Measurement(MetricName.BETA_REVIEW_TOTAL, "app-1", null, end, 50 * MINUTE, "BETA_REJECTED"));
    }

    @Test
    void betaApprovedFixtureAloneHasNoDurations() {
        DeliveryEvent approved = MetricFixtures.event(Source.APP_STORE_CONNECT,
                "asc/buildBetaDetailExternalBuildStateUpdated-beta-approved.json");

        List<Measurement> measurements = StatePhases.BETA_REVIEW.measure(List.of(StateChange.of(approved)),
                null, null);

        assertThat(measurements).hasSize(3).allSatisfy(m -> {
            assertThat(m.durationMs()).isNull();
            assertThat(m.outcome()).isEqualTo("BETA_APPROVED");
            assertThat(m.endedAt()).isEqualTo(Instant.parse("2025-04-16T05:00:52.745Z").toEpochMilli());
        });
    }

    @Test
    void inReviewWithoutItsSubmissionNeverBorrowsTheEarlierPhasesStart() {
        List<Measurement> measurements = StatePhases.BETA_REVIEW.measure(List.of(
                change("e1", 0, null, "WAITING_FOR_BETA_REVIEW"),
                change("e2", 10, null, "IN_BETA_REVIEW"),
                change("e3", 20, null, "BETA_REJECTED"),
                // The second submission's WAITING_FOR_BETA_REVIEW never arrived.
                change("e5", 100, null, "IN_BETA_REVIEW"),
                change("e6", 130, null, "BETA_APPROVED")), null, null);

        assertThat(measurements.subList(3, 6)).extracting(Measurement::metric, Measurement::durationMs)
                .containsExactly(
                        tuple(MetricName.BETA_REVIEW_WAIT, null),
                        tuple(MetricName.BETA_REVIEW_TIME, 30 * MINUTE),
                        tuple(MetricName.BETA_REVIEW_TOTAL, null));
    }

    @Test
    void openPhasesProduceNothing() {
        assertThat(StatePhases.BETA_REVIEW.measure(List.of(
                change("e1", 0, null, "WAITING_FOR_BETA_REVIEW"),
                change("e2", 10, null, "IN_BETA_REVIEW")), null, null)).isEmpty();
    }

    @Test
    void arrivalOrderAndDuplicatesChangeNothing() {
        List<StateChange> inOrder = List.of(
                change("e1", 0, null, "WAITING_FOR_BETA_REVIEW"),
                change("e2", 10, null, "IN_BETA_REVIEW"),
                change("e3", 20, null, "BETA_REJECTED"),
                change("e4", 40, null, "WAITING_FOR_BETA_REVIEW"),
                change("e5", 45, null, "IN_BETA_REVIEW"),
                change("e6", 70, null, "BETA_APPROVED"));
        List<Measurement> expected = StatePhases.BETA_REVIEW.measure(inOrder, null, null);
        Random random = new Random(7);
        for (int i = 0; i < 50; i++) {
            List<StateChange> shuffled = new ArrayList<>(inOrder);
            shuffled.add(inOrder.get(random.nextInt(inOrder.size())));
            Collections.shuffle(shuffled, random);
            assertThat(StatePhases.BETA_REVIEW.measure(shuffled, null, null)).isEqualTo(expected);
        }
        assertThat(expected).hasSize(6);
    }
}
