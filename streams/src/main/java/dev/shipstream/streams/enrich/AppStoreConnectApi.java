package dev.shipstream.streams.enrich;

/**
 * Looks up the App Store Connect resource a webhook is about. The production implementation is {@link
 * AppStoreConnectClient}; tests pass a fake.
 *
 * <p>Implementations build the request from the entity type and id alone (never from a link in the payload), bound
 * the time a lookup takes, and never throw: every failure is an {@link ApiResult} that says whether it is worth
 * retrying.
 */
public interface AppStoreConnectApi extends AutoCloseable {

    /**
     * Looks up one entity.
     *
     * @param entityType the webhook's {@code relationships.instance.data.type}, e.g. {@code appStoreVersions}
     * @param entityId the entity's id
     * @return what the API answered
     */
    ApiResult lookup(String entityType, String entityId);

    /**
     * Lists every review submission of an app, with the App Store version each is for ({@code GET
     * /v1/reviewSubmissions?filter[app]=<appId>&include=appStoreVersionForReview}, every page). There is no webhook
     * for review submissions; their {@code submittedDate} is the submission time a missed {@code WAITING_FOR_REVIEW}
     * webhook would have given.
     *
     * <p>The default lists nothing (a {@link ApiResult.Kind#REJECTED} failure), so an API given as a lambda, e.g. a
     * test's, enriches entities only.
     *
     * @param appId the App Store Connect app id
     * @return the submissions, or the failure
     */
    default ReviewSubmissions reviewSubmissions(String appId) {
        return ReviewSubmissions.failed(ApiResult.failure(ApiResult.Kind.REJECTED, 0,
                "this App Store Connect API does not list review submissions"));
    }

    /** Releases the client's resources; the default has none. */
    @Override
    default void close() {
    }
}
