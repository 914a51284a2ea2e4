package dev.shipstream.streams.enrich;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads a {@code Retry-After} header. App Store Connect does not document one on 429, some clients see it, and its
 * sibling App Store Server API sends a UNIX time in milliseconds; so all three forms are accepted: delta seconds, an
 * epoch-milliseconds instant (any number above {@link #EPOCH_MILLIS_THRESHOLD}) and an HTTP date.
 */
final class RetryAfter {

    // No delta in seconds is this large (3 000 years), and every epoch-millisecond instant since 1973 is larger.
    static final long EPOCH_MILLIS_THRESHOLD = 100_000_000_000L;

    private RetryAfter() {
    }

    /**
     * The wait a {@code Retry-After} value asks for.
     *
     * @param value the header value; may be null or malformed
     * @param now the current time
     * @return the wait (zero when the instant has passed), or empty when the value is absent or unreadable
     */
    static Optional<Duration> parse(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String text = value.trim();
        if (text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            if (text.length() > 18) {
                return Optional.empty();
            }
            long number = Long.parseLong(text);
            if (number > EPOCH_MILLIS_THRESHOLD) {
                return Optional.of(nonNegative(Duration.ofMillis(number - now.toEpochMilli())));
            }
            return Optional.of(Duration.ofSeconds(number));
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(nonNegative(Duration.between(now, at)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Duration nonNegative(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }
}
