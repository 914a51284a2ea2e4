package dev.shipstream.schemas.serde;

import java.util.Optional;

/**
 * The schema registry could not answer a request for now: it was unreachable (connection refused or reset, no
 * connection or no answer in time), answered 5xx or 429, or the calling thread was interrupted while waiting. Nothing
 * is wrong with the schema or the bytes being worked on, so the same request may well succeed later; a caller must
 * retry rather than treat the data as bad (for example, a stream processor must not dead-letter the record).
 *
 * <p>Its opposite is a plain {@link SchemaRegistryException} with a 4xx status: the schema, subject or id does not
 * exist (404) or is refused (409, 422), which no retry changes.
 */
public class SchemaRegistryUnavailableException extends SchemaRegistryException {

    /** The registry was not reached, or did not answer in time, for the given cause. */
    public SchemaRegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The registry answered with a status that says "try again later" (5xx or 429). */
    public SchemaRegistryUnavailableException(String message, int httpStatus, int errorCode) {
        super(message, httpStatus, errorCode);
    }

    /**
     * The transient registry failure behind an exception, if there is one: a serializer or deserializer wraps the
     * registry's exception in its own (e.g. Kafka's {@code SerializationException}), and a framework may wrap that
     * again, so the whole chain of causes is searched.
     *
     * @param failure an exception, or null
     * @return the first transient {@link SchemaRegistryException} in its chain of causes
     */
    public static Optional<SchemaRegistryException> findIn(Throwable failure) {
        int depth = 0;
        // Bounded: a cause chain may loop, and a deep one is not worth walking to the end.
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
            if (t instanceof SchemaRegistryException registry && registry.isTransient()) {
                return Optional.of(registry);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }
}
