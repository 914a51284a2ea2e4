package dev.shipstream.local.registry;

import dev.shipstream.schemas.serde.CompatibilityLevel;

import java.util.Objects;

/**
 * One entry of the registry's durable log: a schema registered under a subject, a compatibility level changed,
 * or a subject soft-deleted. Replaying every entry in log order rebuilds the registry's whole state.
 */
public sealed interface RegistryRecord {

    /** Version {@code version} of {@code subject} is {@code schema} (Avro JSON text), whose global id is {@code id}. */
    record SchemaRegistered(String subject, int version, int id, String schema) implements RegistryRecord {
        public SchemaRegistered {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(schema, "schema");
            if (version < 1 || id < 1) {
                throw new IllegalArgumentException("version and id start at 1, got version " + version + ", id " + id);
            }
        }
    }

    /**
     * The compatibility level of {@code subject}, or the global level when {@code subject} is null, is now
     * {@code level}; a null {@code level} removes a subject's own level so the global one applies again.
     */
    record CompatibilityChanged(String subject, CompatibilityLevel level) implements RegistryRecord {
        /** Whether this change is to the global level rather than to one subject's. */
        public boolean global() {
            return subject == null;
        }
    }

    /** Every version of {@code subject} up to and including {@code upToVersion} is soft-deleted. */
    record SubjectDeleted(String subject, int upToVersion) implements RegistryRecord {
        public SubjectDeleted {
            Objects.requireNonNull(subject, "subject");
        }
    }
}
