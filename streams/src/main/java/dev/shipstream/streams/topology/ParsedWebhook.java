package dev.shipstream.streams.topology;

import dev.shipstream.schemas.DeadLetterReason;
import dev.shipstream.schemas.DeliveryEvent;

import java.util.Objects;

/** What became of one raw-webhook record: a delivery event, or the reason it goes to the dead-letter topic. */
public sealed interface ParsedWebhook {

    /**
     * The record decoded and normalised.
     *
     * @param event the delivery event
     */
    record Event(DeliveryEvent event) implements ParsedWebhook {
        /** Rejects a missing event. */
        public Event {
            Objects.requireNonNull(event, "event");
        }
    }

    /**
     * The record cannot become an event; retrying would not help.
     *
     * @param reason    the dead-letter reason
     * @param message   why, safe to log
     * @param cause     the exception, or null
     * @param requestId the ingress request id of the webhook, or null if the record did not decode
     */
    record Failed(DeadLetterReason reason, String message, Throwable cause, String requestId)
            implements ParsedWebhook {
        /** Rejects a missing reason or message. */
        public Failed {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }

        /** A failure of a record that did not decode, so whose request id is not known. */
        public Failed(DeadLetterReason reason, String message, Throwable cause) {
            this(reason, message, cause, null);
        }
    }
}
