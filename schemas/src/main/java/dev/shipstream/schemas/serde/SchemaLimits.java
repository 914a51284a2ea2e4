package dev.shipstream.schemas.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Parses schema text that may come from anyone who can reach a registry, within bounds that keep parsing and every
 * later use of the schema cheap and safe: at most {@value #MAX_NAMED_TYPES} named types (Avro's parser takes time
 * quadratic in their number: a few thousand took seconds of CPU) and at most {@value #MAX_NESTING_DEPTH} levels of
 * records, unions, arrays and maps along any path (Avro's {@code hashCode}, compatibility checks and readers recurse
 * once per level: a chain of ten thousand records, each the field type of the next, ended in a
 * {@link StackOverflowError}). A recursive type, such as a linked list, is fine: its depth counts once. JSON nesting
 * itself is bounded by Jackson (1,000 levels), request bodies by whoever reads them.
 *
 * <p>The development registry refuses such a schema with 422; the serde refuses to read with it.
 */
public final class SchemaLimits {

    /** The most named types (records, errors, enums, fixed) one schema may define. */
    public static final int MAX_NAMED_TYPES = 256;
    /** The most levels of records, unions, arrays and maps along any path of a schema. */
    public static final int MAX_NESTING_DEPTH = 64;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> NAMED = Set.of("record", "error", "enum", "fixed");

    private SchemaLimits() {
    }

    /**
     * Parses one schema with a fresh parser, validating names and defaults, within the limits.
     *
     * @throws SchemaParseException saying which limit the schema exceeds, or why it is not a schema
     */
    public static Schema parse(String text) {
        checkNamedTypes(text);
        Schema schema = new Schema.Parser().parse(text);
        height(schema, 1, new IdentityHashMap<>(), Collections.newSetFromMap(new IdentityHashMap<>()));
        return schema;
    }

    /** Counts named-type definitions in the JSON before Avro parses it, without recursion. */
    private static void checkNamedTypes(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SchemaParseException(e);
        }
        int named = 0;
        Deque<JsonNode> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            JsonNode node = pending.pop();
            JsonNode type = node.get("type");
            if (node.isObject() && type != null && type.isTextual() && NAMED.contains(type.asText())
                    && ++named > MAX_NAMED_TYPES) {
                throw new SchemaParseException("The schema defines more than " + MAX_NAMED_TYPES
                        + " named types (records, enums, fixed), more than is accepted");
            }
            node.forEach(pending::push);
        }
    }

    /**
     * The nesting height of the schema, computed once per named type; {@code depth} is the level the schema sits
     * at, so the recursion stops at the limit.
     */
    private static int height(Schema schema, int depth, Map<Schema, Integer> known, Set<Schema> onPath) {
        Integer done = known.get(schema);
        if (done != null) {
            check(depth - 1 + done);
            return done;
        }
        if (onPath.contains(schema)) {
            return 0;
        }
        int height = switch (schema.getType()) {
            case RECORD -> {
                check(depth);
                onPath.add(schema);
                int max = 0;
                for (Schema.Field field : schema.getFields()) {
                    max = Math.max(max, height(field.schema(), depth + 1, known, onPath));
                }
                onPath.remove(schema);
                yield 1 + max;
            }
            case UNION -> {
                check(depth);
                int max = 0;
                for (Schema branch : schema.getTypes()) {
                    max = Math.max(max, height(branch, depth + 1, known, onPath));
                }
                yield 1 + max;
            }
            case ARRAY -> {
                check(depth);
                yield 1 + height(schema.getElementType(), depth + 1, known, onPath);
            }
            case MAP -> {
                check(depth);
                yield 1 + height(schema.getValueType(), depth + 1, known, onPath);
            }
            default -> 0;
        };
        if (schema.getType() == Schema.Type.RECORD) {
            known.put(schema, height);
        }
        return height;
    }

    private static void check(int depth) {
        if (depth > MAX_NESTING_DEPTH) {
            throw new SchemaParseException("Records, unions, arrays and maps are nested deeper than "
                    + MAX_NESTING_DEPTH + " levels in the schema, more than is accepted");
        }
    }
}
