package dev.shipstream.schemas.keys;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.shipstream.schemas.Entity;
import dev.shipstream.schemas.Source;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The one definition of which entity a webhook is about and of its record key,
 * {@code <prefix>:<type>:<id>}. The ingress keys {@code shipstream.webhooks.raw} with {@link #keyOf(Source, byte[])}
 * and the streams normalisers take the event's entity from {@link #entityOf(Source, byte[])}, so a raw record and the
 * event made from it always have the same key and stay on the same partition without a repartition.
 *
 * <p>Read with Jackson's streaming parser over the raw body (no tree is built, so the ingress stays fast), over the
 * whole body so that only well-formed JSON has an entity. Ids are JSON strings or integers; blank strings, other
 * numbers, booleans, objects and arrays are not ids.
 * <ul>
 *   <li>App Store Connect: {@code asc:<type>:<id>} of {@code data.relationships.instance.data}, or of
 *       {@code data.relationships.instance} itself without the {@code data} wrapper (background-asset events).
 *       Without a usable instance (alternative-distribution territory availability) the marketplace app,
 *       {@code data.relationships.marketplaceApp[.data]}; with nothing to point at (the ping) the notification itself,
 *       {@code asc:<data.type>:<data.id>}.</li>
 *   <li>Expo EAS: {@code eas:build:<id>} or {@code eas:submit:<id>} from the top-level {@code id}. EAS sends no event
 *       type, so the fields decide, strongest sign first: {@code submissionDetailsPageUrl} (submit), then
 *       {@code buildDetailsPageUrl} (build), then fields only submissions have ({@code submissionInfo},
 *       {@code turtleBuildId}, {@code parentSubmissionId}, {@code archiveUrl}), then fields only builds have
 *       ({@code artifacts}, {@code metadata}, {@code metrics}, {@code parentBuildId}). A payload with none of them has
 *       no entity.</li>
 *   <li>Ionic Appflow: {@code appflow:build:<id>} from the top-level {@code id}, else {@code buildInfo.id} (nested
 *       ids such as {@code automation.id} are not the build).</li>
 *   <li>No entity (not JSON, trailing data, duplicate field names, which make the entity ambiguous, no usable id):
 *       the ingress keys the record {@code unparsed:<sha-256 hex of the body>}, so identical bodies still share a
 *       partition; the normaliser dead-letters it.</li>
 * </ul>
 * Type and id are percent-encoded with {@link SafeIds#keyComponent(String)}: a key never contains a control
 * character, a space, a non-ASCII character or a {@code :} other than its two separators, and distinct entities
 * have distinct keys. Pure and thread-safe; never throws on any body.
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
    /** Prefix of the key of a body that names no entity. */
    public static final String UNPARSED_PREFIX = "unparsed:";

    private static final JsonFactory JSON = JsonFactory.builder()
            // A body with two "id" fields is ambiguous: another parser might pick the other one.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private EntityKeys() {
    }

    /**
     * The record key of a body as received: its entity's key, or {@code unparsed:<sha-256 hex>} without an entity.
     *
     * @param source the provider whose route received the body
     * @param body the body bytes
     * @return the key; never null, never throws
     */
    public static String keyOf(Source source, byte[] body) {
        return entityOf(source, body).map(entity -> key(source, entity)).orElseGet(() -> unparsed(body));
    }

    /**
     * The entity a body is about.
     *
     * @param source the provider whose route received the body
     * @param body the body bytes
     * @return the entity with its type and id as sent (not encoded); empty if the body is not one well-formed JSON
     *     object naming an entity, or the source is null or {@link Source#UNKNOWN}
     */
    public static Optional<Entity> entityOf(Source source, byte[] body) {
        if (source == null || source == Source.UNKNOWN || body == null) {
            return Optional.empty();
        }
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            Entity entity = switch (source) {
                case APP_STORE_CONNECT -> appStoreConnect(parser);
                case EAS -> eas(parser);
                case APPFLOW -> appflow(parser);
                case UNKNOWN -> null;
            };
            // Only a body that is exactly one JSON object has an entity: no trailing tokens.
            return entity != null && parser.nextToken() == null ? Optional.of(entity) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Formats the key of an entity.
     *
     * @param source a known provider
     * @param entity the entity, type and id as sent
     * @return {@code <prefix>:<encoded type>:<encoded id>}
     * @throws IllegalArgumentException for {@link Source#UNKNOWN}
     */
    public static String key(Source source, Entity entity) {
        return prefix(source) + ':' + SafeIds.keyComponent(entity.getType()) + ':'
                + SafeIds.keyComponent(entity.getId());
    }

    /**
     * The key prefix of a source.
     *
     * @param source a known provider
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
     * The key of a body that names no entity.
     *
     * @param body the body bytes
     * @return {@code unparsed:<sha-256 hex of body>}
     */
    public static String unparsed(byte[] body) {
        try {
            return UNPARSED_PREFIX + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    private static Entity appStoreConnect(JsonParser p) throws IOException {
        Entity entity = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if ("data".equals(name) && value == JsonToken.START_OBJECT) {
                entity = ascData(p);
            } else {
                p.skipChildren();
            }
        }
        return entity;
    }

    private static Entity ascData(JsonParser p) throws IOException {
        Ref self = new Ref();
        Ref instance = null;
        Ref marketplaceApp = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "type" -> self.type = scalar(p, value);
                case "id" -> self.id = scalar(p, value);
                case "relationships" -> {
                    if (value != JsonToken.START_OBJECT) {
                        p.skipChildren();
                        continue;
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String relationship = p.currentName();
                        JsonToken relValue = p.nextToken();
                        if ("instance".equals(relationship) && relValue == JsonToken.START_OBJECT) {
                            instance = ref(p);
                        } else if ("marketplaceApp".equals(relationship) && relValue == JsonToken.START_OBJECT) {
                            marketplaceApp = ref(p);
                        } else {
                            p.skipChildren();
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        for (Ref candidate : new Ref[] {instance, marketplaceApp, self}) {
            if (candidate != null && candidate.complete()) {
                return new Entity(candidate.type, candidate.id);
            }
        }
        return null;
    }

    /** A JSON:API resource identifier, {@code {"data":{"type","id"}}} or bare {@code {"type","id"}}. */
    private static Ref ref(JsonParser p) throws IOException {
        Ref direct = new Ref();
        Ref wrapped = new Ref();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "type" -> direct.type = scalar(p, value);
                case "id" -> direct.id = scalar(p, value);
                case "data" -> {
                    if (value != JsonToken.START_OBJECT) {
                        p.skipChildren();
                        continue;
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String inner = p.currentName();
                        JsonToken innerValue = p.nextToken();
                        switch (inner) {
                            case "type" -> wrapped.type = scalar(p, innerValue);
                            case "id" -> wrapped.id = scalar(p, innerValue);
                            default -> p.skipChildren();
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        return wrapped.complete() ? wrapped : direct;
    }

    private static Entity eas(JsonParser p) throws IOException {
        String id = null;
        EasSign sign = EasSign.NONE;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if ("id".equals(name)) {
                id = scalar(p, value);
            } else {
                EasSign fieldSign = EasSign.of(name);
                if (fieldSign.ordinal() < sign.ordinal()) {
                    sign = fieldSign;
                }
                p.skipChildren();
            }
        }
        if (!present(id) || sign == EasSign.NONE) {
            return null;
        }
        return new Entity(sign.entityType, id);
    }

    /** The signs of an EAS payload's kind, strongest first. */
    private enum EasSign {
        SUBMISSION_PAGE(EAS_SUBMIT),
        BUILD_PAGE(EAS_BUILD),
        SUBMISSION_FIELD(EAS_SUBMIT),
        BUILD_FIELD(EAS_BUILD),
        NONE(null);

        private final String entityType;

        EasSign(String entityType) {
            this.entityType = entityType;
        }

        static EasSign of(String field) {
            return switch (field) {
                case "submissionDetailsPageUrl" -> SUBMISSION_PAGE;
                case "buildDetailsPageUrl" -> BUILD_PAGE;
                case "submissionInfo", "turtleBuildId", "parentSubmissionId", "archiveUrl" -> SUBMISSION_FIELD;
                case "artifacts", "metadata", "metrics", "parentBuildId" -> BUILD_FIELD;
                default -> NONE;
            };
        }
    }

    private static Entity appflow(JsonParser p) throws IOException {
        String id = null;
        String buildInfoId = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if ("id".equals(name)) {
                id = scalar(p, value);
            } else if ("buildInfo".equals(name) && value == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String inner = p.currentName();
                    JsonToken innerValue = p.nextToken();
                    if ("id".equals(inner)) {
                        buildInfoId = scalar(p, innerValue);
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        String build = present(id) ? id : buildInfoId;
        return present(build) ? new Entity(APPFLOW_BUILD, build) : null;
    }

    /** The text of a string or integer value; null for anything else (after skipping it). */
    private static String scalar(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NUMBER_INT) {
            return p.getText();
        }
        p.skipChildren();
        return null;
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    private static final class Ref {
        private String type;
        private String id;

        private boolean complete() {
            return present(type) && present(id);
        }
    }
}
