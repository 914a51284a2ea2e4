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
 * writes rather than timer operations; deadlines are enforced within one sweep period.
 */
public final class ConnectionDeadlines {

    private enum Phase { AWAITING_HEADERS, READING_BODY, PROCESSING }

    private static final class State {
        private final boolean admitted;
        private Phase phase = Phase.AWAITING_HEADERS;
        private long since = System.nanoTime();

        private State(boolean admitted) {
            this.admitted = admitted;
        }
    }

    private final Vertx vertx;
    private final long headerDeadlineNanos;
    private final long bodyDeadlineNanos;
    private final Map<HttpConnection, State> connections = new HashMap<>();
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
        connections.put(connection, new State(admitted));
        connection.closeHandler(v -> {
            connections.remove(connection);
            onClose.run();
        });
    }

    /** Whether {@code connection} was opened within the connection bound (false once it is no longer watched). */
    public boolean isAdmitted(HttpConnection connection) {
        State state = connections.get(connection);
        return state != null && state.admitted;
    }

    /** A request's headers arrived: its body is due. */
    public void headersReceived(HttpConnection connection) {
        enter(connection, Phase.READING_BODY);
    }

    /** A request's body is complete: no deadline while the ingress works on it (the publish timeout bounds that). */
    public void bodyReceived(HttpConnection connection) {
        enter(connection, Phase.PROCESSING);
    }

    /** A response ended: the next request's headers are due. */
    public void responseEnded(HttpConnection connection) {
        enter(connection, Phase.AWAITING_HEADERS);
    }

    /** Connections being watched. */
    public int size() {
        return connections.size();
    }

    private void enter(HttpConnection connection, Phase phase) {
        State state = connections.get(connection);
        if (state != null) {
            state.phase = phase;
            state.since = System.nanoTime();
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        Iterator<Map.Entry<HttpConnection, State>> it = connections.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<HttpConnection, State> entry = it.next();
            State state = entry.getValue();
            long limit = switch (state.phase) {
                case AWAITING_HEADERS -> headerDeadlineNanos;
                case READING_BODY -> bodyDeadlineNanos;
                case PROCESSING -> Long.MAX_VALUE;
            };
            if (now - state.since > limit) {
                it.remove();
                entry.getKey().close();
            }
        }
    }
}
