package dev.shipstream.connect.common;

import org.apache.kafka.connect.errors.ConnectException;

/**
 * Handed to Connect's errant record reporter for a record the target refused for good, so the dead-letter queue's
 * {@code __connect.errors.exception.message} header carries the rule and the target's answer. Never carries a
 * secret: messages are built from status codes and error codes only.
 */
public final class PermanentDeliveryException extends ConnectException {
    private static final long serialVersionUID = 1L;

    public PermanentDeliveryException(String message) {
        super(message);
    }
}
