package dev.shipstream.ingress.http;

import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * One line per request, handed to {@link AccessLines} (the logger {@value #LOGGER}, or a writer of its own): the time
 * the request began (UTC), request id, client address, method, path (never the query string, which may carry an
 * Appflow token), status ({@value Routes#ABORTED} when the client went away before its answer), response bytes and
 * duration, for example:
 * {@code 2026-12-01T02:01:41.118Z <id> 203.0.113.7 POST /webhooks/app-store-connect/default 200 55B 1234us}.
 * Headers are not logged, so neither signatures nor bearer tokens are. The path names the source and the endpoint
 * ({@code /webhooks/<source>/<endpoint>}), so they are not written again.
 *
 * <p>Batched: one instance per verticle, used only from its event loop, writes the lines of its requests as UTF-8
 * into an array, each ending with {@code \n}, and hands the array over as one batch when {@value #MAX_BATCH_BYTES}
 * bytes are waiting or {@value #FLUSH_MILLIS} ms after the first line, whichever comes first (and on {@link #flush()}
 * at shutdown). A log call per request, with the shipped synchronous appender, was 6 % of the event loop's samples in
 * the benchmark's profile plus a {@code write} system call per request on the event loop, which also waited whenever
 * stdout did; and each batch costs its writer a wake-up whatever its size (about 20 µs on the benchmark's machine), so
 * batches are large: 128 KiB is some 1,000 lines (see {@code docs/benchmarks.md}). Each line carries its own time,
 * since one batch holds many lines.
 */
public final class AccessLog {

    /** The logger name, so that deployments with a logging configuration of their own can route access lines. */
    public static final String LOGGER = "dev.shipstream.ingress.access";
    /** A batch is handed over once it holds this many bytes (whole lines: it may exceed it by one line). */
    static final int MAX_BATCH_BYTES = 128 * 1024;
    /** The longest a line waits for its batch. */
    static final long FLUSH_MILLIS = 100;

    private static final int MAX_PATH = 200;
    /** Room for a full batch and its last line, so that the array does not grow for lines of the usual length. */
    private static final int CAPACITY = MAX_BATCH_BYTES + 1024;
    /** The longest a non-negative {@code long} is in decimal. */
    private static final int MAX_LONG_DIGITS = 19;

    private final Vertx vertx;
    private final AccessLines out;
    private byte[] batch;
    private int length;
    private boolean flushArmed;
    /** The second of the last line and its ISO-8601 text without the zone: most lines share a second. */
    private long cachedSecond = Long.MIN_VALUE;
    private byte[] cachedSecondText;

    /**
     * @param vertx arms the flush timer, on the context of the verticle that writes
     * @param out   where the batches go
     */
    public AccessLog(Vertx vertx, AccessLines out) {
        this.vertx = vertx;
        this.out = out;
        this.batch = out.buffer(CAPACITY);
    }

    /**
     * Adds the line of a finished request that ended with {@code status} ({@link Routes#ABORTED} if the client went
     * away first) at {@code endNanos} ({@link System#nanoTime()}).
     */
    void write(Exchange exchange, int status, long endNanos) {
        if (!out.enabled()) {
            return;
        }
        long micros = (endNanos - exchange.startNanos) / 1000;
        appendTime(exchange.startMillis);
        appendByte(' ');
        appendText(exchange.id);
        appendByte(' ');
        appendText(exchange.clientAddress);
        appendByte(' ');
        appendText(exchange.request.method().name());
        appendByte(' ');
        appendPath(exchange.path);
        appendByte(' ');
        appendNumber(status);
        appendByte(' ');
        appendNumber(exchange.response.bytesWritten());
        appendByte('B');
        appendByte(' ');
        appendNumber(micros);
        appendByte('u');
        appendByte('s');
        endLine();
    }

    /** Ends the line being written, and hands the batch over if it is full or arms its flush timer if it is new. */
    void endLine() {
        appendByte('\n');
        if (length >= MAX_BATCH_BYTES) {
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
            cachedSecondText = text.substring(0, text.length() - 1).getBytes(StandardCharsets.UTF_8);
            cachedSecond = second;
        }
        room(cachedSecondText.length + 5);
        System.arraycopy(cachedSecondText, 0, batch, length, cachedSecondText.length);
        length += cachedSecondText.length;
        int milli = (int) Math.floorMod(millis, 1000);
        if (milli != 0) {
            batch[length++] = '.';
            batch[length++] = (byte) ('0' + milli / 100);
            batch[length++] = (byte) ('0' + milli / 10 % 10);
            batch[length++] = (byte) ('0' + milli % 10);
        }
        batch[length++] = 'Z';
    }

    /** Appends {@code value} in decimal, as {@link Long#toString(long)} writes it. */
    void appendNumber(long value) {
        if (value < 0) {
            appendText(Long.toString(value));
            return;
        }
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        room(MAX_LONG_DIGITS);
        long rest = value;
        for (int i = length + digits - 1; i >= length; i--) {
            batch[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        length += digits;
    }

    /** Appends {@code text} as UTF-8: byte for character while it is ASCII, as most of a line is. */
    void appendText(String text) {
        if (!appendAscii(text, text.length(), false)) {
            appendEncoded(text);
        }
    }

    /**
     * Appends the path cut to {@value #MAX_PATH} characters (then {@code ...}) with control characters replaced by
     * {@code ?}, so a client cannot forge log lines; as {@link #safePath} then UTF-8 would, in one pass for an ASCII
     * path.
     */
    void appendPath(String path) {
        if (path == null) {
            appendByte('-');
        } else if (!appendAscii(path, Math.min(path.length(), MAX_PATH), true)) {
            appendEncoded(safePath(path));
        } else if (path.length() > MAX_PATH) {
            appendText("...");
        }
    }

    /**
     * Appends the first {@code end} characters of {@code text} byte for character (control characters as {@code ?} if
     * {@code safe}) when they are all ASCII; otherwise appends nothing and answers false.
     */
    private boolean appendAscii(String text, int end, boolean safe) {
        room(end);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                return false;
            }
            batch[length + i] = (byte) (safe && Character.isISOControl(c) ? '?' : c);
        }
        length += end;
        return true;
    }

    private void appendEncoded(String text) {
        byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
        room(encoded.length);
        System.arraycopy(encoded, 0, batch, length, encoded.length);
        length += encoded.length;
    }

    private void appendByte(char ascii) {
        room(1);
        batch[length++] = (byte) ascii;
    }

    /** Makes room for {@code bytes} more: a long line may grow the array beyond its usual capacity. */
    private void room(int bytes) {
        if (length + bytes > batch.length) {
            batch = Arrays.copyOf(batch, Math.max(2 * batch.length, length + bytes));
        }
    }

    /** The lines waiting for the logger, for tests. */
    String pending() {
        return new String(pendingBytes(), StandardCharsets.UTF_8);
    }

    /** The bytes waiting for the logger, for tests. */
    byte[] pendingBytes() {
        return Arrays.copyOf(batch, length);
    }

    /** Hands the waiting lines over. */
    public void flush() {
        if (length == 0) {
            return;
        }
        out.write(batch, length);
        batch = out.buffer(CAPACITY);
        length = 0;
    }

    /** The path cut to a bounded length with control characters replaced, so a client cannot forge log lines. */
    static String safePath(String path) {
        if (path == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder();
        int end = Math.min(path.length(), MAX_PATH);
        for (int i = 0; i < end; i++) {
            char c = path.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        if (path.length() > MAX_PATH) {
            out.append("...");
        }
        return out.toString();
    }
}
