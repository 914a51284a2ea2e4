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

    /**
     * Why the candidate may not be registered after the existing schemas under this level: one line per failed
     * check, naming the direction, the existing schema's position and Avro's explanation. Empty when compatible.
     */
    public static List<String> incompatibilities(CompatibilityLevel level, Schema candidate,
                                                 List<Schema> existingNewestLast) {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(existingNewestLast, "existingNewestLast");
        List<String> problems = new ArrayList<>();
        if (level == CompatibilityLevel.NONE || existingNewestLast.isEmpty()) {
            return problems;
        }
        int size = existingNewestLast.size();
        int first = isTransitive(level) ? 0 : size - 1;
        for (int i = first; i < size; i++) {
            Schema existing = existingNewestLast.get(i);
            String which = "existing schema #" + (i + 1) + " of " + size;
            if (checksBackward(level)) {
                check(candidate, existing, "new schema cannot read data written with " + which, problems);
            }
            if (checksForward(level)) {
                check(existing, candidate, which + " cannot read data written with the new schema", problems);
            }
        }
        return problems;
    }

    private static void check(Schema reader, Schema writer, String direction, List<String> problems) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
            List<String> details = new ArrayList<>();
            for (SchemaCompatibility.Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
                details.add(incompatibility.getType() + " at " + incompatibility.getLocation() + ": "
                        + incompatibility.getMessage());
            }
            problems.add(direction + " (" + String.join("; ", details) + ")");
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
