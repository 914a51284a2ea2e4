package dev.shipstream.ingress.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Absolute deadlines per connection against slow senders (slowloris): a connection gets {@code headerDeadline} to
 * deliver a request's headers (counted from when it opened or its previous response ended) and
 * {@code bodyDeadline} to deliver the body once the headers are in. Idle timeouts alone do not do this, because they
 * reset with every byte; a connection past its deadline is closed.
 *
 * <p>It also remembers whether {@link EdgeAdmission} admitted each connection, so that the requests of a connection
 * opened beyond the bound can be refused.
 *
 * <p>One instance per verticle, used only from that verticle's event loop (the connection and request handlers of a
 * server run there), so it needs no locking. A periodic sweep checks the deadlines, so requests cost two field
 * writes rather than timer operations; deadlines are enforced within one sweep period. A request looks its
 * connection up once, when it starts ({@link #requestStarted}), and keeps the {@link Watch} it gets for the rest.
 */
public final class ConnectionDeadlines {

    private enum Phase { AWAITING_HEADERS, READING_BODY, PROCESSING }

    /** One connection's phase and since when it is in it ({@link System#nanoTime()}), as its requests move it on. */
    public static final class Watch {
        private final boolean admitted;
        private Phase phase = Phase.AWAITING_HEADERS;
        private long since = System.nanoTime();

        private Watch(boolean admitted) {
            this.admitted = admitted;
        }

        /** Whether the connection was opened within the connection bound (false once it is no longer watched). */
        public boolean admitted() {
            return admitted;
        }

        /**
         * The request's body is complete: no deadline while the ingress works on it (the publish timeout bounds that),
         * so no clock is read.
         */
        public void bodyReceived() {
            phase = Phase.PROCESSING;
        }

        /** The response ended at {@code nowNanos}: the next request's headers are due. */
        public void responseEnded(long nowNanos) {
            enter(Phase.AWAITING_HEADERS, nowNanos);
        }

        private void enter(Phase next, long nowNanos) {
            phase = next;
            since = nowNanos;
        }
    }

    private final Vertx vertx;
    private final long headerDeadlineNanos;
    private final long bodyDeadlineNanos;
    private final Map<HttpConnection, Watch> connections = new HashMap<>();
    /** What a request on a connection no longer watched gets: not admitted, its phases kept nowhere. */
    private final Watch unwatched = new Watch(false);
    private long sweepTimer = -1;

    /** @param vertx runs the sweep timer; call {@link #start()} on the verticle's context */
    public ConnectionDeadlines(Vertx vertx, Duration headerDeadline, Duration bodyDeadline) {
        this.vertx = vertx;
        this.headerDeadlineNanos = headerDeadline.toNanos();
        this.bodyDeadlineNanos = bodyDeadline.toNanos();
    }

    /** Starts the sweep; its period is a quarter of the shorter deadline, between 10 ms and 1 s. */
    public void start() {
        long period = Math.max(10, Math.min(1000, Math.min(headerDeadlineNanos, bodyDeadlineNanos) / 4_000_000));
        sweepTimer = vertx.setPeriodic(period, id -> sweep());
    }

    /** Stops the sweep. */
    public void stop() {
        if (sweepTimer >= 0) {
            vertx.cancelTimer(sweepTimer);
        }
    }

    /** A connection opened within the connection bound: its first request's headers are due. */
    public void connectionOpened(HttpConnection connection) {
        connectionOpened(connection, true, () -> { });
    }

    /**
     * A connection opened: its first request's headers are due.
     *
     * @param admitted whether it is within the connection bound
     * @param onClose  runs once when it closes
     */
    public void connectionOpened(HttpConnection connection, boolean admitted, Runnable onClose) {
        connections.put(connection, new Watch(admitted));
        connection.closeHandler(v -> {
            connections.remove(connection);
            onClose.run();
        });
    }

    /**
     * A request's headers arrived on {@code connection} at {@code nowNanos} ({@link System#nanoTime()}): its body is
     * due. Returns the connection's watch for the rest of the request; a connection no longer watched (closed, or
     * closed by the sweep) gets one that is not admitted and moves no deadline.
     */
    public Watch requestStarted(HttpConnection connection, long nowNanos) {
        Watch watch = connections.get(connection);
        if (watch == null) {
            return unwatched;
        }
        watch.enter(Phase.READING_BODY, nowNanos);
        return watch;
    }

    /** Connections being watched. */
    public int size() {
        return connections.size();
    }

    private void sweep() {
        long now = System.nanoTime();
        Iterator<Map.Entry<HttpConnection, Watch>> it = connections.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<HttpConnection, Watch> entry = it.next();
            Watch watch = entry.getValue();
            long limit = switch (watch.phase) {
                case AWAITING_HEADERS -> headerDeadlineNanos;
                case READING_BODY -> bodyDeadlineNanos;
                case PROCESSING -> Long.MAX_VALUE;
            };
            if (now - watch.since > limit) {
                it.remove();
                entry.getKey().close();
            }
        }
    }
}
