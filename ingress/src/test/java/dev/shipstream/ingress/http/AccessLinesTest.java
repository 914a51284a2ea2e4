package dev.shipstream.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shipstream.testsupport.CapturedLogs;
import io.vertx.core.http.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The access lines' own writer: whole batches in order, never a wait for the stream, bounded, and drained at close.
 * The timeout only guards against a writer that blocks (the drop test would otherwise hang).
 */
@Timeout(60)
class AccessLinesTest {

    /** A stream that records what it is given, and can be held: a write then waits until it is released. */
    private static final class HeldStream extends OutputStream {
        private final ByteArrayOutputStream written = new ByteArrayOutputStream();
        private final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch released;
        private final AtomicInteger failuresLeft;

        HeldStream(boolean held, int failures) {
            released = new CountDownLatch(held ? 1 : 0);
            failuresLeft = new AtomicInteger(failures);
        }

        @Override
        public void write(int b) {
            throw new UnsupportedOperationException("a batch is written in one call");
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            entered.countDown();
            try {
                released.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IOException("stdout closed");
            }
            synchronized (written) {
                written.write(bytes, offset, length);
            }
        }

        String text() {
            synchronized (written) {
                return written.toString(StandardCharsets.UTF_8);
            }
        }
    }

    /** A batch of one entry per id, each the same request otherwise. */
    private static List<AccessEntry> batch(String... ids) {
        return Stream.of(ids).map(id -> new AccessEntry(1_764_554_501_007L, id, "10.0.0.1", HttpMethod.POST,
                "/webhooks/eas/main", 200, 52, 870, "eas", "main")).toList();
    }

    /** The lines of {@link #batch}. */
    private static String text(String... ids) {
        return Stream.of(ids).map(id -> "2025-12-01T02:01:41.007Z " + id
                + " 10.0.0.1 POST /webhooks/eas/main 200 52B 870us source=eas endpoint=main\n")
                .collect(Collectors.joining());
    }

    @Test
    void writesEachBatchWholeInTheOrderGivenAsUtf8() {
        HeldStream out = new HeldStream(false, 0);
        AccessLines lines = AccessLines.writer(out);

        lines.write(batch("a", "b"));
        lines.write(batch("c-ünïcödé"));
        lines.write(batch("d"));

        await().atMost(Duration.ofSeconds(10)).until(() -> out.text().endsWith(text("d")));
        assertThat(out.text()).isEqualTo(text("a", "b", "c-ünïcödé", "d"));
        assertThat(lines.dropped()).isZero();
        lines.close();
    }

    @Test
    void theLoggerGetsEachBatchWithoutItsLastNewlineSinceTheLayoutEndsEveryEventWithOne() {
        try (CapturedLogs logs = CapturedLogs.capture()) {
            AccessLines.logger().write(batch("a", "b"));

            assertThat(logs.lines()).contains("INFO " + AccessLog.LOGGER + " " + text("a", "b").stripTrailing());
        }
    }

    @Test
    void dropsAndCountsBatchesBeyondTheBoundRatherThanWaitForAStalledStream() throws Exception {
        HeldStream out = new HeldStream(true, 0);
        AccessLines lines = AccessLines.writer(out);
        lines.write(batch("first"));
        assertThat(out.entered.await(10, TimeUnit.SECONDS)).as("the writer holds the first batch").isTrue();

        for (int i = 0; i < AccessLines.MAX_PENDING + 10; i++) {
            lines.write(batch("batch-" + i));
        }

        assertThat(lines.dropped()).isEqualTo(10);
        out.released.countDown();
        String expected = text("first") + IntStream.range(0, AccessLines.MAX_PENDING)
                .mapToObj(i -> text("batch-" + i)).collect(Collectors.joining());
        await().atMost(Duration.ofSeconds(10)).until(() -> out.text().length() >= expected.length());
        assertThat(out.text()).isEqualTo(expected);
        lines.close();
    }

    @Test
    void closeWritesWhatWaitsAndDropsWhatComesAfter() throws Exception {
        HeldStream out = new HeldStream(true, 0);
        AccessLines lines = AccessLines.writer(out);
        lines.write(batch("one"));
        assertThat(out.entered.await(10, TimeUnit.SECONDS)).isTrue();
        lines.write(batch("two"));
        lines.write(batch("three"));

        out.released.countDown();
        lines.close(Duration.ofSeconds(10));
        lines.write(batch("late"));

        assertThat(out.text()).isEqualTo(text("one", "two", "three"));
        assertThat(lines.dropped()).isEqualTo(1);
    }

    @Test
    void aBatchThatCannotBeWrittenIsCountedAndTheNextOneIsWrittenWhenTheStreamWorksAgain() {
        HeldStream out = new HeldStream(false, 2);
        AccessLines lines = AccessLines.writer(out);

        lines.write(batch("lost-1"));
        lines.write(batch("lost-2"));
        lines.write(batch("kept"));

        await().atMost(Duration.ofSeconds(10)).until(() -> out.text().equals(text("kept")));
        assertThat(lines.dropped()).isEqualTo(2);
        lines.close();
    }
}
