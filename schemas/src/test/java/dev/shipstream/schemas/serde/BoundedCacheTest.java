package dev.shipstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class BoundedCacheTest {

    @Test
    void computesEachKeyOnceWhileItIsCached() {
        BoundedCache<String, Integer> cache = new BoundedCache<>(4);
        AtomicInteger computations = new AtomicInteger();
        assertThat(cache.computeIfAbsent("a", k -> computations.incrementAndGet())).isEqualTo(1);
        assertThat(cache.computeIfAbsent("a", k -> computations.incrementAndGet())).isEqualTo(1);
        assertThat(computations).hasValue(1);
    }

    @Test
    void evictsTheLeastRecentlyUsedEntryWhenFull() {
        BoundedCache<String, String> cache = new BoundedCache<>(2);
        cache.computeIfAbsent("a", k -> "A");
        cache.computeIfAbsent("b", k -> "B");
        cache.computeIfAbsent("a", k -> "not recomputed");
        cache.computeIfAbsent("c", k -> "C");

        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.computeIfAbsent("a", k -> "recomputed")).isEqualTo("A");
        assertThat(cache.computeIfAbsent("b", k -> "recomputed")).isEqualTo("recomputed");
    }

    @Test
    void rejectsANonPositiveCapacity() {
        assertThatThrownBy(() -> new BoundedCache<String, String>(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
