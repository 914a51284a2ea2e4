package dev.shipstream.streams.review;

import java.util.Comparator;
import java.util.Objects;

/**
 * One observed change of an App Store version's state: an {@code appStoreVersionAppVersionStateUpdated} webhook as
 * far as review cycles need it.
 *
 * @param eventId  the provider's event id; two changes with the same id are the same change
 * @param at       the event time from the payload (epoch milliseconds), not the arrival time
 * @param oldValue the state before, as sent ({@code attributes.oldValue}), or null if the payload had none
 * @param newValue the state after, as sent ({@code attributes.newValue})
 */
public record VersionStateChange(String eventId, long at, String oldValue, String newValue) {

    /**
     * Event-time order. Ties (same millisecond) are broken by event id and then the states, only so that the order,
     * and so the cycles, never depend on arrival; the payload offers nothing better.
     */
    public static final Comparator<VersionStateChange> EVENT_TIME_ORDER = Comparator
            .comparingLong(VersionStateChange::at)
            .thenComparing(VersionStateChange::eventId)
            .thenComparing(VersionStateChange::newValue)
            .thenComparing(VersionStateChange::oldValue, Comparator.nullsFirst(Comparator.naturalOrder()));

    public VersionStateChange {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(newValue, "newValue");
    }
}
