package dev.shipstream.streams;

import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class StreamsHealthTest {

    private static final Duration GRACE = Duration.ofSeconds(10);

    private final AtomicReference<State> state = new AtomicReference<>(State.CREATED);
    private final List<String> threads = new ArrayList<>();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final StreamsHealth health = new StreamsHealth(state::get, () -> List.copyOf(threads), 2, clock, GRACE);

    @Test
    void isLiveButNotReadyWhileStartingAndRestoring() {
        assertThat(health.live()).isTrue();
        assertThat(health.ready()).isFalse();

        moveTo(State.REBALANCING);
        threads.addAll(List.of("STARTING", "PARTITIONS_ASSIGNED"));

        assertThat(health.live()).isTrue();
        assertThat(health.ready()).isFalse();
    }

    @Test
    void isLiveAndReadyWhenRunningOnEveryThread() {
        running();

        assertThat(health.live()).isTrue();
        assertThat(health.ready()).isTrue();
    }

    @Test
    void isNeitherLiveNorReadyInErrorOrPendingError() {
        running();

        moveTo(State.PENDING_ERROR);
        assertThat(health.live()).isFalse();
        assertThat(health.ready()).isFalse();

        moveTo(State.ERROR);
        assertThat(health.live()).isFalse();
        assertThat(health.ready()).isFalse();
    }

    @Test
    void isNotLiveWhenShutDownAfterRunning() {
        running();

        moveTo(State.PENDING_SHUTDOWN);
        assertThat(health.live()).isFalse();
        moveTo(State.NOT_RUNNING);
        assertThat(health.live()).isFalse();
    }

    @Test
    void aHandlerReportingDeathsTurnsReadinessOffBeforeItsDeciderAnswers() {
        running();
        List<Boolean> readyWhenDeciding = new ArrayList<>();

        StreamThreadExceptionResponse response = health.reportingDeaths(exception -> {
            readyWhenDeciding.add(health.ready());
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }).handle(new IllegalStateException("registry unavailable"));

        assertThat(response).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(readyWhenDeciding).containsExactly(false);
    }

    @Test
    void isNotReadyFromTheMomentAThreadDiesUntilTheClientRunsAgainOnAllThreads() {
        running();

        health.threadDied();
        assertThat(health.ready()).as("the dying thread still says RUNNING").isFalse();
        assertThat(health.live()).isTrue();

        threads.set(1, "STARTING"); // the replacement
        moveTo(State.REBALANCING);
        assertThat(health.ready()).isFalse();

        threads.set(1, "RUNNING");
        moveTo(State.RUNNING);
        assertThat(health.ready()).isTrue();
    }

    @Test
    void isNotReadyWhileAThreadIsMissingEvenIfTheClientSaysRunning() {
        running();

        threads.remove(1);

        assertThat(health.ready()).isFalse();
        assertThat(health.live()).isTrue();
    }

    @Test
    void isNotLiveOnceARunningClientHasHadNoThreadForTheGrace() {
        running();
        threads.clear();

        assertThat(health.live()).isTrue();
        clock.advance(GRACE.minusMillis(1));
        assertThat(health.live()).isTrue();
        clock.advance(Duration.ofMillis(1));
        assertThat(health.live()).isFalse();

        threads.add("STARTING");
        assertThat(health.live()).isTrue();
    }

    private void running() {
        threads.clear();
        threads.addAll(List.of("RUNNING", "RUNNING"));
        moveTo(State.REBALANCING);
        moveTo(State.RUNNING);
    }

    private void moveTo(State next) {
        State before = state.getAndSet(next);
        health.onStateChange(next, before);
    }
}
