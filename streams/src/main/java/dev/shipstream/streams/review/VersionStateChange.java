package dev.shipstream.streams.review;

import java.util.Comparator;
import java.util.Objects;

/**
 * One observed change of an App Store version's state: an {@code appStoreVersionAppVersionStateUpdated} webhook as
 * far as review cycles need it.
 *
 * @param eventId        the provider's event id; two changes with the same id are the same change
 * @param at             the event time from the payload (epoch milliseconds), not the arrival time
 * @param oldValue       the state before, as sent ({@code attributes.oldValue}), or null if the payload had none
 * @param newValue       the state after, as sent ({@code attributes.newValue})
 * @param apiSubmittedAt the {@code submittedDate} of the version's latest review submission at or before
 *                       {@code at}, as the App Store Connect API reported it when the event was enriched (epoch
 *                       milliseconds), or null when enrichment did not give one. Not an observation: it may only fill
 *                       the submission time of a cycle whose submission was not observed (see {@link ReviewCycles})
 */
public record VersionStateChange(String eventId, long at, String oldValue, String newValue, Long apiSubmittedAt) {

    /**
     * Event-time order. Ties (same millisecond) are broken by event id and then the other fields, only so that the
     * order, and so the cycles, never depend on arrival; the payload offers nothing better.
     */
    public static final Comparator<VersionStateChange> EVENT_TIME_ORDER = Comparator
            .comparingLong(VersionStateChange::at)
            .thenComparing(VersionStateChange::eventId)
            .thenComparing(VersionStateChange::newValue)
            .thenComparing(VersionStateChange::oldValue, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(VersionStateChange::apiSubmittedAt, Comparator.nullsFirst(Comparator.naturalOrder()));

    public VersionStateChange {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(newValue, "newValue");
    }

    /** A change without a submission date from the API. */
    public VersionStateChange(String eventId, long at, String oldValue, String newValue) {
        this(eventId, at, oldValue, newValue, null);
    }
}
