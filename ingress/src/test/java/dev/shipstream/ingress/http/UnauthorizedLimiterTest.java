package dev.shipstream.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UnauthorizedLimiterTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final Ticker ticker = nanos::get;
    private final UnauthorizedLimiter limiter = new UnauthorizedLimiter(3, Duration.ofSeconds(60), ticker);

    @Test
    void limitsAnAddressOnlyOnceItHadTheAllowedNumberOfUnauthorizedAnswers() {
        limiter.recordUnauthorized("203.0.113.9");
        limiter.recordUnauthorized("203.0.113.9");
        assertThat(limiter.retryAfterSeconds("203.0.113.9")).isEmpty();

        limiter.recordUnauthorized("203.0.113.9");

        assertThat(limiter.retryAfterSeconds("203.0.113.9")).hasValue(60);
        assertThat(limiter.retryAfterSeconds("198.51.100.7")).isEmpty();
    }

    @Test
    void theRefusalLastsUntilTheWindowEndsAndThenTheCountStartsOver() {
        for (int i = 0; i < 3; i++) {
            limiter.recordUnauthorized("203.0.113.9");
        }
        nanos.addAndGet(Duration.ofSeconds(45).toNanos());
        assertThat(limiter.retryAfterSeconds("203.0.113.9")).hasValue(15);

        nanos.addAndGet(Duration.ofSeconds(15).toNanos());
        assertThat(limiter.retryAfterSeconds("203.0.113.9")).isEmpty();
        limiter.recordUnauthorized("203.0.113.9");
        assertThat(limiter.retryAfterSeconds("203.0.113.9")).isEmpty();
    }
}
