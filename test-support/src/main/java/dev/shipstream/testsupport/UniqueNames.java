package dev.shipstream.testsupport;

import java.util.concurrent.atomic.AtomicInteger;

/** Hands out names unique within this JVM, so tests sharing a broker do not share topics or group ids. */
final class UniqueNames {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private UniqueNames() {
    }

    static String next(String prefix) {
        return prefix + "-" + COUNTER.incrementAndGet();
    }
}
