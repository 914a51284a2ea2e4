package dev.shipstream.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
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

    private static final AccessEntry ENTRY = new AccessEntry(1_764_554_501_007L, "r1", "10.0.0.1", HttpMethod.POST,
            "/webhooks/eas/main", 200, 52, 870, "eas", "main");
    private static final String LINE =
            "2025-12-01T02:01:41.007Z r1 10.0.0.1 POST /webhooks/eas/main 200 52B 870us source=eas endpoint=main\n";

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
                log.add(ENTRY);
                if (log.pending() == 0) {
                    return n;
                }
            }
        });

        int full = AccessLog.MAX_BATCH_LINES;
        assertThat(linesInFirstBatch).as("lines in the first batch").isEqualTo(full);
        await().atMost(Duration.ofSeconds(10)).until(() -> text().length() == full * LINE.length());
        assertThat(text()).isEqualTo(LINE.repeat(full));
    }

    @Test
    void aLineThatStartsABatchIsWrittenWithinTheFlushInterval() throws Exception {
        long start = System.nanoTime();
        onContext(() -> {
            log.add(ENTRY);
            return null;
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> text().equals(LINE));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                .as("not handed over before its flush timer").isGreaterThanOrEqualTo(AccessLog.FLUSH_MILLIS);
        assertThat(onContext(log::pending)).isZero();
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
