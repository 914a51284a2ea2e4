package dev.shipstream.streams.enrich;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * One App Store Connect review submission ({@code reviewSubmissions}) as far as review cycles need it.
 *
 * @param id            the review submission's id
 * @param versionId     the id of its {@code appStoreVersionForReview}, or null when it has none (e.g. a submission of
 *                      in-app events only)
 * @param submittedDate its {@code submittedDate}, or null when not submitted yet or unreadable
 * @param state         its {@code state} ({@code WAITING_FOR_REVIEW}, {@code COMPLETE}, ...), or null
 */
public record ReviewSubmission(String id, String versionId, Instant submittedDate, String state) {

    /** Requires an id. */
    public ReviewSubmission {
        Objects.requireNonNull(id, "id");
    }

    /**
     * The submission a state change of a version followed: the latest one for that version submitted at or before
     * the change. A submission after the change cannot be the one it followed; an earlier one of the same version may
     * be, which is why the review-cycle state machine accepts the date only inside the cycle's bounds.
     *
     * @param submissions the app's review submissions, in any order
     * @param versionId   the App Store version
     * @param occurredAt  the state change's event time
     * @return the submission, or empty when none of the version was submitted by then
     */
    public static Optional<ReviewSubmission> latestFor(Collection<ReviewSubmission> submissions, String versionId,
                                                       Instant occurredAt) {
        return submissions.stream()
                .filter(s -> versionId.equals(s.versionId()) && s.submittedDate() != null
                        && !s.submittedDate().isAfter(occurredAt))
                .max(Comparator.comparing(ReviewSubmission::submittedDate).thenComparing(ReviewSubmission::id));
    }
}
