package dev.shipstream.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.threadchecker.BlockedThreadEvent;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A Vert.x instance whose blocked-thread checker is tight ({@value #MAX_EVENT_LOOP_MILLIS} ms per event-loop task,
 * checked every {@value #CHECK_INTERVAL_MILLIS} ms) and records what it reports instead of only logging it, so a test
 * can assert that no event loop was ever blocked.
 *
 * <p>The checker measures wall-clock time, so a pause of the whole process (a stop-the-world collection, the VM's
 * cores taken away on a shared two-core machine) looks like a blocked event loop when it falls inside a task: on
 * 2026-12-02 CI failed on a report of 206 ms whose stack showed the event loop already idle in {@code epoll_wait}.
 * A probe thread therefore wakes every {@value #PROBE_MILLIS} ms and records each time it woke late; a report counts
 * only if its event loop was held at least {@value #MAX_EVENT_LOOP_MILLIS} ms while the probe ran, that is, after
 * taking off the time the probe itself could not run. What the tests look for, a {@code send} or a registry call that
 * waits on the event loop, holds it for seconds while every other thread runs.
 */
public final class BlockedEventLoops implements AutoCloseable {

    public static final long MAX_EVENT_LOOP_MILLIS = 200;
    public static final long CHECK_INTERVAL_MILLIS = 50;
    static final long PROBE_MILLIS = 5;
    /** How late the probe must wake for its lateness to count as a pause of the process. */
    static final long PAUSE_MILLIS = 20;

    private final Vertx vertx;
    private final Collection<Blocked> blocked = new CopyOnWriteArrayList<>();
    private final Collection<Pause> pauses = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean probing = new AtomicBoolean(true);
    private final Thread probe = new Thread(this::probe, "process-pause-probe");

    public BlockedEventLoops() {
        probe.setDaemon(true);
        probe.start();
        vertx = Vertx.vertx(new VertxOptions()
                .setMaxEventLoopExecuteTime(MAX_EVENT_LOOP_MILLIS)
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                .setBlockedThreadCheckInterval(CHECK_INTERVAL_MILLIS)
                .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
                // Worker threads may block (that is what they are for); only event loops are under test.
                .setMaxWorkerExecuteTime(10)
                .setMaxWorkerExecuteTimeUnit(TimeUnit.MINUTES));
        ((VertxInternal) vertx).blockedThreadChecker().setThreadBlockedHandler(this::record);
    }

    private void record(BlockedThreadEvent event) {
        long now = System.nanoTime();
        StringBuilder report = new StringBuilder(event.thread().getName()).append(" blocked for ")
                .append(TimeUnit.NANOSECONDS.toMillis(event.duration())).append(" ms at");
        for (StackTraceElement frame : event.thread().getStackTrace()) {
            report.append("\n    ").append(frame);
        }
        blocked.add(new Blocked(now - event.duration(), now, report.toString()));
    }

    private void probe() {
        long period = TimeUnit.MILLISECONDS.toNanos(PROBE_MILLIS);
        long pause = TimeUnit.MILLISECONDS.toNanos(PAUSE_MILLIS);
        while (probing.get()) {
            long due = System.nanoTime() + period;
            LockSupport.parkNanos(period);
            long woke = System.nanoTime();
            if (woke - due >= pause) {
                pauses.add(new Pause(due, woke));
            }
        }
    }

    /** The instance to run the ingress on. */
    public Vertx vertx() {
        return vertx;
    }

    /**
     * Every event loop reported blocked for at least {@value #MAX_EVENT_LOOP_MILLIS} ms of time in which the process
     * ran, e.g. {@code vert.x-eventloop-thread-1 blocked for 1203 ms at ...}. A report is judged when this is called,
     * by which time the probe has woken from any pause the report overlapped.
     */
    public List<String> reports() {
        return judged(true).stream().map(Blocked::report).toList();
    }

    /** Reports set aside because the whole process was paused for most of them; for a test's diagnostics. */
    public List<String> processPauses() {
        return judged(false).stream().map(Blocked::report).toList();
    }

    /** Fails, with every report and every report set aside as a pause, if an event loop was blocked. */
    public void assertNoneBlocked() {
        assertThat(reports()).as("blocked event loops (set aside as pauses of the whole process: %s)", processPauses())
                .isEmpty();
    }

    private List<Blocked> judged(boolean held) {
        List<Pause> paused = List.copyOf(pauses);
        return blocked.stream().filter(b -> (b.heldWhileRunning(paused) >= ms(MAX_EVENT_LOOP_MILLIS)) == held)
                .toList();
    }

    @Override
    public void close() throws Exception {
        probing.set(false);
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            probe.join(1_000);
        }
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** An interval of {@link System#nanoTime()} in which the probe should have run and did not. */
    record Pause(long start, long end) {
    }

    /** A report of the checker: the interval the event loop was held (nanoTime) and what the report says. */
    record Blocked(long start, long end, String report) {

        /** How long the event loop was held, less the parts of it in which the whole process was paused. */
        long heldWhileRunning(Collection<Pause> pauses) {
            long held = end - start;
            for (Pause pause : pauses) {
                held -= Math.max(0, Math.min(end, pause.end()) - Math.max(start, pause.start()));
            }
            return held;
        }
    }
}
