package dev.shipstream.streams.normalize;

import dev.shipstream.schemas.RawWebhook;

/**
 * Turns one authenticated raw webhook of one provider into Shipstream's {@code DeliveryEvent}.
 *
 * <p>Implementations are pure (no I/O, no clock, no shared mutable state) and total: they return
 * {@link Normalization.Unparseable} for any input they cannot read, including null, and never throw.
 */
@FunctionalInterface
public interface Normalizer {

    /**
     * Normalises one webhook.
     *
     * @param raw the webhook exactly as the ingress published it
     * @return the event, or the reason there is none
     */
    Normalization normalize(RawWebhook raw);
}
