package dev.shipstream.streams.errors;

import dev.shipstream.schemas.serde.SchemaRegistryException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Replaces a stream thread that died because the schema registry was unavailable ({@link
 * DeadLetters#registryOutage}), for as long as one outage lasts up to {@code tolerance}; every other failure, and an
 * outage that lasts longer, goes to the delegate (the poison-record budget of {@link BoundedThreadReplacement}).
 *
 * <p>The exception handlers answer FAIL on a registry outage so that the record is read again rather than
 * dead-lettered; without this class each such retry would use up the budget meant for poison records, and a registry
 * restart of a minute would shut the client down. An outage starts with the first registry failure after a quiet
 * period of {@code tolerance}, so repeated short outages do not add up. Each retry costs a rebalance and, under
 * exactly-once, a restore of the thread's state, which also paces the retries.
 *
 * <p>Thread-safe: stream threads may fail at the same time.
 */
public final class RegistryOutageTolerance implements StreamsUncaughtExceptionHandler {

    /** How long one outage may last before its failures count as any other: long enough for a registry restart. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(RegistryOutageTolerance.class);

    private final StreamsUncaughtExceptionHandler delegate;
    private final Duration tolerance;
    private final Clock clock;
    private long outageStartedAt = Long.MIN_VALUE;
    private long lastOutageAt = Long.MIN_VALUE;
    private int replacements;

    /**
     * @param delegate  decides on every other failure
     * @param tolerance how long one outage may last
     * @param clock     tells the time
     */
    public RegistryOutageTolerance(StreamsUncaughtExceptionHandler delegate, Duration tolerance, Clock clock) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        if (tolerance == null || tolerance.isNegative() || tolerance.isZero()) {
            throw new IllegalArgumentException("tolerance must be positive, got " + tolerance);
        }
        this.tolerance = tolerance;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable exception) {
        Optional<SchemaRegistryException> outage = DeadLetters.registryOutage(exception);
        if (outage.isPresent() && withinTolerance()) {
            LOG.warn("stream thread stopped because the schema registry is unavailable; replacing it to retry its "
                    + "records ({} so far in this outage): {}", replacements, outage.get().getMessage());
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        return delegate.handle(exception);
    }

    private synchronized boolean withinTolerance() {
        long now = clock.millis();
        long window = tolerance.toMillis();
        if (lastOutageAt == Long.MIN_VALUE || now - lastOutageAt > window) {
            outageStartedAt = now;
            replacements = 0;
        }
        lastOutageAt = now;
        if (now - outageStartedAt > window) {
            LOG.error("the schema registry has been unavailable for more than {}; no longer retrying", tolerance);
            return false;
        }
        replacements++;
        return true;
    }
}
