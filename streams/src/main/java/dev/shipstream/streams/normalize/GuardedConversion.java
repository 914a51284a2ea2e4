package dev.shipstream.streams.normalize;

import java.util.function.Function;

import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.RawWebhook;

/**
 * Runs one normaliser's conversion so that it never throws: a payload it cannot use becomes {@link
 * Normalization.Unparseable} with the conversion's own reason, and any other failure becomes one naming the
 * normaliser and the exception class (never the payload).
 */
final class GuardedConversion {

    private GuardedConversion() {
    }

    static Normalization run(String normaliser, RawWebhook raw, Function<RawWebhook, DeliveryEvent> conversion) {
        if (raw == null) {
            return new Normalization.Unparseable("webhook is missing");
        }
        try {
            return new Normalization.Normalized(conversion.apply(raw));
        } catch (UnparseablePayloadException e) {
            return new Normalization.Unparseable(e.getMessage());
        } catch (RuntimeException e) {
            return new Normalization.Unparseable(normaliser + " normaliser failed: " + e.getClass().getName());
        }
    }
}
