package dev.shipstream.streams.errors;

import dev.shipstream.streams.MutableClock;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoundedThreadReplacementTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final BoundedThreadReplacement handler = new BoundedThreadReplacement(2, Duration.ofMinutes(10), clock);

    @Test
    void replacesUpToTheLimitThenShutsTheClientDown() {
        assertThat(handler.handle(new IllegalStateException("1"))).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(handler.handle(new IllegalStateException("2"))).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(handler.handle(new IllegalStateException("3")))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void failuresOlderThanTheWindowNoLongerCount() {
        handler.handle(new IllegalStateException("1"));
        clock.advance(Duration.ofMinutes(6));
        handler.handle(new IllegalStateException("2"));
        clock.advance(Duration.ofMinutes(5));

        assertThat(handler.handle(new IllegalStateException("3"))).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(handler.handle(new IllegalStateException("4")))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void zeroReplacementsShutsDownAtOnce() {
        assertThat(new BoundedThreadReplacement(0, Duration.ofMinutes(1), clock).handle(new Error("x")))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void reportsEveryDeathBeforeAnswering() {
        AtomicInteger deaths = new AtomicInteger();
        BoundedThreadReplacement reporting = new BoundedThreadReplacement(1, Duration.ofMinutes(10), clock,
                deaths::incrementAndGet);

        assertThat(reporting.handle(new IllegalStateException("1")))
                .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(deaths).hasValue(1);
        assertThat(reporting.handle(new IllegalStateException("2")))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(deaths).hasValue(2);
    }

    @Test
    void rejectsInvalidBounds() {
        assertThatThrownBy(() -> new BoundedThreadReplacement(-1, Duration.ofMinutes(1), clock))
                .hasMessageContaining("maxReplacements");
        assertThatThrownBy(() -> new BoundedThreadReplacement(1, Duration.ZERO, clock))
                .hasMessageContaining("window");
    }

}
