package dev.shipstream.streams.enrich;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a lookup learnt about an entity: only what the webhook lacks. Fields the API did not give are null.
 *
 * @param apiState the entity's state as the API reported it ({@code appVersionState}, the build upload's {@code
 *                 state.state}, {@code externalBuildState}); used to decide whether a cached result still fits an
 *                 event, not copied into it (the webhook's own state is authoritative)
 * @param versionString the marketing version
 * @param buildNumber the build number ({@code CFBundleVersion})
 * @param appId the App Store Connect app id
 * @param appName the app's name
 * @param bundleId the bundle id
 * @param platform the API's platform value, e.g. {@code IOS}
 * @param errors errors the API reported for the entity, e.g. a build upload's state errors
 * @param extras further details for {@code DeliveryEvent.extras}, keyed by {@link EnrichmentExtras}
 */
public record EntityDetails(String apiState, String versionString, String buildNumber, String appId, String appName,
                            String bundleId, String platform, List<Problem> errors, Map<String, String> extras) {

    /** Copies the collections. */
    public EntityDetails {
        errors = List.copyOf(Objects.requireNonNull(errors, "errors"));
        extras = Map.copyOf(Objects.requireNonNull(extras, "extras"));
    }

    /**
     * An error or warning the API reported.
     *
     * @param code the API's code, e.g. {@code 90683}; may be null
     * @param message the API's description
     */
    public record Problem(String code, String message) {
        /** Requires a message. */
        public Problem {
            Objects.requireNonNull(message, "message");
        }
    }
}
