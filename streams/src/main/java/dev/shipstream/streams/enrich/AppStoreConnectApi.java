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

    /** Releases the client's resources; the default has none. */
    @Override
    default void close() {
    }
}
