package dev.shipstream.local.registry;

import dev.shipstream.schemas.serde.CompatibilityLevel;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

import java.util.ArrayList;
import java.util.List;

/**
 * Confluent's compatibility rules on Avro's {@link SchemaCompatibility}: BACKWARD means the candidate, as reader,
 * reads the latest existing version as writer; FORWARD means the latest version reads the candidate; FULL means
 * both; the {@code _TRANSITIVE} levels check every existing version instead of the latest; NONE checks nothing.
 * Pure: the answer is the list of reasons the candidate is incompatible, empty when it is compatible.
 */
final class CompatibilityChecker {

    private CompatibilityChecker() {
    }

    /** One existing version to check against: its number, for messages, and its schema. */
    record Existing(int version, Schema schema) {
    }

    /**
     * The reasons {@code candidate} may not follow {@code existingOldestFirst} under {@code level}, each naming the
     * Avro incompatibility type, where it is, and which version it concerns; empty when compatible.
     */
    static List<String> incompatibilities(CompatibilityLevel level, Schema candidate,
                                          List<Existing> existingOldestFirst) {
        if (level == CompatibilityLevel.NONE || existingOldestFirst.isEmpty()) {
            return List.of();
        }
        List<Existing> against = transitive(level)
                ? existingOldestFirst
                : List.of(existingOldestFirst.get(existingOldestFirst.size() - 1));
        List<String> messages = new ArrayList<>();
        for (Existing existing : against) {
            if (checksBackward(level)) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, existing.schema()),
                        "the new schema cannot read data written with version " + existing.version(), messages);
            }
            if (checksForward(level)) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(existing.schema(), candidate),
                        "version " + existing.version() + " cannot read data written with the new schema", messages);
            }
        }
        return messages;
    }

    private static void describe(SchemaCompatibility.SchemaPairCompatibility result, String direction,
                                 List<String> messages) {
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            messages.add(incompatibility.getType() + " at '" + incompatibility.getLocation() + "' ("
                    + incompatibility.getMessage() + "): " + direction);
        }
    }

    private static boolean transitive(CompatibilityLevel level) {
        return level == CompatibilityLevel.BACKWARD_TRANSITIVE
                || level == CompatibilityLevel.FORWARD_TRANSITIVE
                || level == CompatibilityLevel.FULL_TRANSITIVE;
    }

    private static boolean checksBackward(CompatibilityLevel level) {
        return level != CompatibilityLevel.FORWARD && level != CompatibilityLevel.FORWARD_TRANSITIVE;
    }

    private static boolean checksForward(CompatibilityLevel level) {
        return level != CompatibilityLevel.BACKWARD && level != CompatibilityLevel.BACKWARD_TRANSITIVE;
    }
}
