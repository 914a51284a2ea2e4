package dev.shipstream.ingress.http;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * The access log of one verticle: one line per request (see {@link AccessLineFormat}), handed to
 * {@link AccessLines} (the logger {@value #LOGGER}, or a writer of its own). Headers are not logged, so neither
 * signatures nor bearer tokens are.
 *
 * <p>Batched, and formatted by whoever writes the batch: used only from its verticle's event loop, it keeps an
 * {@link AccessEntry} per finished request (references to what the request holds, and a few numbers) and hands them
 * over as one batch when {@value #MAX_BATCH_LINES} are waiting or {@value #FLUSH_MILLIS} ms after the first, whichever
 * comes first (and on {@link #flush()} at shutdown). The event loop is the ingress's busiest thread and the one every
 * request waits for; formatting the line there was about 0.6 µs of its 13 µs per request in the benchmark's profile,
 * while the writer's thread runs on the other core (see {@code docs/benchmarks.md}). Batches are large because each
 * costs its writer a wake-up (about 20 µs on the benchmark's machine) whatever its size.
 */
public final class AccessLog {

    /** The logger name, so that deployments with a logging configuration of their own can route access lines. */
    public static final String LOGGER = "dev.shipstream.ingress.access";
    /** A batch is handed over once it holds this many lines. */
    static final int MAX_BATCH_LINES = 1024;
    /** The longest a line waits for its batch. */
    static final long FLUSH_MILLIS = 100;

    private final Vertx vertx;
    private final AccessLines out;
    private List<AccessEntry> entries = new ArrayList<>(MAX_BATCH_LINES);
    private boolean flushArmed;

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
        add(new AccessEntry(System.currentTimeMillis(), exchange.id, exchange.clientAddress,
                exchange.request.method(), exchange.path, status, exchange.response.bytesWritten(), micros, source,
                endpoint));
    }

    /** Adds a line, and hands the batch over if it is full or arms its flush timer if it is new. */
    void add(AccessEntry entry) {
        entries.add(entry);
        if (entries.size() >= MAX_BATCH_LINES) {
            flush();
        } else if (!flushArmed) {
            flushArmed = true;
            vertx.setTimer(FLUSH_MILLIS, id -> {
                flushArmed = false;
                flush();
            });
        }
    }

    /** The number of lines waiting for their batch to be handed over, for tests. */
    int pending() {
        return entries.size();
    }

    /** Hands the waiting lines over. */
    public void flush() {
        if (entries.isEmpty()) {
            return;
        }
        out.write(entries);
        entries = new ArrayList<>(MAX_BATCH_LINES);
    }
}
