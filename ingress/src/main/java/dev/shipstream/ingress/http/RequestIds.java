package dev.shipstream.ingress.http;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: time-ordered UUIDs (version 7 layout: 48-bit Unix milliseconds, then 74 random bits), so ids sort by
 * arrival and are unique across ingress instances without coordination. Uses {@link ThreadLocalRandom}, not
 * {@code SecureRandom}: ids are identifiers, not secrets, and must not contend on a lock on the request path.
 */
public final class RequestIds {

    private RequestIds() {
    }

    /** A new request id for a request that arrived at {@code millis} ({@link System#currentTimeMillis()}). */
    public static String next(long millis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
