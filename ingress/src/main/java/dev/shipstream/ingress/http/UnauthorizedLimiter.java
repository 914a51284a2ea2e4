package dev.shipstream.ingress.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Slows down guessing of tokens and signatures: counts 401 answers per client address in fixed windows, and once
 * an address had {@code max} of them in its current window, its further webhook requests are refused (429 with
 * {@code Retry-After}, before verification and before the body is read) until the window ends.
 *
 * <p>Bounded: at most {@value #MAX_ADDRESSES} addresses are tracked (Caffeine evicts the least useful beyond that,
 * which at worst forgets an attacker early, never blocks an innocent address), and an entry expires with its window.
 * Thread-safe; shared by every event loop of one ingress.
 */
public final class UnauthorizedLimiter {

    /** Addresses tracked at most. */
    static final int MAX_ADDRESSES = 100_000;

    private final int max;
    private final long windowNanos;
    private final Ticker ticker;
    private final Cache<String, Window> windows;

    /** @param max 401 answers allowed per address and window */
    public UnauthorizedLimiter(int max, Duration window) {
        this(max, window, Ticker.systemTicker());
    }

    UnauthorizedLimiter(int max, Duration window, Ticker ticker) {
        this.max = max;
        this.windowNanos = window.toNanos();
        this.ticker = ticker;
        this.windows = Caffeine.newBuilder()
                .maximumSize(MAX_ADDRESSES)
                .expireAfterWrite(window)
                .ticker(ticker)
                .build();
    }

    /** Counts one 401 answered to {@code address}. */
    public void recordUnauthorized(String address) {
        long now = ticker.read();
        windows.asMap().compute(address, (a, w) -> w == null || now - w.start >= windowNanos
                ? new Window(now, 1) : new Window(w.start, w.count + 1));
    }

    /** Seconds until {@code address} may try again (at least 1), or empty if it may now. */
    public OptionalLong retryAfterSeconds(String address) {
        Window window = windows.getIfPresent(address);
        if (window == null || window.count < max) {
            return OptionalLong.empty();
        }
        long remaining = window.start + windowNanos - ticker.read();
        if (remaining <= 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(1, (remaining + 999_999_999L) / 1_000_000_000L));
    }

    /** Immutable, so that concurrent readers never see a half-updated window. */
    private record Window(long start, int count) {
    }
}
