package dev.shipstream.streams.enrich;

import java.time.Duration;
import java.util.Optional;

/**
 * The request budget of one API key, shared by every stream thread of the instance. It decides whether a lookup may
 * be made now and, if not, when the next may be.
 *
 * <ul>
 *   <li>{@code X-Rate-Limit}: at or below the reserve of remaining requests, only one probing request per low-quota
 *       pause is allowed (the rolling hour frees requests gradually, and each answer reports the new remainder).</li>
 *   <li>429: everything pauses for {@code Retry-After} when given, otherwise for an exponential backoff, whatever
 *       the header said was left (Apple also limits bursts, undocumented).</li>
 *   <li>Timeouts, connection failures and 5xx: everything pauses briefly, growing while failures last, so a slow API
 *       costs the stream thread one timeout per pause rather than one per event.</li>
 *   <li>401/403: no lookup for the auth pause; events go out unavailable meanwhile with {@link #authFailure}.</li>
 * </ul>
 *
 * <p>Times are epoch milliseconds passed in by the caller (the stream's wall-clock time). Thread-safe.
 */
final class RequestBudget {

    private final EnrichmentSettings settings;

    private long remaining = -1;
    private long rateLimitedUntil;
    private int consecutiveRateLimits;
    private long failurePausedUntil;
    private int consecutiveFailures;
    private long lowQuotaUntil;
    private long authRejectedUntil;
    private String authReason;

    RequestBudget(EnrichmentSettings settings) {
        this.settings = settings;
    }

    /** Whether a lookup may be made at {@code now}. */
    synchronized boolean allows(long now) {
        return now >= nextAllowedAt(now);
    }

    /** The earliest time a lookup may be made; {@code now} or earlier when one may be made now. */
    synchronized long nextAllowedAt(long now) {
        return Math.max(Math.max(rateLimitedUntil, failurePausedUntil), Math.max(lowQuotaUntil, authRejectedUntil));
    }

    /** The reason of the last 401/403 while its pause lasts. */
    synchronized Optional<String> authFailure(long now) {
        return now < authRejectedUntil ? Optional.ofNullable(authReason) : Optional.empty();
    }

    /** The last remaining count the API reported, -1 before the first answer. */
    synchronized long remaining() {
        return remaining;
    }

    /**
     * Takes in a lookup's outcome.
     *
     * @param result the outcome
     * @param now when it arrived
     * @return true when this outcome started an auth pause (so the caller logs it once, loudly)
     */
    synchronized boolean record(ApiResult result, long now) {
        return record(result.kind(), result.rateLimit(), result.retryAfter(), result.reason(), now);
    }

    /**
     * Takes in the outcome of a request that is not an entity lookup (e.g. the review submission list).
     *
     * @param kind what happened ({@link ApiResult.Kind#FOUND} for an answer that was read)
     * @param rateLimit the last {@code X-Rate-Limit} header seen
     * @param retryAfter the wait a 429 asked for
     * @param reason the failure's reason, or null
     * @param now when it arrived
     * @return true when this outcome started an auth pause
     */
    synchronized boolean record(ApiResult.Kind kind, Optional<RateLimitHeader> rateLimit,
                                Optional<Duration> retryAfter, String reason, long now) {
        rateLimit.ifPresent(limit -> {
            remaining = limit.remaining();
            if (remaining <= settings.quotaReserve()) {
                lowQuotaUntil = now + settings.lowQuotaPause().toMillis();
            } else {
                lowQuotaUntil = 0;
            }
        });
        switch (kind) {
            case RATE_LIMITED -> {
                consecutiveRateLimits++;
                Duration max = settings.rateLimitBackoffMax();
                Duration wait = retryAfter
                        .map(d -> d.compareTo(max) > 0 ? max : d)
                        .orElseGet(() -> exponential(settings.rateLimitBackoff(), max, consecutiveRateLimits));
                rateLimitedUntil = now + wait.toMillis();
            }
            case TRANSIENT -> {
                consecutiveFailures++;
                failurePausedUntil = now
                        + exponential(settings.failurePause(), settings.failurePauseMax(), consecutiveFailures)
                        .toMillis();
            }
            case UNAUTHORIZED -> {
                boolean started = now >= authRejectedUntil;
                authRejectedUntil = now + settings.authPause().toMillis();
                authReason = reason;
                return started;
            }
            case FOUND, NOT_FOUND, REJECTED -> {
                // The API answered normally: whatever was failing has recovered.
                consecutiveRateLimits = 0;
                consecutiveFailures = 0;
            }
        }
        return false;
    }

    /** {@code base * 2^(n-1)}, capped at {@code max}. */
    static Duration exponential(Duration base, Duration max, int n) {
        int shift = Math.min(Math.max(n - 1, 0), 30);
        long millis = base.toMillis();
        long scaled = millis > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : millis << shift;
        return scaled > max.toMillis() ? max : Duration.ofMillis(scaled);
    }
}
