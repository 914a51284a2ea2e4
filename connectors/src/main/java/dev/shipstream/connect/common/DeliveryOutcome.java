package dev.shipstream.connect.common;

import java.time.Duration;

/**
 * What one call to a target came to, classified where the answer was read: delivered (with the target's id of the
 * message, e.g. Slack's {@code ts}), worth retrying after a delay (429, 5xx, transient error codes, I/O errors), or
 * permanent (any other 4xx and error codes that a retry cannot fix), which goes to the dead-letter queue.
 */
public sealed interface DeliveryOutcome {

    /** The target accepted the message. {@code messageId} may be null when the target gives none. */
    record Delivered(String messageId) implements DeliveryOutcome {
    }

    /** Try again, not before {@code after}. {@code fromTarget} is true when the target named the delay. */
    record Retry(Duration after, boolean fromTarget, String reason) implements DeliveryOutcome {
    }

    /** The target refused the message for good; {@code reason} holds the status and the target's error. */
    record Permanent(String reason) implements DeliveryOutcome {
    }
}
