package dev.shipstream.schemas.serde;

import java.util.Locale;

/**
 * A schema registry request that failed. When the registry answered, {@link #httpStatus()} and
 * {@link #errorCode()} are Confluent's (e.g. 404 / 40403 schema not found, 409 / 409 incompatible,
 * 422 / 42201 invalid schema); when it could not be reached, both are -1 and the cause says why.
 *
 * <p>{@link #isTransient()} tells a failure that may go away (the registry is down, overloaded or slow: see
 * {@link SchemaRegistryUnavailableException}) from one that will not (the subject, schema or id is unknown or
 * refused).
 */
public class SchemaRegistryException extends RuntimeException {

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message, int httpStatus, int errorCode) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = -1;
        this.errorCode = -1;
    }

    /** The HTTP status the registry answered with, or -1 if it was not reached. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Confluent's {@code error_code} from the response body, or -1 if there was none. */
    public int errorCode() {
        return errorCode;
    }

    /** True when the registry could not be reached or did not answer in time (no HTTP status). */
    public boolean isUnreachable() {
        return httpStatus == -1;
    }

    /** True when the registry could not be reached, answered 5xx or 429 (too many requests): a retry may succeed. */
    public boolean isTransient() {
        return this instanceof SchemaRegistryUnavailableException || isTransientStatus(httpStatus);
    }

    /** True for the statuses that say "try again later": none at all (not reached), 429, and 5xx. */
    static boolean isTransientStatus(int httpStatus) {
        return httpStatus == -1 || httpStatus == 429 || httpStatus >= 500;
    }

    /** The message, saying that the registry was unreachable when it was and the message does not say so yet. */
    String describe() {
        String message = String.valueOf(getMessage());
        if (isUnreachable() && !message.toLowerCase(Locale.ROOT).contains("unreachable")) {
            return "schema registry unreachable or not answering: " + message;
        }
        return message;
    }
}
