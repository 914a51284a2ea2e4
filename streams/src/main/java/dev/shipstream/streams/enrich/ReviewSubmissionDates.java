package dev.shipstream.streams.enrich;

import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.EventCategory;
import dev.shipstream.streams.normalize.AppVersionStates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Adds to an enriched App Store version state change past a submission ({@code IN_REVIEW} or a decision, see {@link
 * AppVersionStates#isPastSubmission}) the {@code submittedDate} of the review submission it followed: the app's review
 * submissions are listed ({@link AppStoreConnectApi#reviewSubmissions}), and the latest one for this version
 * submitted at or before the event's {@code occurredAt} is written to the extras {@link
 * EnrichmentExtras#REVIEW_SUBMITTED_DATE} (UTC ISO-8601) and {@link EnrichmentExtras#REVIEW_SUBMISSION_ID}.
 *
 * <p>It never holds or drops an event: a listing the budget does not allow now, a failed one (429, 5xx, timeout,
 * 401/403, an unreadable answer) or no fitting submission leaves the event as it was, plus {@link
 * EnrichmentExtras#REVIEW_SUBMISSION_UNAVAILABLE} with the reason, and counts it in {@code
 * shipstream.enrichment.review.submission.dates}. The listing spends the same request budget as the lookups: a 429
 * pauses them all, a 401 starts the auth pause. A 403 does not: a key whose role may read versions but not review
 * submissions must not stop the lookups that work. Lists, and listings refused for good (403, 404, another 4xx),
 * are cached per app ({@link ReviewSubmissionCache}).
 */
final class ReviewSubmissionDates {

    private static final Logger LOG = LoggerFactory.getLogger(ReviewSubmissionDates.class);
    private static final String VERSION_ENTITY_TYPE = "appStoreVersions";

    private final AppStoreConnectApi api;
    private final RequestBudget budget;
    private final ReviewSubmissionCache cache;
    private final EnrichmentMetrics metrics;

    ReviewSubmissionDates(AppStoreConnectApi api, RequestBudget budget, ReviewSubmissionCache cache,
                          EnrichmentMetrics metrics) {
        this.api = api;
        this.budget = budget;
        this.cache = cache;
        this.metrics = metrics;
    }

    /** Whether the event is an App Store version's change to {@code IN_REVIEW} or a decision. */
    static boolean wants(DeliveryEvent event) {
        return event.getCategory() == EventCategory.APP_VERSION_STATE
                && event.getEntity() != null
                && VERSION_ENTITY_TYPE.equals(event.getEntity().getType())
                && event.getOccurredAt() != null
                && AppVersionStates.isPastSubmission(event.getNewState());
    }

    /**
     * The event with its review submission date, or with the reason there is none; any other event unchanged.
     *
     * @param event     an enriched event
     * @param now       the stream's wall-clock time
     * @param mayLookup false when no request may be made now (a punctuation out of time); the cache still answers
     * @return the event to emit
     */
    DeliveryEvent add(DeliveryEvent event, long now, boolean mayLookup) {
        if (!wants(event)) {
            return event;
        }
        String appId = event.getApp() == null ? null : event.getApp().getId();
        if (appId == null) {
            return unavailable(event, "the app id is unknown");
        }
        Optional<ReviewSubmissionCache.Known> cached = cache.get(appId, event.getOccurredAt().toEpochMilli(), now);
        List<ReviewSubmission> submissions;
        if (cached.isPresent() && cached.get().refusal() != null) {
            return unavailable(event, cached.get().refusal());
        } else if (cached.isPresent()) {
            submissions = cached.get().submissions();
        } else {
            Optional<String> authFailure = budget.authFailure(now);
            if (authFailure.isPresent()) {
                return unavailable(event, authFailure.get());
            }
            if (!mayLookup) {
                return unavailable(event, "no time left in this punctuation to list the review submissions");
            }
            if (!budget.allows(now)) {
                return unavailable(event, "waiting for the App Store Connect request budget");
            }
            ReviewSubmissions result = api.reviewSubmissions(appId);
            if (result.failure() != null) {
                return failed(event, appId, result.failure(), now);
            }
            budget.record(ApiResult.Kind.FOUND, result.rateLimit(), Optional.empty(), null, now);
            submissions = result.submissions().orElseThrow();
            cache.put(appId, submissions, now);
        }
        Optional<ReviewSubmission> match = ReviewSubmission.latestFor(submissions, event.getEntity().getId(),
                event.getOccurredAt());
        if (match.isEmpty()) {
            metrics.reviewSubmissionDate("none");
            return EnrichedEvents.withExtras(event, Map.of(EnrichmentExtras.REVIEW_SUBMISSION_UNAVAILABLE,
                    "no review submission of this version submitted by " + event.getOccurredAt() + " among the "
                            + submissions.size() + " of the app"));
        }
        metrics.reviewSubmissionDate("found");
        return EnrichedEvents.withExtras(event, Map.of(
                EnrichmentExtras.REVIEW_SUBMITTED_DATE, match.get().submittedDate().toString(),
                EnrichmentExtras.REVIEW_SUBMISSION_ID, match.get().id()));
    }

    private DeliveryEvent failed(DeliveryEvent event, String appId, ApiResult failure, long now) {
        boolean forbidden = failure.kind() == ApiResult.Kind.UNAUTHORIZED && failure.httpStatus() == 403;
        ApiResult.Kind kind = forbidden ? ApiResult.Kind.REJECTED : failure.kind();
        boolean authPauseStarted = budget.record(kind, failure.rateLimit(), failure.retryAfter(), failure.reason(),
                now);
        String reason = "review submissions: " + failure.reason();
        if (kind == ApiResult.Kind.REJECTED || kind == ApiResult.Kind.NOT_FOUND) {
            cache.refused(appId, reason, now);
        }
        if (kind == ApiResult.Kind.UNAUTHORIZED) {
            metrics.authFailure(failure.httpStatus());
            if (authPauseStarted) {
                // Loud once per pause, as for the lookups; the reason holds the API's error code, no secret.
                LOG.error("App Store Connect refused the API key listing review submissions ({}); no lookups "
                        + "during the auth pause. Check the key id, issuer id, key file and the key's role.",
                        failure.reason());
            }
        }
        return unavailable(event, reason);
    }

    private DeliveryEvent unavailable(DeliveryEvent event, String reason) {
        metrics.reviewSubmissionDate("unavailable");
        return EnrichedEvents.withExtras(event, Map.of(EnrichmentExtras.REVIEW_SUBMISSION_UNAVAILABLE, reason));
    }
}
