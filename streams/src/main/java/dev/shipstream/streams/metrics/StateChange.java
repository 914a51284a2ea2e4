package dev.shipstream.streams.metrics;

import dev.shipstream.schemas.DeliveryEvent;

import java.util.Comparator;
import java.util.Objects;

/**
 * One observed state change of a build upload or a TestFlight build, as far as the metrics need it.
 *
 * @param eventId  the provider's event id; two changes with the same id are the same change
 * @param at       the event time from the payload (epoch milliseconds)
 * @param observed whether {@code at} is the payload's time; false when the payload had none and {@code at} is the
 *                 ingress's receive time, which is then not used as an end of any duration
 * @param oldState the state before, as sent, or null
 * @param newState the state after, as sent
 */
public record StateChange(String eventId, long at, boolean observed, String oldState, String newState) {

    /** Event-time order; ties are broken by event id only so that arrival order never matters. */
    public static final Comparator<StateChange> EVENT_TIME_ORDER = Comparator
            .comparingLong(StateChange::at)
            .thenComparing(StateChange::eventId);

    public StateChange {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(newState, "newState");
    }

    /** The change an event reports; the event must have a new state. */
    public static StateChange of(DeliveryEvent event) {
        return new StateChange(event.getEventId(), event.getOccurredAt().toEpochMilli(),
                !event.getOccurredAtEstimated(), event.getPreviousState(), event.getNewState());
    }

    /** The event time if it came from the payload, else null. */
    Long observedAt() {
        return observed ? at : null;
    }
}
