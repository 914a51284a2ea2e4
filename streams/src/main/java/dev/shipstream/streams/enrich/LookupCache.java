package dev.shipstream.streams.enrich;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Recent lookup results by entity, least recently used first out, each valid for a fixed time. Bounded by entry
 * count; thread-safe. Times are epoch milliseconds passed in by the caller.
 *
 * <p>A result is only reused for an event whose new state equals the state the API reported when it was looked up
 * (when both are known): a build upload looked up while {@code PROCESSING} has no errors yet and must not answer for
 * its {@code FAILED} event.
 */
final class LookupCache {

    private record Entry(EntityDetails details, long expiresAt) {
    }

    private final int capacity;
    private final long ttlMillis;
    private final LinkedHashMap<String, Entry> entries;

    LookupCache(int capacity, Duration ttl) {
        this.capacity = capacity;
        this.ttlMillis = ttl.toMillis();
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > LookupCache.this.capacity;
            }
        };
    }

    /**
     * A fresh result for the entity that fits the event's state.
     *
     * @param entityType the entity type
     * @param entityId the entity id
     * @param eventState the event's new state, or null
     * @param now the current time
     * @return the details, or empty on a miss
     */
    synchronized Optional<EntityDetails> get(String entityType, String entityId, String eventState, long now) {
        String key = key(entityType, entityId);
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (now >= entry.expiresAt()) {
            entries.remove(key);
            return Optional.empty();
        }
        String apiState = entry.details().apiState();
        if (eventState != null && apiState != null && !Objects.equals(eventState, apiState)) {
            return Optional.empty();
        }
        return Optional.of(entry.details());
    }

    /** Remembers a result until {@code now + ttl}. */
    synchronized void put(String entityType, String entityId, EntityDetails details, long now) {
        if (capacity == 0) {
            return;
        }
        entries.put(key(entityType, entityId), new Entry(details, now + ttlMillis));
    }

    /** The number of entries, expired ones included until they are next touched. */
    synchronized int size() {
        return entries.size();
    }

    private static String key(String entityType, String entityId) {
        return entityType + '\u0000' + entityId;
    }
}
