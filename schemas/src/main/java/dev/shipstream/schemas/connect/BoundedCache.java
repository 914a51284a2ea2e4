package dev.shipstream.schemas.connect;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A thread-safe least-recently-used map with a fixed capacity: once full, adding an entry evicts the entry
 * that was used longest ago. Values are computed outside the lock, so two threads missing the same key at
 * once may both compute it; the conversions cached here are pure, so either result is correct.
 */
final class BoundedCache<K, V> {

    private final int capacity;
    private final Map<K, V> entries;

    BoundedCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("cache capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > BoundedCache.this.capacity;
            }
        };
    }

    V computeIfAbsent(K key, Function<? super K, ? extends V> compute) {
        synchronized (entries) {
            V cached = entries.get(key);
            if (cached != null) {
                return cached;
            }
        }
        V computed = compute.apply(key);
        synchronized (entries) {
            entries.put(key, computed);
        }
        return computed;
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    int capacity() {
        return capacity;
    }
}
