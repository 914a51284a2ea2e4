package dev.shipstream.ingress.publish;

/**
 * A publish refused before it reached the producer, because too many earlier ones (by count or by bytes) still
 * await their acknowledgement, or because the raw topic's schema id is not known yet (the registry has not answered).
 * Transient: the sender should retry later (503 with {@code Retry-After}).
 */
public final class PublishRejectedException extends RuntimeException {

    /** @param message why the publish was refused */
    public PublishRejectedException(String message) {
        super(message, null, false, false);
    }
}
