package dev.shipstream.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PublishDeadlinesTest {

    private static final Duration TIMEOUT = Duration.ofMillis(200);

    private Vertx vertx;
    private Context context;
    private PublishDeadlines deadlines;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
        deadlines = new PublishDeadlines(vertx, TIMEOUT);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private <T> T onLoop(Supplier<T> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> result.complete(action.get()));
        return result.get(10, TimeUnit.SECONDS);
    }

    @Test
    void expiresAnUndecidedPublishNoEarlierThanTheTimeout() throws Exception {
        CompletableFuture<Long> expiredAfter = new CompletableFuture<>();
        long start = System.nanoTime();
        onLoop(() -> deadlines.start(System.nanoTime(), () -> expiredAfter.complete(System.nanoTime() - start)));

        long nanos = expiredAfter.get(10, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(nanos)).isGreaterThanOrEqualTo(TIMEOUT).isLessThan(TIMEOUT.plusSeconds(2));
    }

    @Test
    void neverExpiresAPublishDecidedInTimeAndLetsOnlyTheFirstDecisionWin() throws Exception {
        AtomicInteger expired = new AtomicInteger();
        PublishDeadlines.Deadline deadline = onLoop(() -> deadlines.start(System.nanoTime(), expired::incrementAndGet));

        assertThat(onLoop(deadline::decide)).isTrue();
        assertThat(onLoop(deadline::decide)).isFalse();

        // Holds for twice the timeout: a decided publish must not expire later either.
        await().during(TIMEOUT.multipliedBy(2)).atMost(TIMEOUT.multipliedBy(4))
                .untilAsserted(() -> assertThat(expired).hasValue(0));
    }

    @Test
    void expiresEachOfManyUndecidedPublishesOnceAndOnlyThose() throws Exception {
        AtomicInteger expired = new AtomicInteger();
        List<PublishDeadlines.Deadline> started = onLoop(() -> {
            List<PublishDeadlines.Deadline> all = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                all.add(deadlines.start(System.nanoTime(), expired::incrementAndGet));
            }
            return all;
        });
        // Decided out of order: every other one, from the back.
        onLoop(() -> {
            for (int i = started.size() - 1; i >= 0; i -= 2) {
                started.get(i).decide();
            }
            return null;
        });
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(expired).hasValue(50));
        // And no decided one expires afterwards.
        await().during(TIMEOUT.multipliedBy(2)).atMost(TIMEOUT.multipliedBy(4))
                .untilAsserted(() -> assertThat(expired).hasValue(50));
        assertThat(onLoop(() -> started.stream().filter(PublishDeadlines.Deadline::decide).count())).isZero();
        assertThat(onLoop(deadlines::queued)).isZero();
    }

    @Test
    void keepsOnlyUndecidedPublishesQueuedWhenAcknowledgementsArriveInOrder() throws Exception {
        int queued = onLoop(() -> {
            for (int i = 0; i < 1000; i++) {
                deadlines.start(System.nanoTime(), () -> { }).decide();
            }
            deadlines.start(System.nanoTime(), () -> { });
            return deadlines.queued();
        });

        assertThat(queued).isEqualTo(1);
    }
}
