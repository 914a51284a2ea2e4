package dev.shipstream.connect.common;

import java.time.Clock;
import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * At most one message per interval per target channel (Slack allows about one message per second per channel),
 * without ever sleeping: {@link #reserve} either takes the slot and answers zero, or answers how long to wait, and
 * the task hands that wait to Connect ({@code RetriableException} + {@code context.timeout}). A target's own
 * {@code Retry-After} pushes the channel's next slot out with {@link #holdUntil}. Keeps at most 10,000 channels,
 * forgetting the least recently used. Used from the task thread only.
 */
public final class ChannelRateLimiter {

    private final Duration interval;
    private final Clock clock;
    private final Cache<String, Long> nextSlot = Caffeine.newBuilder().maximumSize(10_000).build();

    public ChannelRateLimiter(Duration interval, Clock clock) {
        this.interval = interval;
        this.clock = clock;
    }

    /** Zero if a message to {@code channel} may go now (and the slot is taken), else the time to wait. */
    public Duration reserve(String channel) {
        long now = clock.millis();
        Long next = nextSlot.getIfPresent(channel);
        if (next != null && next > now) {
            return Duration.ofMillis(next - now);
        }
        nextSlot.put(channel, now + interval.toMillis());
        return Duration.ZERO;
    }

    /** No message to {@code channel} before now + {@code wait}. */
    public void holdUntil(String channel, Duration wait) {
        long until = clock.millis() + wait.toMillis();
        nextSlot.asMap().merge(channel, until, Math::max);
    }
}
