package dev.shipstream.ingress.publish;

/**
 * A publish refused before it reached the producer, because too many earlier ones still await their
 * acknowledgement. Transient: the sender should retry later.
 */
public final class PublishRejectedException extends RuntimeException {

    /** @param message why the publish was refused */
    public PublishRejectedException(String message) {
        super(message, null, false, false);
    }
}
