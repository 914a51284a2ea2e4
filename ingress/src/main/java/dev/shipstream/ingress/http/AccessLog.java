package dev.shipstream.ingress.http;

import io.vertx.core.Vertx;
import java.time.Instant;

/**
 * One line per request, handed to {@link AccessLines} (the logger {@value #LOGGER}, or a writer of its own): time
 * (UTC), request id, client address, method, path (never the query string, which may carry an Appflow token), status
 * ({@value Routes#ABORTED} when the client went away before its answer), response bytes, duration, source and
 * endpoint. Headers are not logged, so neither signatures nor bearer tokens are.
 *
 * <p>Batched: one instance per verticle, used only from its event loop, collects the lines of its requests, each
 * ending with {@code \n}, and hands them over as one batch when {@value #MAX_BATCH_CHARS} characters are waiting or
 * {@value #FLUSH_MILLIS} ms after the first line, whichever comes first (and on {@link #flush()} at shutdown). A log
 * call per request, with the shipped synchronous appender, was 6 % of the event loop's samples in the benchmark's
 * profile plus a {@code write} system call per request on the event loop, which also waited whenever stdout did; and
 * each batch costs its writer a wake-up and copies of cold memory whatever its size (about 20 µs for the wake-up on
 * the benchmark's machine), so batches are large: 128 KiB is some 750 lines (see {@code docs/benchmarks.md}). Each
 * line carries its own time, since one batch holds many lines.
 */
public final class AccessLog {

    /** The logger name, so that deployments with a logging configuration of their own can route access lines. */
    public static final String LOGGER = "dev.shipstream.ingress.access";
    /** A batch is handed over once it holds this many characters (whole lines: it may exceed it by one line). */
    static final int MAX_BATCH_CHARS = 128 * 1024;
    /** The longest a line waits for its batch. */
    static final long FLUSH_MILLIS = 100;

    private static final int MAX_PATH = 200;
    /** Room for a full batch and its last line, so that the buffer does not grow in steps. */
    private static final int CAPACITY = MAX_BATCH_CHARS + 1024;
    /** A batch's buffer is dropped rather than kept when it grew beyond this (long paths), to bound idle memory. */
    private static final int KEPT_CAPACITY = 2 * CAPACITY;

    private final Vertx vertx;
    private final AccessLines out;
    private StringBuilder lines = new StringBuilder(CAPACITY);
    private boolean flushArmed;
    /** The second of the last line and its ISO-8601 text without the zone: most lines share a second. */
    private long cachedSecond = Long.MIN_VALUE;
    private String cachedSecondText;

    /**
     * @param vertx arms the flush timer, on the context of the verticle that writes
     * @param out   where the batches go
     */
    public AccessLog(Vertx vertx, AccessLines out) {
        this.vertx = vertx;
        this.out = out;
    }

    /**
     * Adds the line of a finished request that ended with {@code status} ({@link Routes#ABORTED} if the client went
     * away first).
     */
    void write(Exchange exchange, int status, String source, String endpoint) {
        if (!out.enabled()) {
            return;
        }
        long micros = (System.nanoTime() - exchange.startNanos) / 1000;
        appendTime(System.currentTimeMillis());
        lines.append(' ').append(exchange.id).append(' ').append(exchange.clientAddress).append(' ')
                .append(exchange.request.method().name()).append(' ');
        appendSafePath(lines, exchange.path);
        lines.append(' ').append(status).append(' ').append(exchange.response.bytesWritten()).append("B ")
                .append(micros).append("us source=").append(source).append(" endpoint=").append(endpoint);
        endLine();
    }

    /** Ends the line being written, and hands the batch over if it is full or arms its flush timer if it is new. */
    void endLine() {
        lines.append('\n');
        if (lines.length() >= MAX_BATCH_CHARS) {
            flush();
        } else if (!flushArmed) {
            flushArmed = true;
            vertx.setTimer(FLUSH_MILLIS, id -> {
                flushArmed = false;
                flush();
            });
        }
    }

    /**
     * Appends {@code millis} as {@link Instant#toString()} writes it ({@code 2026-12-01T02:01:41.118Z}, no fraction
     * on a whole second), formatting the date and time only when the second changes: formatting an instant each
     * line was over a quarter of the access log's cost.
     */
    void appendTime(long millis) {
        long second = Math.floorDiv(millis, 1000);
        if (second != cachedSecond) {
            String text = Instant.ofEpochSecond(second).toString();
            cachedSecondText = text.substring(0, text.length() - 1);
            cachedSecond = second;
        }
        lines.append(cachedSecondText);
        int milli = (int) Math.floorMod(millis, 1000);
        if (milli != 0) {
            lines.append('.').append((char) ('0' + milli / 100)).append((char) ('0' + milli / 10 % 10))
                    .append((char) ('0' + milli % 10));
        }
        lines.append('Z');
    }

    /** The lines waiting for the logger, for tests. */
    String pending() {
        return lines.toString();
    }

    /** Hands the waiting lines over. */
    public void flush() {
        if (lines.isEmpty()) {
            return;
        }
        out.write(lines.toString());
        if (lines.capacity() > KEPT_CAPACITY) {
            lines = new StringBuilder(CAPACITY);
        } else {
            lines.setLength(0);
        }
    }

    /** The path cut to a bounded length with control characters replaced, so a client cannot forge log lines. */
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
