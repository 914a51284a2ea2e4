package dev.shipstream.ingress.publish;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.shipstream.ingress.WebhookSource;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * The Kafka key of a raw webhook: the entity the event is about, so that one entity's events stay in order on one
 * partition. Read with a streaming parse (no tree is built), over the whole body so that only well-formed JSON gets
 * an entity key.
 *
 * <ul>
 *   <li>App Store Connect: {@code asc:<instance type>:<instance id>} from {@code data.relationships.instance}, with
 *       or without the {@code data} wrapper (background-asset events have none). Events without an instance
 *       (alternative-distribution territory availability) are about the marketplace app:
 *       {@code asc:apps:<id>} from {@code relationships.marketplaceApp}. Events about nothing (the webhook ping)
 *       are keyed by the notification itself: {@code asc:<data.type>:<data.id>}.</li>
 *   <li>EAS: {@code eas:build:<id>} or {@code eas:submit:<id>} from the top-level {@code id}; EAS sends no event
 *       type, so a submission is told apart by fields only submissions have ({@code submissionDetailsPageUrl},
 *       {@code submissionInfo}, {@code turtleBuildId}, {@code parentSubmissionId}, {@code archiveUrl}) and a build by
 *       fields only builds have ({@code buildDetailsPageUrl}, {@code artifacts}, {@code metadata},
 *       {@code parentBuildId}, {@code metrics}).</li>
 *   <li>Appflow: {@code appflow:build:<id>} from the top-level {@code id} (nested ids such as {@code automation.id}
 *       are not the build).</li>
 *   <li>Anything else (not JSON, duplicate field names, no usable id, an EAS body that is neither build nor
 *       submission): {@code unparsed:<sha-256 hex of the body>}, so identical bodies still share a partition.</li>
 * </ul>
 * Pure and thread-safe; never throws.
 */
public final class EntityKey {

    /** Prefix of the key of a body that yields no entity. */
    public static final String UNPARSED_PREFIX = "unparsed:";

    private static final JsonFactory JSON = JsonFactory.builder()
            // A body with two "id" fields is ambiguous; downstream parsers might pick the other one.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final Set<String> SUBMIT_FIELDS = Set.of(
            "submissionDetailsPageUrl", "submissionInfo", "turtleBuildId", "parentSubmissionId", "archiveUrl");
    private static final Set<String> BUILD_FIELDS = Set.of(
            "buildDetailsPageUrl", "artifacts", "metadata", "parentBuildId", "metrics");

    private EntityKey() {
    }

    /** The key of a body received from {@code source}. */
    public static String of(WebhookSource source, byte[] body) {
        String key;
        try (JsonParser parser = JSON.createParser(body)) {
            key = switch (source) {
                case APP_STORE_CONNECT -> appStoreConnect(parser);
                case EAS -> eas(parser);
                case APPFLOW -> appflow(parser);
            };
            if (key != null && parser.nextToken() != null) {
                key = null;
            }
        } catch (IOException | RuntimeException e) {
            key = null;
        }
        return key != null ? key : unparsed(body);
    }

    /** {@code unparsed:<sha-256 hex of body>}. */
    public static String unparsed(byte[] body) {
        try {
            return UNPARSED_PREFIX + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    private static String appStoreConnect(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        String key = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if ("data".equals(name) && value == JsonToken.START_OBJECT) {
                key = ascData(p);
            } else {
                p.skipChildren();
            }
        }
        return key;
    }

    private static String ascData(JsonParser p) throws IOException {
        String type = null;
        String id = null;
        Ref instance = null;
        Ref marketplaceApp = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "type" -> type = scalar(p, value);
                case "id" -> id = scalar(p, value);
                case "relationships" -> {
                    if (value == JsonToken.START_OBJECT) {
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
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (instance != null && instance.complete()) {
            return "asc:" + instance.type + ":" + instance.id;
        }
        if (marketplaceApp != null && marketplaceApp.complete()) {
            return "asc:" + marketplaceApp.type + ":" + marketplaceApp.id;
        }
        if (present(type) && present(id)) {
            return "asc:" + type + ":" + id;
        }
        return null;
    }

    /** A JSON:API resource identifier, either {@code {"data":{"type","id"}}} or bare {@code {"type","id"}}. */
    private static Ref ref(JsonParser p) throws IOException {
        Ref direct = new Ref();
        Ref wrapped = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "type" -> direct.type = scalar(p, value);
                case "id" -> direct.id = scalar(p, value);
                case "data" -> {
                    if (value == JsonToken.START_OBJECT) {
                        wrapped = new Ref();
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String inner = p.currentName();
                            JsonToken innerValue = p.nextToken();
                            switch (inner) {
                                case "type" -> wrapped.type = scalar(p, innerValue);
                                case "id" -> wrapped.id = scalar(p, innerValue);
                                default -> p.skipChildren();
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
            }
        }
        return wrapped != null && wrapped.complete() ? wrapped : direct;
    }

    private static String eas(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        String id = null;
        boolean submit = false;
        boolean build = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if ("id".equals(name)) {
                id = scalar(p, value);
            } else {
                submit |= SUBMIT_FIELDS.contains(name);
                build |= BUILD_FIELDS.contains(name);
                p.skipChildren();
            }
        }
        if (!present(id) || submit == build) {
            return null;
        }
        return (submit ? "eas:submit:" : "eas:build:") + id;
    }

    private static String appflow(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        String id = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if ("id".equals(name)) {
                id = scalar(p, value);
            } else {
                p.skipChildren();
            }
        }
        return present(id) ? "appflow:build:" + id : null;
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
