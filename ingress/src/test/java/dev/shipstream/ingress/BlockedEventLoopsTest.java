package dev.shipstream.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.shipstream.ingress.BlockedEventLoops.Blocked;
import dev.shipstream.ingress.BlockedEventLoops.Pause;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The checker on a real Vert.x instance. A held task waits on a latch that the test releases once it has seen what it
 * awaits, so that no task is held longer, or shorter, than the test needs.
 */
class BlockedEventLoopsTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void anEventLoopHeldWhileTheProcessRunsIsReported() throws Exception {
        try (BlockedEventLoops loops = new BlockedEventLoops()) {
            CountDownLatch released = new CountDownLatch(1);
            // Holding the event loop on purpose, until the checker has reported it: that is what it is to see.
            loops.vertx().runOnContext(v -> hold(released));
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> !loops.reports().isEmpty());
            } finally {
                released.countDown();
            }

            assertThat(loops.reports().get(0)).startsWith("vert.x-eventloop-thread-").contains(" blocked for ")
                    .contains("BlockedEventLoopsTest.hold");
            assertThatThrownBy(loops::assertNoneBlocked).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("blocked for");
        }
    }

    @Test
    void anEventLoopThatIsNotHeldIsNotReported() throws Exception {
        try (BlockedEventLoops loops = new BlockedEventLoops()) {
            for (int i = 0; i < 20; i++) {
                loops.vertx().runOnContext(v -> Thread.onSpinWait());
            }
            // Several checks of the checker pass meanwhile: a timer of the event loop, which holds nothing.
            loops.vertx().timer(10 * BlockedEventLoops.CHECK_INTERVAL_MILLIS).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);

            loops.assertNoneBlocked();
        }
    }

    @Test
    void anEventLoopTaskDuringWhichTheWholeProcessWasStoppedIsSetAside() throws Exception {
        try (BlockedEventLoops loops = new BlockedEventLoops()) {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch released = new CountDownLatch(1);
            // A task that runs for well under the limit of its own, while the process is stopped for longer than the
            // limit: what a stop-the-world pause or a descheduled VM does to the task that was running when it began.
            // It is held until the checker has reported it, so that the checker sees it running.
            loops.vertx().runOnContext(v -> {
                running.countDown();
                hold(released);
            });
            try {
                assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
                long pid = ProcessHandle.current().pid();
                Process stopper = new ProcessBuilder("sh", "-c",
                        "kill -STOP " + pid + "; sleep 0.4; kill -CONT " + pid).start();
                assertThat(stopper.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(stopper.exitValue()).isZero();
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> !loops.processPauses().isEmpty() || !loops.reports().isEmpty());
            } finally {
                released.countDown();
            }

            loops.assertNoneBlocked();
            assertThat(loops.processPauses().get(0)).contains(" blocked for ");
        }
    }

    @Test
    void theTimeTheWholeProcessWasPausedIsNotCountedAsHeld() {
        Blocked blocked = new Blocked(1_000 * MS, 1_206 * MS, "report");

        assertThat(blocked.heldWhileRunning(List.of())).isEqualTo(206 * MS);
        assertThat(blocked.heldWhileRunning(List.of(new Pause(1_010 * MS, 1_200 * MS)))).isEqualTo(16 * MS);
        // Only the overlap counts, of pauses on either side of the report and beyond both ends.
        assertThat(blocked.heldWhileRunning(List.of(new Pause(900 * MS, 1_050 * MS), new Pause(1_180 * MS,
                1_300 * MS)))).isEqualTo(130 * MS);
        assertThat(blocked.heldWhileRunning(List.of(new Pause(500 * MS, 900 * MS), new Pause(1_206 * MS,
                1_400 * MS)))).isEqualTo(206 * MS);
        assertThat(blocked.heldWhileRunning(List.of(new Pause(0, 2_000 * MS)))).isZero();
    }

    /** Holds the calling thread (an event loop) until {@code released}, for at most 30 s. */
    private static void hold(CountDownLatch released) {
        try {
            assertThat(released.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
