package dev.shipstream.streams.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipstream.schemas.Entity;
import dev.shipstream.schemas.Source;

import java.util.Optional;

/**
 * The one definition of which entity a webhook is about and of its record key, {@code <prefix>:<type>:<id>}.
 *
 * <p>Records of one entity share the key and so stay in order on one partition (design decision 4). The ingress keys
 * the raw topic by the same rule, so this class and the ingress must agree:
 * <ul>
 *   <li>App Store Connect: {@code asc:<type>:<id>} of {@code data.relationships.instance.data}, or of
 *       {@code data.relationships.instance} itself when the {@code data} wrapper is missing (background-asset
 *       events). Events without a usable instance (the ping, {@code alternativeDistributionTerritoryAvailabilityUpdated})
 *       are their own entity: {@code asc:<data.type>:<data.id>}.</li>
 *   <li>Expo EAS: {@code eas:build:<id>} or {@code eas:submit:<id>}, told apart by their fields (see
 *       {@link #easEntityType(JsonNode)}).</li>
 *   <li>Ionic Appflow: {@code appflow:build:<id>}, the build's top-level {@code id}, or {@code buildInfo.id} when that
 *       is missing.</li>
 * </ul>
 */
public final class EntityKeys {

    /** Key prefix of App Store Connect entities. */
    public static final String APP_STORE_CONNECT_PREFIX = "asc";
    /** Key prefix of Expo EAS entities. */
    public static final String EAS_PREFIX = "eas";
    /** Key prefix of Ionic Appflow entities. */
    public static final String APPFLOW_PREFIX = "appflow";
    /** Entity type of an EAS build, also the event type of its webhook. */
    public static final String EAS_BUILD = "build";
    /** Entity type of an EAS submission, also the event type of its webhook. */
    public static final String EAS_SUBMIT = "submit";
    /** Entity type of an Appflow build (package and deploy automations alike). */
    public static final String APPFLOW_BUILD = "build";

    private EntityKeys() {
    }

    /**
     * Formats a key.
     *
     * @param prefix one of the {@code *_PREFIX} constants
     * @param entity the entity
     * @return {@code <prefix>:<type>:<id>}
     */
    public static String key(String prefix, Entity entity) {
        return prefix + ':' + entity.getType() + ':' + entity.getId();
    }

    /**
     * The key prefix of a source.
     *
     * @param source a known source
     * @return its prefix
     * @throws IllegalArgumentException for {@link Source#UNKNOWN}
     */
    public static String prefix(Source source) {
        return switch (source) {
            case APP_STORE_CONNECT -> APP_STORE_CONNECT_PREFIX;
            case EAS -> EAS_PREFIX;
            case APPFLOW -> APPFLOW_PREFIX;
            case UNKNOWN -> throw new IllegalArgumentException("no key prefix for source UNKNOWN");
        };
    }

    /**
     * Derives the key from a body as received.
     *
     * @param source the provider
     * @param body the body bytes
     * @return the key, or empty if the body is not a JSON object or names no entity
     */
    public static Optional<String> keyOf(Source source, byte[] body) {
        if (source == null || body == null) {
            return Optional.empty();
        }
        try {
            return keyOf(source, JsonPayload.parseObject(body));
        } catch (UnparseablePayloadException e) {
            return Optional.empty();
        }
    }

    /**
     * Derives the key from a parsed body.
     *
     * @param source the provider
     * @param root the body's JSON object
     * @return the key, or empty if the body names no entity or the source is unknown
     */
    public static Optional<String> keyOf(Source source, JsonNode root) {
        if (source == null || root == null) {
            return Optional.empty();
        }
        return switch (source) {
            case APP_STORE_CONNECT -> appStoreConnectEntity(root).map(e -> key(APP_STORE_CONNECT_PREFIX, e));
            case EAS -> easEntity(root).map(e -> key(EAS_PREFIX, e));
            case APPFLOW -> appflowEntity(root).map(e -> key(APPFLOW_PREFIX, e));
            case UNKNOWN -> Optional.empty();
        };
    }

    /**
     * The entity of an App Store Connect webhook.
     *
     * @param root the body's JSON object
     * @return the instance, or the event itself when there is no instance; empty without {@code data.type} and
     *     {@code data.id}
     */
    public static Optional<Entity> appStoreConnectEntity(JsonNode root) {
        JsonNode instance = JsonPayload.at(root, "data", "relationships", "instance");
        Optional<Entity> wrapped = entity(JsonPayload.at(instance, "data"));
        if (wrapped.isPresent()) {
            return wrapped;
        }
        // Background-asset events put type and id directly under instance (Apple says so explicitly).
        Optional<Entity> unwrapped = entity(instance);
        if (unwrapped.isPresent()) {
            return unwrapped;
        }
        // Territory-availability events have no instance: they are about the marketplace app, as the ingress keys them.
        JsonNode marketplaceApp = JsonPayload.at(root, "data", "relationships", "marketplaceApp");
        Optional<Entity> app = entity(JsonPayload.at(marketplaceApp, "data")).or(() -> entity(marketplaceApp));
        if (app.isPresent()) {
            return app;
        }
        return entity(JsonPayload.at(root, "data"));
    }

    /**
     * The entity of an Expo EAS webhook.
     *
     * @param root the body's JSON object
     * @return {@code build} or {@code submit} with the payload's {@code id}; empty if either is unknown
     */
    public static Optional<Entity> easEntity(JsonNode root) {
        Optional<String> type = easEntityType(root);
        Optional<String> id = JsonPayload.text(root, "id");
        if (type.isEmpty() || id.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Entity(type.get(), id.get()));
    }

    /**
     * Tells an EAS build payload from a submit payload. Neither carries an event type; their fields differ. The
     * details-page links are the clearest sign, then fields only submissions have ({@code submissionInfo},
     * {@code turtleBuildId}, {@code parentSubmissionId}), then fields only builds have ({@code artifacts},
     * {@code metadata.buildProfile}, {@code metrics}, {@code parentBuildId}).
     *
     * @param root the body's JSON object
     * @return {@link #EAS_BUILD}, {@link #EAS_SUBMIT}, or empty when the payload shows neither
     */
    public static Optional<String> easEntityType(JsonNode root) {
        if (root.has("submissionDetailsPageUrl")) {
            return Optional.of(EAS_SUBMIT);
        }
        if (root.has("buildDetailsPageUrl")) {
            return Optional.of(EAS_BUILD);
        }
        if (root.has("submissionInfo") || root.has("turtleBuildId") || root.has("parentSubmissionId")) {
            return Optional.of(EAS_SUBMIT);
        }
        if (root.has("artifacts") || root.path("metadata").has("buildProfile") || root.has("metrics")
                || root.has("parentBuildId")) {
            return Optional.of(EAS_BUILD);
        }
        return Optional.empty();
    }

    /**
     * The entity of an Ionic Appflow webhook.
     *
     * @param root the body's JSON object
     * @return {@code build} with the build's id; empty without one
     */
    public static Optional<Entity> appflowEntity(JsonNode root) {
        return JsonPayload.text(root, "id")
                .or(() -> JsonPayload.text(root, "buildInfo", "id"))
                .map(id -> new Entity(APPFLOW_BUILD, id));
    }

    private static Optional<Entity> entity(JsonNode node) {
        Optional<String> type = JsonPayload.text(node, "type");
        Optional<String> id = JsonPayload.text(node, "id");
        if (type.isEmpty() || id.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Entity(type.get(), id.get()));
    }
}
