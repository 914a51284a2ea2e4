package dev.shipstream.streams.enrich;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * The held events of one task, per entity key in arrival order, over two persistent stores.
 *
 * <ul>
 *   <li>held: {@code <entityKey> NUL <sequence>} to the {@link ParkedEvent}; the zero-padded sequence makes the
 *       byte order of the keys the arrival order.</li>
 *   <li>schedule: {@code t NUL <dueAt> NUL <entityKey>} for every holding entity (a time-ordered index, so a
 *       punctuation reads only what is due) and {@code e NUL <entityKey>} to the same {@code dueAt} (so an entity
 *       is known to hold events with one point lookup, and its index entry can be moved).</li>
 * </ul>
 * Only an entity's first event (its head) is ever tried; the head's due time is what the schedule holds.
 */
final class HoldQueue {

    private static final char SEP = '\u0000';
    private static final char AFTER_SEP = '\u0001';

    /** A held event and its store key. */
    record Held(String storeKey, ParkedEvent parked) {
    }

    private final KeyValueStore<String, ParkedEvent> held;
    private final KeyValueStore<String, Long> schedule;
    private final ToLongFunction<ParkedEvent> dueAt;
    // Written by the stream thread only; volatile because the held-events gauge reads it from another thread.
    private volatile long total;

    HoldQueue(KeyValueStore<String, ParkedEvent> held, KeyValueStore<String, Long> schedule,
              ToLongFunction<ParkedEvent> dueAt) {
        this.held = held;
        this.schedule = schedule;
        this.dueAt = dueAt;
        long count = 0;
        // Counted once at start-up (the store is bounded); afterwards kept up to date by this class.
        try (KeyValueIterator<String, ParkedEvent> all = held.all()) {
            while (all.hasNext()) {
                all.next();
                count++;
            }
        }
        this.total = count;
    }

    /** Events held in this task. */
    long total() {
        return total;
    }

    /** Whether the entity has held events. */
    boolean isHolding(String entityKey) {
        // Nothing held (the usual case): no store lookup for every event.
        return total > 0 && schedule.get(entityEntry(entityKey)) != null;
    }

    /** The number of events the entity holds. */
    int size(String entityKey) {
        int count = 0;
        try (KeyValueIterator<String, ParkedEvent> range = held.range(entityKey + SEP, entityKey + AFTER_SEP)) {
            while (range.hasNext()) {
                range.next();
                count++;
            }
        }
        return count;
    }

    /** The entity's oldest held event. */
    Optional<Held> head(String entityKey) {
        try (KeyValueIterator<String, ParkedEvent> range = held.range(entityKey + SEP, entityKey + AFTER_SEP)) {
            if (range.hasNext()) {
                KeyValue<String, ParkedEvent> first = range.next();
                return Optional.of(new Held(first.key, first.value));
            }
            return Optional.empty();
        }
    }

    /** Adds an event behind the entity's others; it becomes the head, and is scheduled, when there are none. */
    void append(String entityKey, ParkedEvent parked) {
        long sequence = 0;
        try (KeyValueIterator<String, ParkedEvent> last =
                     held.reverseRange(entityKey + SEP, entityKey + AFTER_SEP)) {
            if (last.hasNext()) {
                String key = last.next().key;
                sequence = Long.parseLong(key.substring(key.lastIndexOf(SEP) + 1)) + 1;
            }
        }
        held.put(entityKey + SEP + String.format("%019d", sequence), parked);
        total++;
        if (!isHolding(entityKey)) {
            schedule(entityKey, dueAt.applyAsLong(parked));
        }
    }

    /** Stores the head's new retry state and moves its schedule entry. */
    void replaceHead(String entityKey, Held head, ParkedEvent updated) {
        held.put(head.storeKey(), updated);
        schedule(entityKey, dueAt.applyAsLong(updated));
    }

    /** Removes the head; the next event, if any, becomes the head and is scheduled by its own due time. */
    void removeHead(String entityKey, Held head) {
        held.delete(head.storeKey());
        total--;
        Optional<Held> next = head(entityKey);
        if (next.isPresent()) {
            schedule(entityKey, dueAt.applyAsLong(next.get().parked()));
        } else {
            unschedule(entityKey);
        }
    }

    /**
     * Entities whose head is due, earliest first.
     *
     * @param now the current time
     * @param limit the most entities returned
     * @return their keys
     */
    List<String> due(long now, int limit) {
        List<String> keys = new ArrayList<>();
        String from = "t" + SEP;
        String to = "t" + SEP + pad(Math.max(now, 0)) + AFTER_SEP;
        try (KeyValueIterator<String, Long> range = schedule.range(from, to)) {
            while (range.hasNext() && keys.size() < limit) {
                String key = range.next().key;
                keys.add(key.substring(key.indexOf(SEP, 2) + 1));
            }
        }
        return keys;
    }

    private void schedule(String entityKey, long at) {
        unschedule(entityKey);
        long dueTime = Math.max(at, 0);
        schedule.put(indexEntry(dueTime, entityKey), dueTime);
        schedule.put(entityEntry(entityKey), dueTime);
    }

    private void unschedule(String entityKey) {
        Long previous = schedule.delete(entityEntry(entityKey));
        if (previous != null) {
            schedule.delete(indexEntry(previous, entityKey));
        }
    }

    private static String entityEntry(String entityKey) {
        return "e" + SEP + entityKey;
    }

    private static String indexEntry(long dueAt, String entityKey) {
        return "t" + SEP + pad(dueAt) + SEP + entityKey;
    }

    private static String pad(long value) {
        return String.format("%019d", value);
    }
}
