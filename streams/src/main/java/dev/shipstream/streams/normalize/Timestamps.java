package dev.shipstream.streams.normalize;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
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
        // The shape is checked, so the fields are read by position; LocalDateTime.of and ZoneOffset are as strict as
        // DateTimeFormatter.ISO_OFFSET_DATE_TIME (no 30 February, no hour 24, offsets up to 18:00) at a fraction of
        // its cost, which was a tenth of the stream thread's time in bench/streams.sh profiles.
        String date = shape.group(1);
        String time = shape.group(2);
        try {
            ZoneOffset offset = shape.group(3) != null
                    ? ZoneOffset.UTC
                    : offset(shape.group(4), shape.group(5), shape.group(6));
            LocalDateTime local = LocalDateTime.of(digits(date, 0, 4), digits(date, 5, 7), digits(date, 8, 10),
                    digits(time, 0, 2), digits(time, 3, 5), time.length() > 5 ? digits(time, 6, 8) : 0,
                    time.length() > 9 ? nanos(time, 9) : 0);
            return inRange(local.toInstant(offset));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static ZoneOffset offset(String sign, String hours, String minutes) {
        int h = digits(hours, 0, 2);
        int m = minutes == null ? 0 : digits(minutes, 0, 2);
        return "-".equals(sign) ? ZoneOffset.ofHoursMinutes(-h, -m) : ZoneOffset.ofHoursMinutes(h, m);
    }

    /** The fraction starting at {@code from}, 1 to 9 digits, as nanoseconds. */
    private static int nanos(String text, int from) {
        int value = digits(text, from, text.length());
        for (int i = text.length() - from; i < 9; i++) {
            value *= 10;
        }
        return value;
    }

    /** The ASCII digits {@code text[from, to)} as a number; the caller has checked they are digits. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
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
