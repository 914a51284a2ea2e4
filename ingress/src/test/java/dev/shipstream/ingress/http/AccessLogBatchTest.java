package dev.shipstream.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How the access log cuts its lines into batches: whole lines, handed over when a batch is full or has waited. */
@Timeout(60)
class AccessLogBatchTest {

    /** A line of the time alone and its newline: {@code 2025-12-01T02:01:41.007Z\n}. */
    private static final long TIME = 1_764_554_501_007L;
    private static final String LINE = "2025-12-01T02:01:41.007Z\n";

    private final Vertx vertx = Vertx.vertx();
    private final Context context = vertx.getOrCreateContext();
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final AccessLines lines = AccessLines.writer(written);
    private final AccessLog log = new AccessLog(vertx, lines);

    @AfterEach
    void close() {
        lines.close();
        vertx.close().await();
    }

    @Test
    void handsOverWholeLinesOnceTheBatchIsFullAndNotBefore() throws Exception {
        int linesInFirstBatch = onContext(() -> {
            for (int n = 1; ; n++) {
                log.appendTime(TIME);
                log.endLine();
                if (log.pending().isEmpty()) {
                    return n;
                }
            }
        });

        int full = (AccessLog.MAX_BATCH_BYTES + LINE.length() - 1) / LINE.length();
        assertThat(linesInFirstBatch).as("lines in the first batch").isEqualTo(full);
        await().atMost(Duration.ofSeconds(10)).until(() -> text().length() == full * LINE.length());
        assertThat(text()).isEqualTo(LINE.repeat(full));
    }

    @Test
    void aLineThatStartsABatchIsWrittenWithinTheFlushInterval() throws Exception {
        long start = System.nanoTime();
        onContext(() -> {
            log.appendTime(TIME);
            log.endLine();
            return null;
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> text().equals(LINE));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                .as("not handed over before its flush timer").isGreaterThanOrEqualTo(AccessLog.FLUSH_MILLIS);
        assertThat(onContext(log::pending)).isEmpty();
    }

    /** Runs {@code work} on the log's context, as the verticle that owns it does. */
    private <T> T onContext(Callable<T> work) throws Exception {
        Promise<T> result = Promise.promise();
        context.runOnContext(v -> {
            try {
                result.complete(work.call());
            } catch (Exception e) {
                result.fail(e);
            }
        });
        return result.future().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private String text() {
        synchronized (written) {
            return written.toString(StandardCharsets.UTF_8);
        }
    }
}
