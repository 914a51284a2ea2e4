package dev.shipstream.streams.enrich;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Recent review submission lists by app, bounded by entry count (Caffeine, least recently used out), each valid for
 * a fixed time. Thread-safe. Times are epoch milliseconds passed in by the caller (the stream's wall-clock time), so
 * expiry follows the same clock as the rest of the stage.
 *
 * <p>A list answers only for a state change that happened before it was fetched: a list fetched earlier may lack the
 * submission that change followed (a resubmission after the fetch), so such a change fetches again.
 */
final class ReviewSubmissionCache {

    private record Entry(List<ReviewSubmission> submissions, long fetchedAt) {
    }

    private final long ttlMillis;
    private final Cache<String, Entry> entries;

    ReviewSubmissionCache(int capacity, Duration ttl) {
        this.ttlMillis = ttl.toMillis();
        // Eviction on the caller's thread: no background work, and the bound holds at once.
        this.entries = Caffeine.newBuilder().maximumSize(capacity).executor(Runnable::run).build();
    }

    /**
     * A fresh list for the app that was fetched at or after the change.
     *
     * @param appId      the app
     * @param occurredAt the state change's event time
     * @param now        the current time
     * @return the submissions, or empty on a miss
     */
    Optional<List<ReviewSubmission>> get(String appId, long occurredAt, long now) {
        Entry entry = entries.getIfPresent(appId);
        if (entry == null) {
            return Optional.empty();
        }
        if (now >= entry.fetchedAt() + ttlMillis) {
            entries.asMap().remove(appId, entry);
            return Optional.empty();
        }
        return entry.fetchedAt() >= occurredAt ? Optional.of(entry.submissions()) : Optional.empty();
    }

    /** Remembers a list fetched at {@code now} until {@code now + ttl}. */
    void put(String appId, List<ReviewSubmission> submissions, long now) {
        entries.put(appId, new Entry(List.copyOf(submissions), now));
    }
}
