package dev.shipstream.streams.enrich;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one lookup: the details found, or the failure and whether it is worth retrying.
 *
 * @param kind what happened
 * @param httpStatus the last HTTP status seen, 0 when no response came (timeout, connection failure)
 * @param details the entity's details, present exactly when {@code kind} is {@link Kind#FOUND}
 * @param reason why the lookup failed, for the event's {@code enrichment.reason}; never contains a secret
 * @param rateLimit the last {@code X-Rate-Limit} header seen
 * @param retryAfter the wait a 429's {@code Retry-After} asked for
 */
public record ApiResult(Kind kind, int httpStatus, Optional<EntityDetails> details, String reason,
                        Optional<RateLimitHeader> rateLimit, Optional<Duration> retryAfter) {

    /** Kinds of outcome, each with its own handling in the stage. */
    public enum Kind {
        /** 200 with a readable document. */
        FOUND,
        /** 404: the API may not show a just-created entity yet, so the event is retried, without pausing others. */
        NOT_FOUND,
        /** Timeout, connection failure, 408 or 5xx: retried, and all lookups pause briefly. */
        TRANSIENT,
        /** 429: retried; all lookups pause for {@code Retry-After} or an exponential backoff. */
        RATE_LIMITED,
        /** 401/403: the key is wrong, revoked or lacks the role; no retry until the auth pause ends. */
        UNAUTHORIZED,
        /** Anything a retry cannot fix (other 4xx, an unreadable document, an unsupported entity type). */
        REJECTED
    }

    /** Checks the invariants. */
    public ApiResult {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(details, "details");
        Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (details.isPresent() != (kind == Kind.FOUND)) {
            throw new IllegalArgumentException("details must be present exactly for FOUND");
        }
        if (kind != Kind.FOUND) {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A 200 with its details. */
    public static ApiResult found(EntityDetails details, Optional<RateLimitHeader> rateLimit) {
        return new ApiResult(Kind.FOUND, 200, Optional.of(details), null, rateLimit, Optional.empty());
    }

    /** A failure of the given kind. */
    public static ApiResult failure(Kind kind, int httpStatus, String reason, Optional<RateLimitHeader> rateLimit,
                                    Optional<Duration> retryAfter) {
        return new ApiResult(kind, httpStatus, Optional.empty(), reason, rateLimit, retryAfter);
    }

    /** A failure with no rate-limit information. */
    public static ApiResult failure(Kind kind, int httpStatus, String reason) {
        return failure(kind, httpStatus, reason, Optional.empty(), Optional.empty());
    }
}
