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
 * submission that change followed (a resubmission after the fetch), so such a change fetches again. A listing the API
 * refused for good (404, 403, another 4xx, an unreadable or too long answer) is remembered as such for the same time
 * and answers every change of the app: asking again for each event would not change the answer, and would cost a
 * request per event. Failures that heal (429, 5xx, timeouts) are not remembered here; the request budget's pauses
 * space their retries.
 */
final class ReviewSubmissionCache {

    /**
     * What is known about an app's submissions.
     *
     * @param submissions every submission, or null when the listing was refused
     * @param refusal     why the listing was refused, or null
     */
    record Known(List<ReviewSubmission> submissions, String refusal) {
    }

    private record Entry(Known known, long fetchedAt) {
    }

    private final long ttlMillis;
    private final Cache<String, Entry> entries;

    ReviewSubmissionCache(int capacity, Duration ttl) {
        this.ttlMillis = ttl.toMillis();
        // Eviction on the caller's thread: no background work, and the bound holds at once.
        this.entries = Caffeine.newBuilder().maximumSize(capacity).executor(Runnable::run).build();
    }

    /**
     * A fresh answer for the app: a list fetched at or after the change, or a refusal.
     *
     * @param appId      the app
     * @param occurredAt the state change's event time
     * @param now        the current time
     * @return what is known, or empty on a miss
     */
    Optional<Known> get(String appId, long occurredAt, long now) {
        Entry entry = entries.getIfPresent(appId);
        if (entry == null) {
            return Optional.empty();
        }
        if (now >= entry.fetchedAt() + ttlMillis) {
            entries.asMap().remove(appId, entry);
            return Optional.empty();
        }
        boolean answers = entry.known().refusal() != null || entry.fetchedAt() >= occurredAt;
        return answers ? Optional.of(entry.known()) : Optional.empty();
    }

    /** Remembers a list fetched at {@code now} until {@code now + ttl}. */
    void put(String appId, List<ReviewSubmission> submissions, long now) {
        entries.put(appId, new Entry(new Known(List.copyOf(submissions), null), now));
    }

    /** Remembers that the API refused to list the app's submissions, until {@code now + ttl}. */
    void refused(String appId, String reason, long now) {
        entries.put(appId, new Entry(new Known(null, reason), now));
    }
}
