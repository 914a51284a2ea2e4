package dev.shipstream.schemas.keys;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.shipstream.schemas.Entity;
import dev.shipstream.schemas.Source;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashSet;
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

    /**
     * Without Jackson's duplicate detection, which keeps a hash set per object; {@link Reader} refuses duplicates
     * itself (a body with two "id" fields is ambiguous: another parser might pick the other one).
     */
    private static final JsonFactory JSON = JsonFactory.builder().build();

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
            Reader reader = new Reader(parser);
            Entity entity = switch (source) {
                case APP_STORE_CONNECT -> appStoreConnect(reader);
                case EAS -> eas(reader);
                case APPFLOW -> appflow(reader);
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

    private static Entity appStoreConnect(Reader r) throws IOException {
        JsonParser p = r.parser;
        r.enter();
        Entity entity = null;
        while (r.nextField()) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if ("data".equals(name) && value == JsonToken.START_OBJECT) {
                entity = ascData(r);
            } else {
                r.skip();
            }
        }
        return entity;
    }

    private static Entity ascData(Reader r) throws IOException {
        JsonParser p = r.parser;
        r.enter();
        Ref self = new Ref();
        Ref instance = null;
        Ref marketplaceApp = null;
        while (r.nextField()) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "type" -> self.type = scalar(r, value);
                case "id" -> self.id = scalar(r, value);
                case "relationships" -> {
                    if (value != JsonToken.START_OBJECT) {
                        r.skip();
                        continue;
                    }
                    r.enter();
                    while (r.nextField()) {
                        String relationship = p.currentName();
                        JsonToken relValue = p.nextToken();
                        if ("instance".equals(relationship) && relValue == JsonToken.START_OBJECT) {
                            instance = ref(r);
                        } else if ("marketplaceApp".equals(relationship) && relValue == JsonToken.START_OBJECT) {
                            marketplaceApp = ref(r);
                        } else {
                            r.skip();
                        }
                    }
                }
                default -> r.skip();
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
    private static Ref ref(Reader r) throws IOException {
        JsonParser p = r.parser;
        r.enter();
        Ref direct = new Ref();
        Ref wrapped = new Ref();
        while (r.nextField()) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "type" -> direct.type = scalar(r, value);
                case "id" -> direct.id = scalar(r, value);
                case "data" -> {
                    if (value != JsonToken.START_OBJECT) {
                        r.skip();
                        continue;
                    }
                    r.enter();
                    while (r.nextField()) {
                        String inner = p.currentName();
                        JsonToken innerValue = p.nextToken();
                        switch (inner) {
                            case "type" -> wrapped.type = scalar(r, innerValue);
                            case "id" -> wrapped.id = scalar(r, innerValue);
                            default -> r.skip();
                        }
                    }
                }
                default -> r.skip();
            }
        }
        return wrapped.complete() ? wrapped : direct;
    }

    private static Entity eas(Reader r) throws IOException {
        JsonParser p = r.parser;
        r.enter();
        String id = null;
        EasSign sign = EasSign.NONE;
        while (r.nextField()) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if ("id".equals(name)) {
                id = scalar(r, value);
            } else {
                EasSign fieldSign = EasSign.of(name);
                if (fieldSign.ordinal() < sign.ordinal()) {
                    sign = fieldSign;
                }
                r.skip();
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

    private static Entity appflow(Reader r) throws IOException {
        JsonParser p = r.parser;
        r.enter();
        String id = null;
        String buildInfoId = null;
        while (r.nextField()) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if ("id".equals(name)) {
                id = scalar(r, value);
            } else if ("buildInfo".equals(name) && value == JsonToken.START_OBJECT) {
                r.enter();
                while (r.nextField()) {
                    String inner = p.currentName();
                    JsonToken innerValue = p.nextToken();
                    if ("id".equals(inner)) {
                        buildInfoId = scalar(r, innerValue);
                    } else {
                        r.skip();
                    }
                }
            } else {
                r.skip();
            }
        }
        String build = present(id) ? id : buildInfoId;
        return present(build) ? new Entity(APPFLOW_BUILD, build) : null;
    }

    /** The text of a string or integer value; null for anything else (after skipping it). */
    private static String scalar(Reader r, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NUMBER_INT) {
            return r.parser.getText();
        }
        r.skip();
        return null;
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    /**
     * The parser, and the field names of every object open at its position, so that a name repeated within one
     * object makes the body ambiguous ({@link DuplicateFieldException}) wherever it is, as Jackson's
     * {@code STRICT_DUPLICATE_DETECTION} would, but without its hash set per object: the few names of a webhook's
     * objects are compared in a list, and only an object of more than {@value #LINEAR_NAMES} names gets a set, so a
     * body of many names costs linear time, not quadratic. Each object read is {@link #enter}ed right after its
     * {@code START_OBJECT} and left when {@link #nextField} meets its end; {@link #skip} walks what it skips the same
     * way. One per parse.
     */
    private static final class Reader {
        private static final int LINEAR_NAMES = 16;

        private final JsonParser parser;
        /** The names of the open objects, outermost first; each object's start is in {@link #starts}. */
        private String[] names = new String[32];
        private int size;
        private int[] starts = new int[8];
        /** Per open object, its names as a set once it has more than {@link #LINEAR_NAMES}; else null. */
        private HashSet<String>[] sets = newSets(8);
        private int depth;

        private Reader(JsonParser parser) {
            this.parser = parser;
        }

        @SuppressWarnings("unchecked")
        private static HashSet<String>[] newSets(int length) {
            return (HashSet<String>[]) new HashSet<?>[length];
        }

        /** Opens an object whose {@code START_OBJECT} was just read. */
        private void enter() {
            if (depth == starts.length) {
                starts = Arrays.copyOf(starts, depth * 2);
                sets = Arrays.copyOf(sets, depth * 2);
            }
            starts[depth] = size;
            sets[depth] = null;
            depth++;
        }

        /**
         * Reads the next token of the innermost open object: true at a field name (checked against the object's
         * other names), false at the object's end, which closes it.
         */
        private boolean nextField() throws IOException {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.FIELD_NAME) {
                name(parser.currentName());
                return true;
            }
            close();
            return false;
        }

        /** Skips the value whose first token was just read, checking the names of every object inside it. */
        private void skip() throws IOException {
            JsonToken token = parser.currentToken();
            if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
                return;
            }
            int open = 0;
            do {
                if (token == null) {
                    throw new IOException("end of input inside a value");
                }
                switch (token) {
                    case START_OBJECT -> {
                        enter();
                        open++;
                    }
                    case START_ARRAY -> open++;
                    case END_OBJECT -> {
                        close();
                        open--;
                    }
                    case END_ARRAY -> open--;
                    case FIELD_NAME -> name(parser.currentName());
                    default -> {
                        // A scalar: nothing to check.
                    }
                }
                if (open == 0) {
                    return;
                }
                token = parser.nextToken();
            } while (true);
        }

        private void close() {
            depth--;
            size = starts[depth];
            sets[depth] = null;
        }

        private void name(String name) throws DuplicateFieldException {
            int start = starts[depth - 1];
            HashSet<String> set = sets[depth - 1];
            if (set != null) {
                if (!set.add(name)) {
                    throw new DuplicateFieldException();
                }
                return;
            }
            for (int i = start; i < size; i++) {
                if (names[i].equals(name)) {
                    throw new DuplicateFieldException();
                }
            }
            if (size - start == LINEAR_NAMES) {
                set = new HashSet<>(Arrays.asList(names).subList(start, size));
                set.add(name);
                sets[depth - 1] = set;
                // The set holds them now: the list keeps only the names of the objects around this one.
                size = start;
                return;
            }
            if (size == names.length) {
                names = Arrays.copyOf(names, size * 2);
            }
            names[size++] = name;
        }
    }

    /** A field name repeated within one object: the body has no entity. */
    private static final class DuplicateFieldException extends IOException {
        private static final long serialVersionUID = 1L;

        private DuplicateFieldException() {
            super("duplicate field name", null);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    private static final class Ref {
        private String type;
        private String id;

        private boolean complete() {
            return present(type) && present(id);
        }
    }
}
