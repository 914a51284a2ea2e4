package dev.shipstream.streams.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Measures a phase that runs from a start state, through an optional middle state, to one of a few end states, from
 * one entity's state changes in event time. Pure: the same set of changes gives the same measurements whatever order
 * they arrived in.
 *
 * <p>The rules are those of the review cycles. A phase begins at a change to the start state; a change to the middle
 * state or to an end state with no phase open begins one whose earlier times are unknown. A phase ends at the first
 * change to an end state. A span whose start or end was not observed in that phase is null: never taken from another
 * phase, never guessed; a time the payload did not carry (the ingress's receive time stood in) is not observed.
 * Phases still open produce nothing.
 *
 * <ul>
 *   <li>{@link #BUILD_PROCESSING}: {@code buildUploadStateUpdated}, {@code PROCESSING} to {@code COMPLETE} or
 *       {@code FAILED}.</li>
 *   <li>{@link #BETA_REVIEW}: {@code buildBetaDetailExternalBuildStateUpdated}, {@code WAITING_FOR_BETA_REVIEW} to
 *       {@code IN_BETA_REVIEW} to {@code BETA_APPROVED} or {@code BETA_REJECTED}.</li>
 * </ul>
 */
public final class StatePhases {

    /** App Store Connect build processing after the upload. */
    public static final StatePhases BUILD_PROCESSING = new StatePhases("PROCESSING", null,
            Set.of("COMPLETE", "FAILED"), null, null, MetricName.BUILD_PROCESSING);

    /** TestFlight external beta review. */
    public static final StatePhases BETA_REVIEW = new StatePhases("WAITING_FOR_BETA_REVIEW", "IN_BETA_REVIEW",
            Set.of("BETA_APPROVED", "BETA_REJECTED"), MetricName.BETA_REVIEW_WAIT, MetricName.BETA_REVIEW_TIME,
            MetricName.BETA_REVIEW_TOTAL);

    private final String startState;
    private final String middleState;
    private final Set<String> endStates;
    private final MetricName waitMetric;
    private final MetricName workMetric;
    private final MetricName totalMetric;

    private StatePhases(String startState, String middleState, Set<String> endStates, MetricName waitMetric,
                        MetricName workMetric, MetricName totalMetric) {
        this.startState = startState;
        this.middleState = middleState;
        this.endStates = endStates;
        this.waitMetric = waitMetric;
        this.workMetric = workMetric;
        this.totalMetric = totalMetric;
    }

    /** One ended phase; a time is null when it was not observed in this phase. */
    record Phase(Long startedAt, Long middleAt, Long endedAt, long endAt, String outcome) {
    }

    /** Whether a state belongs to this phase model, so that its changes are worth keeping. */
    public boolean concerns(String state) {
        return startState.equals(state) || Objects.equals(middleState, state) || endStates.contains(state);
    }

    /** The ended phases of one entity, in event-time order; duplicates (same event id) count once. */
    List<Phase> phases(Collection<StateChange> changes) {
        List<StateChange> ordered = changes.stream().distinct().sorted(StateChange.EVENT_TIME_ORDER).toList();
        List<Phase> phases = new ArrayList<>();
        boolean open = false;
        Long startedAt = null;
        Long middleAt = null;
        String lastId = null;
        for (StateChange change : ordered) {
            if (change.eventId().equals(lastId)) {
                continue;
            }
            lastId = change.eventId();
            String state = change.newState();
            if (state.equals(startState)) {
                open = true;
                startedAt = change.observedAt();
                middleAt = null;
            } else if (state.equals(middleState)) {
                if (!open) {
                    open = true;
                    startedAt = null;
                    middleAt = change.observedAt();
                } else if (middleAt == null) {
                    middleAt = change.observedAt();
                }
            } else if (endStates.contains(state)) {
                phases.add(new Phase(open ? startedAt : null, open ? middleAt : null, change.observedAt(),
                        change.at(), state));
                open = false;
                startedAt = null;
                middleAt = null;
            }
        }
        return List.copyOf(phases);
    }

    /**
     * The measurements of one entity's ended phases: one per metric of this model and phase, the duration null when
     * not observed.
     *
     * @param changes  the entity's state changes, in any order
     * @param appId    the app id, or null
     * @param platform the platform name, or null
     * @return the measurements, in event-time order of the phases
     */
    public List<Measurement> measure(Collection<StateChange> changes, String appId, String platform) {
        List<Measurement> measurements = new ArrayList<>();
        for (Phase phase : phases(changes)) {
            if (waitMetric != null) {
                measurements.add(new Measurement(waitMetric, appId, platform, phase.endAt(),
                        Measurement.span(phase.startedAt(), phase.middleAt()), phase.outcome()));
            }
            if (workMetric != null) {
                measurements.add(new Measurement(workMetric, appId, platform, phase.endAt(),
                        Measurement.span(phase.middleAt(), phase.endedAt()), phase.outcome()));
            }
            measurements.add(new Measurement(totalMetric, appId, platform, phase.endAt(),
                    Measurement.span(phase.startedAt(), phase.endedAt()), phase.outcome()));
        }
        return List.copyOf(measurements);
    }
}
