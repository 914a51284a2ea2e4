package dev.shipstream.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shipstream.testsupport.CapturedLogs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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

    @Test
    void writesEachBatchWholeAndUnchangedInTheOrderGiven() {
        HeldStream out = new HeldStream(false, 0);
        AccessLines lines = AccessLines.writer(out);

        lines.write("a 200\nb 401\n");
        lines.write("c 200 ünïcödé\n");
        lines.write("d 503\n");

        await().atMost(Duration.ofSeconds(10)).until(() -> out.text().endsWith("d 503\n"));
        assertThat(out.text()).isEqualTo("a 200\nb 401\nc 200 ünïcödé\nd 503\n");
        assertThat(lines.dropped()).isZero();
        lines.close();
    }

    @Test
    void theLoggerGetsEachBatchWithoutItsLastNewlineSinceTheLayoutEndsEveryEventWithOne() {
        try (CapturedLogs logs = CapturedLogs.capture()) {
            AccessLines.logger().write("a 200\nb 401\n");

            assertThat(logs.lines()).contains("INFO " + AccessLog.LOGGER + " a 200\nb 401");
        }
    }

    @Test
    void dropsAndCountsBatchesBeyondTheBoundRatherThanWaitForAStalledStream() throws Exception {
        HeldStream out = new HeldStream(true, 0);
        AccessLines lines = AccessLines.writer(out);
        lines.write("first\n");
        assertThat(out.entered.await(10, TimeUnit.SECONDS)).as("the writer holds the first batch").isTrue();

        for (int i = 0; i < AccessLines.MAX_PENDING + 10; i++) {
            lines.write("batch " + i + "\n");
        }

        assertThat(lines.dropped()).isEqualTo(10);
        out.released.countDown();
        String expected = "first\n" + IntStream.range(0, AccessLines.MAX_PENDING)
                .mapToObj(i -> "batch " + i + "\n").collect(Collectors.joining());
        await().atMost(Duration.ofSeconds(10)).until(() -> out.text().length() >= expected.length());
        assertThat(out.text()).isEqualTo(expected);
        lines.close();
    }

    @Test
    void closeWritesWhatWaitsAndDropsWhatComesAfter() throws Exception {
        HeldStream out = new HeldStream(true, 0);
        AccessLines lines = AccessLines.writer(out);
        lines.write("one\n");
        assertThat(out.entered.await(10, TimeUnit.SECONDS)).isTrue();
        lines.write("two\n");
        lines.write("three\n");

        out.released.countDown();
        lines.close(Duration.ofSeconds(10));
        lines.write("late\n");

        assertThat(out.text()).isEqualTo("one\ntwo\nthree\n");
        assertThat(lines.dropped()).isEqualTo(1);
    }

    @Test
    void aBatchThatCannotBeWrittenIsCountedAndTheNextOneIsWrittenWhenTheStreamWorksAgain() {
        HeldStream out = new HeldStream(false, 2);
        AccessLines lines = AccessLines.writer(out);

        lines.write("lost 1\n");
        lines.write("lost 2\n");
        lines.write("kept\n");

        await().atMost(Duration.ofSeconds(10)).until(() -> out.text().equals("kept\n"));
        assertThat(lines.dropped()).isEqualTo(2);
        lines.close();
    }
}
