package dev.shipstream.ingress.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The two bounds that keep the ingress's memory independent of what clients send: open connections, and body bytes
 * that requests in flight may hold together. Shared by every event loop of one ingress (thread-safe, lock-free), and
 * consulted before a body is read, so going over either costs a 503, not memory.
 *
 * <p>Meters: {@code shipstream_ingress_connections} (open connections) and
 * {@code shipstream_ingress_buffered_bytes} (bytes reserved by requests in flight).
 */
public final class EdgeAdmission {

    private final int maxConnections;
    private final long maxBufferedBytes;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong bufferedBytes = new AtomicLong();

    /** Bounds of {@link dev.shipstream.ingress.EdgeConfig}; meters are registered in {@code registry}. */
    public EdgeAdmission(int maxConnections, long maxBufferedBytes, MeterRegistry registry) {
        this.maxConnections = maxConnections;
        this.maxBufferedBytes = maxBufferedBytes;
        Gauge.builder("shipstream.ingress.connections", connections, AtomicInteger::get)
                .description("Open HTTP connections")
                .register(registry);
        Gauge.builder("shipstream.ingress.buffered.bytes", bufferedBytes, AtomicLong::get)
                .description("Body bytes reserved by requests in flight")
                .baseUnit("bytes")
                .register(registry);
    }

    /**
     * Counts a connection that opened; false if it is beyond the bound, in which case its requests are refused. It
     * counts either way until {@link #connectionClosed()}, so a flood keeps itself refused.
     */
    public boolean connectionOpened() {
        return connections.incrementAndGet() <= maxConnections;
    }

    /** A connection counted by {@link #connectionOpened()} closed. */
    public void connectionClosed() {
        connections.decrementAndGet();
    }

    /** Reserves {@code bytes} of body buffer; false (and nothing reserved) if that would pass the bound. */
    public boolean tryReserve(long bytes) {
        long current;
        do {
            current = bufferedBytes.get();
            if (current + bytes > maxBufferedBytes) {
                return false;
            }
        } while (!bufferedBytes.compareAndSet(current, current + bytes));
        return true;
    }

    /** Returns bytes reserved by {@link #tryReserve(long)}. */
    public void release(long bytes) {
        bufferedBytes.addAndGet(-bytes);
    }

    /** Open connections now. */
    public int connections() {
        return connections.get();
    }

    /** Bytes reserved now. */
    public long bufferedBytes() {
        return bufferedBytes.get();
    }
}
