package dev.shipstream.local.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipstream.local.registry.RegistryRecord.CompatibilityChanged;
import dev.shipstream.local.registry.RegistryRecord.SchemaRegistered;
import dev.shipstream.local.registry.RegistryRecord.SubjectDeleted;
import dev.shipstream.schemas.serde.CompatibilityLevel;

import java.io.IOException;
import java.util.Optional;

/**
 * The JSON key and value of a {@link RegistryRecord} in the {@code _schemas} topic; the format is described in
 * {@link KafkaSchemaStore}. Keys are written with a fixed field order so that equal keys are equal bytes, which is
 * what log compaction compares.
 */
final class RegistryRecordCodec {

    static final String SCHEMA = "SCHEMA";
    static final String CONFIG = "CONFIG";
    static final String DELETE_SUBJECT = "DELETE_SUBJECT";

    private static final ObjectMapper JSON = new ObjectMapper();

    private RegistryRecordCodec() {
    }

    static byte[] key(RegistryRecord record) {
        ObjectNode key = JSON.createObjectNode();
        if (record instanceof SchemaRegistered registered) {
            key.put("keytype", SCHEMA).put("subject", registered.subject())
                    .put("version", registered.version()).put("id", registered.id());
        } else if (record instanceof CompatibilityChanged changed) {
            key.put("keytype", CONFIG);
            if (!changed.global()) {
                key.put("subject", changed.subject());
            }
        } else if (record instanceof SubjectDeleted deleted) {
            key.put("keytype", DELETE_SUBJECT).put("subject", deleted.subject());
        }
        return bytes(key);
    }

    /** The value, or null (a tombstone) when a subject's own compatibility level is removed. */
    static byte[] value(RegistryRecord record) {
        ObjectNode value = JSON.createObjectNode();
        if (record instanceof SchemaRegistered registered) {
            value.put("subject", registered.subject()).put("version", registered.version())
                    .put("id", registered.id()).put("schema", registered.schema());
        } else if (record instanceof CompatibilityChanged changed) {
            if (changed.level() == null) {
                return null;
            }
            value.put("compatibilityLevel", changed.level().name());
        } else if (record instanceof SubjectDeleted deleted) {
            value.put("subject", deleted.subject()).put("version", deleted.upToVersion());
        }
        return bytes(value);
    }

    /**
     * The record stored under this key and value, or empty for a key type this registry does not know (such as the
     * NOOP records Confluent's registry writes), so that foreign records are skipped rather than fatal.
     *
     * @throws IllegalArgumentException when the key or value is not the JSON this format describes
     */
    static Optional<RegistryRecord> decode(byte[] key, byte[] value) {
        JsonNode keyNode = parse(key, "key");
        String keyType = keyNode.path("keytype").asText("");
        switch (keyType) {
            case SCHEMA -> {
                JsonNode node = parse(value, "value");
                return Optional.of(new SchemaRegistered(
                        text(node, "subject"), integer(node, "version"), integer(node, "id"), text(node, "schema")));
            }
            case CONFIG -> {
                String subject = keyNode.hasNonNull("subject") ? keyNode.get("subject").asText() : null;
                if (value == null) {
                    return Optional.of(new CompatibilityChanged(subject, null));
                }
                String level = text(parse(value, "value"), "compatibilityLevel");
                try {
                    return Optional.of(new CompatibilityChanged(subject, CompatibilityLevel.valueOf(level)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown compatibilityLevel '" + level + "'", e);
                }
            }
            case DELETE_SUBJECT -> {
                JsonNode node = parse(value, "value");
                return Optional.of(new SubjectDeleted(text(node, "subject"), integer(node, "version")));
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree of strings and numbers always serializes", e);
        }
    }

    private static JsonNode parse(byte[] bytes, String what) {
        if (bytes == null) {
            throw new IllegalArgumentException("missing " + what);
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(what + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " is not JSON: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode child = node.get(field);
        if (child == null || !child.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' is missing or not a string");
        }
        return child.asText();
    }

    private static int integer(JsonNode node, String field) {
        JsonNode child = node.get(field);
        if (child == null || !child.canConvertToInt() || !child.isIntegralNumber()) {
            throw new IllegalArgumentException("field '" + field + "' is missing or not an integer");
        }
        return child.asInt();
    }
}
