package dev.shipstream.ingress.http;

import static org.awaitility.Awaitility.await;

import com.sun.management.ThreadMXBean;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The access log's own cost, per line, without a server around it: the CPU time and the bytes allocated by the
 * thread that writes the lines (an event loop in the ingress) and by the access lines' writer thread, with the
 * shipped writer to standard output, which must be a file (as bench/access-log.sh runs it). The request is a stand-in
 * with the benchmark's path, client and status; its methods cost a few nanoseconds per line. The lines come far
 * faster than in a server, so the writer may fall behind and drop batches: its cost is per line it wrote.
 *
 * <p>Arguments: rounds, lines per round. Prints one line per round to stderr.
 */
public final class AccessLogCost {

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    /** Standard output, which must be a file: its size says how much the writer wrote. */
    private static final Path STDOUT = Path.of("/proc/self/fd/1");

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        int lines = Integer.parseInt(args[1]);
        HttpServerResponse response = stub(HttpServerResponse.class, "bytesWritten", 55L);
        HttpServerRequest request = (HttpServerRequest) Proxy.newProxyInstance(AccessLogCost.class.getClassLoader(),
                new Class<?>[] {HttpServerRequest.class}, (proxy, method, arguments) -> switch (method.getName()) {
                    case "response" -> response;
                    case "path" -> "/webhooks/app-store-connect/default";
                    case "method" -> HttpMethod.POST;
                    default -> null;
                });
        // Lines of one length: a time with milliseconds, and durations of 8 digits (the requests began 10 s ago).
        Exchange[] exchanges = new Exchange[1024];
        for (int i = 0; i < exchanges.length; i++) {
            long millis = System.currentTimeMillis() / 1000 * 1000 + 1 + i % 999;
            // No connection deadlines: the access log does not use them.
            exchanges[i] = new Exchange(request, RequestIds.next(millis), "127.0.0.1", millis,
                    System.nanoTime() - 10_000_000_000L, null);
        }
        Vertx vertx = Vertx.vertx();
        AccessLog probe = new AccessLog(vertx, AccessLines.writer(OutputStream.nullOutputStream()));
        probe.write(exchanges[0], 200, System.nanoTime());
        int lineBytes = probe.pendingBytes().length;
        Context context = vertx.getOrCreateContext();
        AccessLines out = AccessLines.stdout();
        AccessLog log = new AccessLog(vertx, out);
        for (int round = 1; round <= rounds; round++) {
            long[] writerBefore = writer();
            long droppedBefore = out.dropped();
            long bytesBefore = Files.size(STDOUT);
            // On the log's event loop, as in the ingress: the lines of one round, then what is left of the batch.
            Promise<long[]> cost = Promise.promise();
            context.runOnContext(v -> {
                long self = Thread.currentThread().getId();
                long cpu = THREADS.getCurrentThreadCpuTime();
                long allocated = THREADS.getThreadAllocatedBytes(self);
                for (int i = 0; i < lines; i++) {
                    // The end's clock read, which the ingress shares with the connection's deadline, charged here.
                    log.write(exchanges[i & 1023], 200, System.nanoTime());
                }
                cost.complete(new long[] {THREADS.getCurrentThreadCpuTime() - cpu,
                        THREADS.getThreadAllocatedBytes(self) - allocated});
                log.flush();
            });
            long[] line = cost.future().await();
            long[] writerAfter = awaitIdle(writerBefore);
            // Per line written: a batch the writer could not take in time was dropped, and cost it nothing.
            long written = (Files.size(STDOUT) - bytesBefore) / lineBytes;
            System.err.printf("round %d: line %.1f ns, %.1f B allocated | writer %.1f ns, %.1f B allocated per line "
                            + "written (%d lines of %d B written, %d batches dropped)%n",
                    round, (double) line[0] / lines, (double) line[1] / lines,
                    (double) (writerAfter[0] - writerBefore[0]) / written,
                    (double) (writerAfter[1] - writerBefore[1]) / written, written, lineBytes,
                    out.dropped() - droppedBefore);
        }
        out.close();
        System.err.println("batches dropped: " + out.dropped());
        vertx.close().await();
    }

    /**
     * The writer thread's CPU time and allocated bytes once it has written the round's batches: once it has run and
     * then used less than 0.1 ms of CPU in 0.2 s (waiting, it wakes every 100 ms for a few microseconds); at most a
     * minute.
     */
    private static long[] awaitIdle(long[] before) {
        AtomicReference<long[]> last = new AtomicReference<>(before);
        return await("the access-log writer idle after the round").atMost(Duration.ofMinutes(1))
                .pollDelay(Duration.ofMillis(200)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    long[] now = writer();
                    long[] previous = last.getAndSet(now);
                    return now[0] != before[0] && now[0] - previous[0] < 100_000 ? now : null;
                }, Objects::nonNull);
    }

    private static long[] writer() {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals(AccessLines.WRITER_THREAD)) {
                return new long[] {THREADS.getThreadCpuTime(thread.getId()),
                        THREADS.getThreadAllocatedBytes(thread.getId())};
            }
        }
        throw new IllegalStateException("no thread " + AccessLines.WRITER_THREAD);
    }

    @SuppressWarnings("unchecked")
    private static <T> T stub(Class<T> type, String name, Object value) {
        return (T) Proxy.newProxyInstance(AccessLogCost.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, arguments) -> method.getName().equals(name) ? value : null);
    }
}
