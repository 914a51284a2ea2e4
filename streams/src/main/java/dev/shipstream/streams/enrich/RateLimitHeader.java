package dev.shipstream.streams.enrich;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The App Store Connect {@code X-Rate-Limit} response header, e.g. {@code user-hour-lim:3500;user-hour-rem:500;}.
 *
 * <p>Apple documents the two pairs above and warns that limits vary; fixtures in the wild carry extra {@code k:v}
 * pairs and empty segments. {@link #parse} therefore reads the two known pairs wherever they are, ignores everything
 * else, and never throws.
 *
 * @param limit the requests allowed per rolling hour, if the header said
 * @param remaining the requests left in the rolling hour
 */
public record RateLimitHeader(OptionalLong limit, long remaining) {

    /** The response header's name. */
    public static final String NAME = "X-Rate-Limit";

    private static final String LIMIT_KEY = "user-hour-lim";
    private static final String REMAINING_KEY = "user-hour-rem";

    /**
     * Reads a header value.
     *
     * @param value the header value; may be null or malformed
     * @return the limit and remaining count, or empty when the value names no usable {@code user-hour-rem}
     */
    public static Optional<RateLimitHeader> parse(String value) {
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        OptionalLong limit = OptionalLong.empty();
        OptionalLong remaining = OptionalLong.empty();
        for (String segment : value.split(";")) {
            int colon = segment.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String key = segment.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            OptionalLong number = nonNegative(segment.substring(colon + 1).trim());
            if (LIMIT_KEY.equals(key) && number.isPresent()) {
                limit = number;
            } else if (REMAINING_KEY.equals(key) && number.isPresent()) {
                remaining = number;
            }
        }
        return remaining.isPresent()
                ? Optional.of(new RateLimitHeader(limit, remaining.getAsLong()))
                : Optional.empty();
    }

    private static OptionalLong nonNegative(String text) {
        // Only plain decimal digits: Long.parseLong would accept a sign, and an 18-digit cap keeps it from overflowing.
        if (text.isEmpty() || text.length() > 18) {
            return OptionalLong.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.of(Long.parseLong(text));
    }
}
