package dev.shipstream.streams.normalize;

import dev.shipstream.schemas.DeliveryEvent;

import java.util.Objects;

/**
 * The outcome of normalising one raw webhook: either a {@link DeliveryEvent} or the reason it could not be made.
 *
 * <p>Normalisers never throw; every failure is an {@link Unparseable} whose reason is safe to log and to put in a
 * dead letter: it names at most a field of the payload, never its content.
 */
public sealed interface Normalization {

    /**
     * The webhook was understood.
     *
     * @param event the normalised event, ready for deduplication and enrichment
     */
    record Normalized(DeliveryEvent event) implements Normalization {
        /** Rejects a missing event, so a consumer never has to check. */
        public Normalized {
            Objects.requireNonNull(event, "event");
        }
    }

    /**
     * The webhook was authentic but cannot be turned into an event (retrying would not help).
     *
     * @param reason why, e.g. {@code "missing data.id"}; free of payload content
     */
    record Unparseable(String reason) implements Normalization {
        /** Rejects a missing reason, so a dead letter always says why. */
        public Unparseable {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
