package dev.shipstream.connect.common;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The wait a target's {@code Retry-After} header asks for, read the one way every sink reads it. */
public final class RetryAfter {

    private RetryAfter() {
    }

    /**
     * {@code Retry-After} as delta-seconds or an HTTP-date (RFC 9110, section 10.2.3); empty when absent or unreadable, in
     * which case the caller's backoff applies. A date in the past is no wait.
     */
    public static Optional<Duration> parse(Optional<String> header, Instant now) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get().trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                return Optional.of(until(ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant(),
                        now));
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    /** The wait from {@code now} until {@code at}; zero when {@code at} has passed. */
    public static Duration until(Instant at, Instant now) {
        Duration wait = Duration.between(now, at);
        return wait.isNegative() ? Duration.ZERO : wait;
    }
}
