package dev.shipstream.streams.errors;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * Replaces a stream thread that died, up to {@code maxReplacements} times within a sliding {@code window}; one more
 * failure in that window shuts the client down, so readiness turns DOWN and an operator (or the orchestrator) sees it
 * instead of a thread that fails on the same record in a loop.
 *
 * <p>Every death is reported to {@code onThreadDeath} first (the streams app turns readiness off with it), whatever
 * the response.
 *
 * <p>Thread-safe: stream threads may fail at the same time.
 */
public final class BoundedThreadReplacement implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(BoundedThreadReplacement.class);

    private final int maxReplacements;
    private final Duration window;
    private final Clock clock;
    private final Runnable onThreadDeath;
    private final Deque<Long> replacements = new ArrayDeque<>();

    /**
     * @param maxReplacements how many threads may be replaced within the window; 0 shuts down on the first failure
     * @param window          the sliding window
     * @param clock           tells the time
     */
    public BoundedThreadReplacement(int maxReplacements, Duration window, Clock clock) {
        this(maxReplacements, window, clock, () -> { });
    }

    /**
     * @param maxReplacements how many threads may be replaced within the window; 0 shuts down on the first failure
     * @param window          the sliding window
     * @param clock           tells the time
     * @param onThreadDeath   told of every dying thread, on that thread, before the response; must not block
     */
    public BoundedThreadReplacement(int maxReplacements, Duration window, Clock clock, Runnable onThreadDeath) {
        if (maxReplacements < 0) {
            throw new IllegalArgumentException("maxReplacements must not be negative, got " + maxReplacements);
        }
        if (window == null || window.isZero() || window.isNegative()) {
            throw new IllegalArgumentException("window must be positive, got " + window);
        }
        this.maxReplacements = maxReplacements;
        this.window = window;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.onThreadDeath = Objects.requireNonNull(onThreadDeath, "onThreadDeath");
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        onThreadDeath.run();
        long now = clock.millis();
        while (!replacements.isEmpty() && replacements.peekFirst() <= now - window.toMillis()) {
            replacements.removeFirst();
        }
        if (replacements.size() < maxReplacements) {
            replacements.addLast(now);
            LOG.error("stream thread died; replacing it ({} of {} within {})", replacements.size(), maxReplacements,
                    window, exception);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        LOG.error("stream thread died after {} replacements within {}; shutting the client down", maxReplacements,
                window, exception);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
}
