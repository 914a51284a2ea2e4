package dev.shipstream.streams.normalize;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lenient parsing of the timestamps the providers send, into {@link Instant}s.
 *
 * <p>Accepted: ISO-8601 date-times with 0 to 9 fractional digits and a {@code Z} or numeric offset
 * ({@code +02:00}, {@code +0200}, {@code +02}); a space instead of the {@code T}; Ionic's malformed
 * {@code 2018-02-13T20:35:46.486541Z+00:00} (a {@code Z} followed by an offset, read as the offset); and epoch
 * milliseconds, as JSON integers or digit strings (EAS {@code metrics.*Timestamp}). Rejected: date-times without any
 * offset (their zone would be a guess), impossible dates, and instants outside years 0000 to 9999 (they could not be
 * stored as epoch milliseconds). Rejection is an empty result, never an exception.
 */
public final class Timestamps {

    private static final int MAX_LENGTH = 64;
    // Date and time (seconds and 0..9 fractional digits optional), then "Z", or an offset with or without colon,
    // or Ionic's "Z+00:00" where the Z is noise before the real offset.
    private static final Pattern SHAPE = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})[Tt ](\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?)"
                    + "(?:([Zz])|[Zz]?([+-])(\\d{2}):?(\\d{2})?)");
    private static final Pattern EPOCH_MILLIS = Pattern.compile("-?\\d{1,18}");
    private static final Instant MIN = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private Timestamps() {
    }

    /**
     * Parses an ISO-8601 date-time with an offset, tolerating the variants listed on the class.
     *
     * @param text the timestamp as sent; may be null
     * @return the instant, with the full precision given, or empty if the text is not a usable timestamp
     */
    public static Optional<Instant> parseIso(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String candidate = text.strip();
        if (candidate.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        Matcher shape = SHAPE.matcher(candidate);
        if (!shape.matches()) {
            return Optional.empty();
        }
        String offset = shape.group(3) != null
                ? "Z"
                : shape.group(4) + shape.group(5) + ':' + (shape.group(6) == null ? "00" : shape.group(6));
        try {
            String canonical = shape.group(1) + 'T' + shape.group(2) + offset;
            return inRange(OffsetDateTime.parse(canonical, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * Reads epoch milliseconds.
     *
     * @param epochMillis milliseconds since 1970-01-01T00:00:00Z
     * @return the instant, or empty outside years 0000 to 9999
     */
    public static Optional<Instant> fromEpochMillis(long epochMillis) {
        return inRange(Instant.ofEpochMilli(epochMillis));
    }

    /**
     * Reads a JSON value that holds a timestamp: a string is parsed as ISO-8601 (or as epoch milliseconds if it is
     * all digits), an integral number is epoch milliseconds. Anything else is empty.
     *
     * @param node the value; may be null or missing
     * @return the instant, or empty
     */
    public static Optional<Instant> fromJson(JsonNode node) {
        if (node == null) {
            return Optional.empty();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? fromEpochMillis(node.longValue()) : Optional.empty();
        }
        if (node.isTextual()) {
            String text = node.textValue().strip();
            if (EPOCH_MILLIS.matcher(text).matches()) {
                return fromEpochMillis(Long.parseLong(text));
            }
            return parseIso(text);
        }
        return Optional.empty();
    }

    private static Optional<Instant> inRange(Instant instant) {
        return instant.isBefore(MIN) || instant.isAfter(MAX) ? Optional.empty() : Optional.of(instant);
    }
}
