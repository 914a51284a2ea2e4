package dev.shipstream.streams;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What {@code /health/live} and {@code /health/ready} say about a Kafka Streams client.
 *
 * <p><b>Live</b> (restart me if not): false once the client is in ERROR or PENDING_ERROR (it never leaves them), in
 * NOT_RUNNING or PENDING_SHUTDOWN after it had been running (nothing of ours stops it while the HTTP server still
 * answers), or when it had been running and has had no stream thread for longer than {@code lostThreadsGrace} (a
 * replacement takes milliseconds; a client without threads processes nothing and says RUNNING). Before the first
 * RUNNING (start-up, restoring state) it is live: a slow restore must not get the process killed.
 *
 * <p><b>Ready</b> (route to me): the client is RUNNING, every one of its {@code expectedThreads} stream threads is
 * RUNNING, and no thread has died since the client last became RUNNING. The last condition turns readiness off the
 * moment {@link #threadDied()} is called from the uncaught-exception handler, before the dying thread is even marked
 * dead and while its replacement joins the group.
 *
 * <p>Thread-safe: the state listener and the handler run on stream threads, the checks on the HTTP event loop. The
 * checks do no I/O; {@code metadataForLocalThreads()} takes each stream thread's state lock, which a thread holds only
 * while it changes state.
 */
public final class StreamsHealth {

    /** The StreamThread state in which a thread processes records, as {@code ThreadMetadata.threadState()} names it. */
    static final String THREAD_RUNNING = "RUNNING";

    private final Supplier<State> state;
    private final Supplier<List<String>> threadStates;
    private final int expectedThreads;
    private final Clock clock;
    private final Duration lostThreadsGrace;
    private volatile boolean hasBeenRunning;
    private volatile boolean threadDiedSinceRunning;
    // When the checks first saw no stream thread, or -1 while there are threads.
    private volatile long noThreadsSince = -1;

    /**
     * @param state            the client's state, e.g. {@code streams::state}
     * @param threadStates     the states of the client's live stream threads (dead ones omitted), as
     *                         {@code metadataForLocalThreads()} reports them
     * @param expectedThreads  how many stream threads the client is configured with
     * @param clock            tells the time
     * @param lostThreadsGrace how long a running client may have no thread before it is no longer live
     */
    public StreamsHealth(Supplier<State> state, Supplier<List<String>> threadStates, int expectedThreads, Clock clock,
                         Duration lostThreadsGrace) {
        if (expectedThreads < 1) {
            throw new IllegalArgumentException("expectedThreads must be positive, got " + expectedThreads);
        }
        this.state = Objects.requireNonNull(state, "state");
        this.threadStates = Objects.requireNonNull(threadStates, "threadStates");
        this.expectedThreads = expectedThreads;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lostThreadsGrace = Objects.requireNonNull(lostThreadsGrace, "lostThreadsGrace");
    }

    /** The health of this client, reading its live threads through {@code metadataForLocalThreads()}. */
    public static StreamsHealth of(KafkaStreams streams, int expectedThreads, Clock clock, Duration lostThreadsGrace) {
        return new StreamsHealth(streams::state, () -> streams.metadataForLocalThreads().stream()
                .map(thread -> thread.threadState()).toList(), expectedThreads, clock, lostThreadsGrace);
    }

    /** To be registered as (or called by) the client's state listener. */
    public void onStateChange(State now, State before) {
        if (now == State.RUNNING) {
            hasBeenRunning = true;
            threadDiedSinceRunning = false;
        }
    }

    /** To be called by the uncaught-exception handler whenever a stream thread dies, before it answers. */
    public void threadDied() {
        threadDiedSinceRunning = true;
    }

    /**
     * An uncaught-exception handler that reports every death to {@link #threadDied()} before {@code decider} chooses
     * what follows, whichever of its branches (a registry outage, a bad record) answers.
     */
    public StreamsUncaughtExceptionHandler reportingDeaths(StreamsUncaughtExceptionHandler decider) {
        Objects.requireNonNull(decider, "decider");
        return exception -> {
            threadDied();
            return decider.handle(exception);
        };
    }

    /** Whether the client can still make progress without a restart; see the class comment. */
    public boolean live() {
        State now = state.get();
        if (now == State.ERROR || now == State.PENDING_ERROR) {
            return false;
        }
        if (!hasBeenRunning) {
            return true;
        }
        if (now == State.NOT_RUNNING || now == State.PENDING_SHUTDOWN) {
            return false;
        }
        if (!threadStates.get().isEmpty()) {
            noThreadsSince = -1;
            return true;
        }
        long millis = clock.millis();
        if (noThreadsSince < 0) {
            noThreadsSince = millis;
        }
        return millis - noThreadsSince < lostThreadsGrace.toMillis();
    }

    /** Whether the client processes records on all its threads; see the class comment. */
    public boolean ready() {
        if (state.get() != State.RUNNING || threadDiedSinceRunning) {
            return false;
        }
        long running = threadStates.get().stream().filter(THREAD_RUNNING::equals).count();
        return running >= expectedThreads;
    }
}
