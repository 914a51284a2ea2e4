package dev.shipstream.ingress.http;

import java.time.Instant;
import java.util.List;

/**
 * Formats access lines: time (UTC, as {@link Instant#toString()} writes it), request id, client address, method,
 * path (cut to {@value #MAX_PATH} characters, control characters replaced, so a client cannot forge log lines; never
 * the query string, which may carry an Appflow token), status, response bytes, duration, source and endpoint. For
 * example: {@code 2025-12-01T02:01:41.007Z 6f1c… 203.0.113.9 POST /webhooks/app-store-connect/main 200 52B 870us
 * source=app-store-connect endpoint=main}.
 *
 * <p>Keeps the text of the last second it formatted, since most lines of a batch share it; so one instance per
 * thread.
 */
final class AccessLineFormat {

    static final int MAX_PATH = 200;

    /** The second of the last line and its ISO-8601 text without the zone. */
    private long cachedSecond = Long.MIN_VALUE;
    private String cachedSecondText;

    /** Appends the lines of {@code entries} to {@code out}, each ending with {@code \n}. */
    void appendLines(StringBuilder out, List<AccessEntry> entries) {
        for (AccessEntry entry : entries) {
            appendLine(out, entry);
        }
    }

    /** Appends the line of {@code entry} and its {@code \n}. */
    void appendLine(StringBuilder out, AccessEntry entry) {
        appendTime(out, entry.millis());
        out.append(' ').append(entry.id()).append(' ').append(entry.clientAddress()).append(' ')
                .append(entry.method().name()).append(' ');
        appendSafePath(out, entry.path());
        out.append(' ').append(entry.status()).append(' ').append(entry.bytesWritten()).append("B ")
                .append(entry.micros()).append("us source=").append(entry.source()).append(" endpoint=")
                .append(entry.endpoint()).append('\n');
    }

    /**
     * Appends {@code millis} as {@link Instant#toString()} writes it ({@code 2026-12-01T02:01:41.118Z}, no fraction
     * on a whole second), formatting the date and time only when the second changes: formatting an instant each
     * line was over a quarter of the access log's cost.
     */
    void appendTime(StringBuilder out, long millis) {
        long second = Math.floorDiv(millis, 1000);
        if (second != cachedSecond) {
            String text = Instant.ofEpochSecond(second).toString();
            cachedSecondText = text.substring(0, text.length() - 1);
            cachedSecond = second;
        }
        out.append(cachedSecondText);
        int milli = (int) Math.floorMod(millis, 1000);
        if (milli != 0) {
            out.append('.').append((char) ('0' + milli / 100)).append((char) ('0' + milli / 10 % 10))
                    .append((char) ('0' + milli % 10));
        }
        out.append('Z');
    }

    /** The path cut to a bounded length with control characters replaced. */
    static String safePath(String path) {
        StringBuilder out = new StringBuilder();
        appendSafePath(out, path);
        return out.toString();
    }

    private static void appendSafePath(StringBuilder out, String path) {
        if (path == null) {
            out.append('-');
            return;
        }
        int end = Math.min(path.length(), MAX_PATH);
        int first = 0;
        while (first < end && !Character.isISOControl(path.charAt(first))) {
            first++;
        }
        // Most paths are clean: appended in one piece up to the first control character.
        out.append(path, 0, first);
        for (int i = first; i < end; i++) {
            char c = path.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        if (path.length() > MAX_PATH) {
            out.append("...");
        }
    }
}
