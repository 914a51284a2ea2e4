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

        write(lines, "a 200\nb 401\n");
        write(lines, "c 200 ünïcödé\n");
        write(lines, "d 503\n");

        await().atMost(Duration.ofSeconds(10)).until(() -> out.text().endsWith("d 503\n"));
        assertThat(out.text()).isEqualTo("a 200\nb 401\nc 200 ünïcödé\nd 503\n");
        assertThat(lines.dropped()).isZero();
        lines.close();
    }

    @Test
    void theLoggerGetsEachBatchWithoutItsLastNewlineSinceTheLayoutEndsEveryEventWithOne() {
        try (CapturedLogs logs = CapturedLogs.capture()) {
            write(AccessLines.logger(), "a 200\nb 401\n");

            assertThat(logs.lines()).contains("INFO " + AccessLog.LOGGER + " a 200\nb 401");
        }
    }

    @Test
    void dropsAndCountsBatchesBeyondTheBoundRatherThanWaitForAStalledStream() throws Exception {
        HeldStream out = new HeldStream(true, 0);
        AccessLines lines = AccessLines.writer(out);
        write(lines, "first\n");
        assertThat(out.entered.await(10, TimeUnit.SECONDS)).as("the writer holds the first batch").isTrue();

        for (int i = 0; i < AccessLines.MAX_PENDING + 10; i++) {
            write(lines, "batch " + i + "\n");
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
        write(lines, "one\n");
        assertThat(out.entered.await(10, TimeUnit.SECONDS)).isTrue();
        write(lines, "two\n");
        write(lines, "three\n");

        out.released.countDown();
        lines.close(Duration.ofSeconds(10));
        write(lines, "late\n");

        assertThat(out.text()).isEqualTo("one\ntwo\nthree\n");
        assertThat(lines.dropped()).isEqualTo(1);
    }

    @Test
    void theArrayOfAWrittenOrDroppedBatchIsGivenOutAgainForALaterOne() throws Exception {
        HeldStream out = new HeldStream(true, 0);
        AccessLines lines = AccessLines.writer(out);
        byte[] written = "one\n".getBytes(StandardCharsets.UTF_8);
        lines.write(written, written.length);
        assertThat(out.entered.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(lines.buffer(4)).as("not while it is being written").isNotSameAs(written);

        out.released.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> out.text().equals("one\n"));
        lines.close(Duration.ofSeconds(10));
        assertThat(lines.buffer(4)).isSameAs(written);
        assertThat(lines.buffer(4)).as("given out once").isNotSameAs(written);

        byte[] late = "late\n".getBytes(StandardCharsets.UTF_8);
        lines.write(late, late.length);
        assertThat(lines.dropped()).isEqualTo(1);
        assertThat(lines.buffer(late.length + 1)).as("too small for what is asked").hasSize(late.length + 1);
        lines.write(late, late.length);
        assertThat(lines.buffer(late.length)).as("a dropped batch's array").isSameAs(late);
    }

    @Test
    void aBatchThatCannotBeWrittenIsCountedAndTheNextOneIsWrittenWhenTheStreamWorksAgain() {
        HeldStream out = new HeldStream(false, 2);
        AccessLines lines = AccessLines.writer(out);

        write(lines, "lost 1\n");
        write(lines, "lost 2\n");
        write(lines, "kept\n");

        await().atMost(Duration.ofSeconds(10)).until(() -> out.text().equals("kept\n"));
        assertThat(lines.dropped()).isEqualTo(2);
        lines.close();
    }

    /** Hands {@code text} over as a batch of its own, as the access log hands over its array. */
    private static void write(AccessLines lines, String text) {
        byte[] batch = text.getBytes(StandardCharsets.UTF_8);
        lines.write(batch, batch.length);
    }
}
