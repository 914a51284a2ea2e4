package dev.shipstream.streams.enrich;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of listing an app's review submissions: every submission, or the failure.
 *
 * @param submissions the app's review submissions (every page), present exactly when {@code failure} is null
 * @param failure     why the list could not be read, with the kind that says whether and how to back off
 * @param rateLimit   the last {@code X-Rate-Limit} header seen
 */
public record ReviewSubmissions(Optional<List<ReviewSubmission>> submissions, ApiResult failure,
                                Optional<RateLimitHeader> rateLimit) {

    /** Checks the invariants and copies the list. */
    public ReviewSubmissions {
        Objects.requireNonNull(submissions, "submissions");
        Objects.requireNonNull(rateLimit, "rateLimit");
        if (submissions.isPresent() == (failure != null)) {
            throw new IllegalArgumentException("exactly one of submissions and failure must be given");
        }
        submissions = submissions.map(List::copyOf);
    }

    /** Every submission of the app. */
    public static ReviewSubmissions found(List<ReviewSubmission> submissions, Optional<RateLimitHeader> rateLimit) {
        return new ReviewSubmissions(Optional.of(submissions), null, rateLimit);
    }

    /** A failure; its rate limit is the failure's. */
    public static ReviewSubmissions failed(ApiResult failure) {
        return new ReviewSubmissions(Optional.empty(), Objects.requireNonNull(failure, "failure"),
                failure.rateLimit());
    }
}
