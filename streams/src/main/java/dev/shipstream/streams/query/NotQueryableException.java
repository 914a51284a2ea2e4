package dev.shipstream.streams.query;

/**
 * The data asked for cannot be read right now, completely (a rebalance, a restore, an instance that does not
 * answer). The API turns it into 503 with {@code Retry-After}.
 */
public final class NotQueryableException extends RuntimeException {

    /** @param message what was not queryable and why */
    public NotQueryableException(String message) {
        super(message);
    }

    /** @param message what was not queryable and why; @param cause the failure */
    public NotQueryableException(String message, Throwable cause) {
        super(message, cause);
    }
}
