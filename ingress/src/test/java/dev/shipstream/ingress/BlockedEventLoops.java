package dev.shipstream.ingress;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.threadchecker.BlockedThreadEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A Vert.x instance whose blocked-thread checker is tight ({@value #MAX_EVENT_LOOP_MILLIS} ms per event-loop task,
 * checked every {@value #CHECK_INTERVAL_MILLIS} ms) and records what it reports instead of only logging it, so a test
 * can assert that no event loop was ever blocked.
 */
public final class BlockedEventLoops implements AutoCloseable {

    public static final long MAX_EVENT_LOOP_MILLIS = 200;
    public static final long CHECK_INTERVAL_MILLIS = 50;

    private final Vertx vertx;
    private final List<String> reports = new CopyOnWriteArrayList<>();

    public BlockedEventLoops() {
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
        StringBuilder report = new StringBuilder(event.thread().getName()).append(" blocked for ")
                .append(TimeUnit.NANOSECONDS.toMillis(event.duration())).append(" ms at");
        for (StackTraceElement frame : event.thread().getStackTrace()) {
            report.append("\n    ").append(frame);
        }
        reports.add(report.toString());
    }

    /** The instance to run the ingress on. */
    public Vertx vertx() {
        return vertx;
    }

    /** Every blocked thread reported so far, e.g. {@code vert.x-eventloop-thread-1 blocked for 1203 ms at ...}. */
    public List<String> reports() {
        return List.copyOf(reports);
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
