package dev.shipstream.ingress.publish;

/**
 * A publish refused because its record is larger than Kafka accepts (the producer's {@code max.request.size} or the
 * broker's limit). Permanent: the same request will never fit, so the HTTP layer answers 413, not 503, and the
 * provider does not retry it forever.
 */
public final class RecordTooLargeToPublishException extends RuntimeException {

    /** @param message the sizes involved */
    public RecordTooLargeToPublishException(String message) {
        super(message, null, false, false);
    }

    /** @param message the sizes involved; @param cause Kafka's report */
    public RecordTooLargeToPublishException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
