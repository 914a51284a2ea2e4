package dev.shipstream.schemas.serde;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * The schema registry's compatibility rule for Avro, decided by Avro's own {@link SchemaCompatibility}.
 *
 * <ul>
 *   <li>BACKWARD: the candidate, as reader, can read data written with the checked existing schema.</li>
 *   <li>FORWARD: the checked existing schema, as reader, can read data written with the candidate.</li>
 *   <li>FULL: both.</li>
 *   <li>The {@code _TRANSITIVE} levels check every existing schema; the others only the newest.</li>
 *   <li>NONE: anything goes.</li>
 * </ul>
 * A subject without schemas is compatible with any candidate.
 */
public final class AvroCompatibility {

    private AvroCompatibility() {
    }

    /**
     * Whether the candidate may be registered after the existing schemas under this level.
     *
     * @param existingNewestLast the subject's schemas in version order, the newest last
     */
    public static boolean isCompatible(CompatibilityLevel level, Schema candidate, List<Schema> existingNewestLast) {
        return incompatibilities(level, candidate, existingNewestLast).isEmpty();
    }

    /** One existing version of a subject: its number, for messages, and its schema. */
    public record Existing(int version, Schema schema) {
        public Existing {
            Objects.requireNonNull(schema, "schema");
        }
    }

    /**
     * Why the candidate may not be registered after the existing schemas under this level: one line per Avro
     * incompatibility, naming its type, where it is, and which version it concerns. Empty when compatible.
     *
     * @param existingNewestLast the subject's schemas in version order, the newest last, numbered from 1
     */
    public static List<String> incompatibilities(CompatibilityLevel level, Schema candidate,
                                                 List<Schema> existingNewestLast) {
        Objects.requireNonNull(existingNewestLast, "existingNewestLast");
        List<Existing> numbered = new ArrayList<>();
        for (int i = 0; i < existingNewestLast.size(); i++) {
            numbered.add(new Existing(i + 1, existingNewestLast.get(i)));
        }
        return incompatibilitiesWith(level, candidate, numbered);
    }

    /** As {@link #incompatibilities}, with the versions' own numbers in the messages. */
    public static List<String> incompatibilitiesWith(CompatibilityLevel level, Schema candidate,
                                                     List<Existing> existingOldestFirst) {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(existingOldestFirst, "existingOldestFirst");
        if (level == CompatibilityLevel.NONE || existingOldestFirst.isEmpty()) {
            return List.of();
        }
        List<Existing> against = isTransitive(level)
                ? existingOldestFirst
                : List.of(existingOldestFirst.get(existingOldestFirst.size() - 1));
        List<String> problems = new ArrayList<>();
        for (Existing existing : against) {
            if (checksBackward(level)) {
                check(candidate, existing.schema(),
                        "the new schema cannot read data written with version " + existing.version(), problems);
            }
            if (checksForward(level)) {
                check(existing.schema(), candidate,
                        "version " + existing.version() + " cannot read data written with the new schema", problems);
            }
        }
        return problems;
    }

    private static void check(Schema reader, Schema writer, String direction, List<String> problems) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
            for (SchemaCompatibility.Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
                problems.add(incompatibility.getType() + " at '" + incompatibility.getLocation() + "' ("
                        + incompatibility.getMessage() + "): " + direction);
            }
        }
    }

    private static boolean isTransitive(CompatibilityLevel level) {
        return level == CompatibilityLevel.BACKWARD_TRANSITIVE
                || level == CompatibilityLevel.FORWARD_TRANSITIVE
                || level == CompatibilityLevel.FULL_TRANSITIVE;
    }

    private static boolean checksBackward(CompatibilityLevel level) {
        return switch (level) {
            case BACKWARD, BACKWARD_TRANSITIVE, FULL, FULL_TRANSITIVE -> true;
            default -> false;
        };
    }

    private static boolean checksForward(CompatibilityLevel level) {
        return switch (level) {
            case FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE -> true;
            default -> false;
        };
    }
}
