package dev.shipstream.local.registry;

import dev.shipstream.schemas.serde.AvroCompatibility;
import dev.shipstream.schemas.serde.AvroCompatibility.Existing;
import dev.shipstream.local.registry.RegistryRecord.CompatibilityChanged;
import dev.shipstream.local.registry.RegistryRecord.SchemaRegistered;
import dev.shipstream.local.registry.RegistryRecord.SubjectDeleted;
import dev.shipstream.local.registry.RegistryState.StoredSchema;
import dev.shipstream.schemas.serde.CompatibilityLevel;
import dev.shipstream.schemas.serde.RegisteredSchema;
import dev.shipstream.schemas.serde.SchemaLimits;
import org.apache.avro.Schema;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the registry does, apart from HTTP: validates and registers schemas, answers lookups, checks
 * compatibility, and keeps compatibility levels. Reads come from {@link RegistryState}; every change is appended to
 * the {@link SchemaStore} and awaited (at most the write timeout) before the method returns, so an answered change
 * is durable. Methods block and throw {@link RegistryException}; writes are serialized within one instance.
 */
final class RegistryService {

    /** How often a registration is retried when another instance took its id or version first. */
    private static final int MAX_WRITE_ATTEMPTS = 3;
    /** The version number Confluent's API uses for the latest version, as {@code latest} does. */
    private static final int LATEST = -1;

    private final RegistryState state;
    private final SchemaStore store;
    private final Duration writeTimeout;
    private final ReentrantLock writeLock = new ReentrantLock();

    RegistryService(RegistryState state, SchemaStore store, Duration writeTimeout) {
        this.state = state;
        this.store = store;
        this.writeTimeout = writeTimeout;
    }

    /** Registers the schema under the subject, or finds it there, and returns its global id. */
    int register(String subject, String schemaText, String schemaType) {
        Schema candidate = parse(schemaText, schemaType);
        String canonical = RegistryState.canonical(candidate);
        lockWrites();
        try {
            for (int attempt = 1; ; attempt++) {
                List<RegisteredSchema> live = state.liveVersions(subject);
                Optional<RegisteredSchema> same = find(live, canonical);
                if (same.isPresent()) {
                    return same.get().id();
                }
                List<String> problems = AvroCompatibility.incompatibilitiesWith(
                        state.effectiveLevel(subject), candidate, existing(live));
                if (!problems.isEmpty()) {
                    throw RegistryException.incompatible("Schema being registered is incompatible with an earlier"
                            + " schema for subject \"" + subject + "\" (compatibility level "
                            + state.effectiveLevel(subject) + "), details: " + problems);
                }
                int id = state.idOf(canonical).orElse(state.maxId() + 1);
                int version = state.maxVersion(subject) + 1;
                await(store.append(new SchemaRegistered(subject, version, id, canonical)), "the registration");
                if (find(state.liveVersions(subject), canonical).isPresent()) {
                    return id;
                }
                if (attempt == MAX_WRITE_ATTEMPTS) {
                    throw RegistryException.storeError("the registration under " + subject + " kept conflicting with"
                            + " registrations by other registry instances on the same topic", null);
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** The version of the subject that holds this schema. */
    RegisteredSchema lookup(String subject, String schemaText, String schemaType) {
        String canonical = RegistryState.canonical(parse(schemaText, schemaType));
        List<RegisteredSchema> live = state.liveVersions(subject);
        if (live.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        return find(live, canonical).orElseThrow(() -> RegistryException.schemaNotFound("Schema not found"));
    }

    /** The text of the schema with this global id. */
    String schemaText(int id) {
        return state.schema(id).map(StoredSchema::text)
                .orElseThrow(() -> RegistryException.schemaNotFound("Schema " + id + " not found"));
    }

    List<String> subjects() {
        return state.subjects();
    }

    /** The version numbers of the subject, ascending. */
    List<Integer> versions(String subject) {
        List<RegisteredSchema> live = state.liveVersions(subject);
        if (live.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        return live.stream().map(RegisteredSchema::version).toList();
    }

    /** One version of the subject, by number or as {@code latest} / {@code -1}. */
    RegisteredSchema version(String subject, String versionText) {
        int version = parseVersion(versionText);
        List<RegisteredSchema> live = state.liveVersions(subject);
        if (live.isEmpty()) {
            throw RegistryException.subjectNotFound(subject);
        }
        if (version == LATEST) {
            return live.get(live.size() - 1);
        }
        return live.stream().filter(registered -> registered.version() == version).findFirst()
                .orElseThrow(() -> RegistryException.versionNotFound(version));
    }

    /**
     * Why the schema could not be registered under the subject; empty when it could. With {@code versionText} null
     * or {@code latest} the subject's level decides which versions are checked, as for a registration, and a
     * subject without versions accepts anything; with a version number only that version is checked.
     */
    List<String> incompatibilities(String subject, String versionText, String schemaText, String schemaType) {
        Schema candidate = parse(schemaText, schemaType);
        CompatibilityLevel level = state.effectiveLevel(subject);
        List<RegisteredSchema> live = state.liveVersions(subject);
        if (versionText == null || parseVersion(versionText) == LATEST) {
            return AvroCompatibility.incompatibilitiesWith(level, candidate, existing(live));
        }
        RegisteredSchema against = version(subject, versionText);
        return AvroCompatibility.incompatibilitiesWith(level, candidate, existing(List.of(against)));
    }

    CompatibilityLevel globalLevel() {
        return state.globalLevel();
    }

    CompatibilityLevel setGlobalLevel(String level) {
        CompatibilityLevel parsed = parseLevel(level);
        write(new CompatibilityChanged(null, parsed), "the global compatibility level");
        return parsed;
    }

    /** The subject's own level; the global one instead when it has none and {@code defaultToGlobal} is set. */
    CompatibilityLevel subjectLevel(String subject, boolean defaultToGlobal) {
        Optional<CompatibilityLevel> own = state.subjectLevel(subject);
        if (own.isPresent()) {
            return own.get();
        }
        if (defaultToGlobal) {
            return state.globalLevel();
        }
        throw RegistryException.subjectLevelNotConfigured(subject);
    }

    CompatibilityLevel setSubjectLevel(String subject, String level) {
        CompatibilityLevel parsed = parseLevel(level);
        write(new CompatibilityChanged(subject, parsed), "the compatibility level of " + subject);
        return parsed;
    }

    /** Removes the subject's own level, returning it, so the global level applies again. */
    CompatibilityLevel deleteSubjectLevel(String subject) {
        CompatibilityLevel previous = subjectLevel(subject, false);
        write(new CompatibilityChanged(subject, null), "the removal of the compatibility level of " + subject);
        return previous;
    }

    /** Soft-deletes every version of the subject and returns their numbers. */
    List<Integer> deleteSubject(String subject) {
        lockWrites();
        try {
            List<Integer> deleted = versions(subject);
            await(store.append(new SubjectDeleted(subject, state.maxVersion(subject))), "the deletion of " + subject);
            return deleted;
        } finally {
            writeLock.unlock();
        }
    }

    private static int parseVersion(String text) {
        if ("latest".equals(text)) {
            return LATEST;
        }
        try {
            int version = Integer.parseInt(text);
            if (version == LATEST || version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // Falls through to Confluent's answer for every version that is not a positive int.
        }
        throw RegistryException.invalidVersion(text);
    }

    private static CompatibilityLevel parseLevel(String level) {
        if (level == null) {
            throw RegistryException.invalidCompatibilityLevel("null");
        }
        try {
            return CompatibilityLevel.valueOf(level.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw RegistryException.invalidCompatibilityLevel(level);
        }
    }

    private static Schema parse(String schemaText, String schemaType) {
        if (schemaType != null && !"AVRO".equals(schemaType)) {
            throw RegistryException.invalidSchema("Invalid schema: schemaType '" + schemaType
                    + "' is not supported; this development registry stores AVRO schemas only");
        }
        if (schemaText == null || schemaText.isBlank()) {
            throw RegistryException.invalidSchema("Empty schema");
        }
        try {
            return SchemaLimits.parse(schemaText);
        } catch (RuntimeException e) {
            throw RegistryException.invalidSchema("Invalid schema: " + e.getMessage());
        }
    }

    private Optional<RegisteredSchema> find(List<RegisteredSchema> versions, String canonical) {
        return versions.stream()
                .filter(registered -> state.schema(registered.id())
                        .map(stored -> stored.canonical().equals(canonical)).orElse(false))
                .findFirst();
    }

    private List<Existing> existing(List<RegisteredSchema> versions) {
        return versions.stream()
                .map(registered -> new Existing(registered.version(), state.schema(registered.id())
                        .orElseThrow(() -> new IllegalStateException("version without schema: " + registered))
                        .parsed()))
                .toList();
    }

    private void write(RegistryRecord record, String what) {
        lockWrites();
        try {
            await(store.append(record), what);
        } finally {
            writeLock.unlock();
        }
    }

    private void lockWrites() {
        try {
            if (!writeLock.tryLock(writeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw RegistryException.timedOut("an earlier write is still in progress after " + writeTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryException.timedOut("interrupted while waiting for an earlier write");
        }
    }

    private void await(CompletableFuture<Void> write, String what) {
        try {
            write.get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw RegistryException.timedOut("writing " + what + " to the store took longer than " + writeTimeout);
        } catch (ExecutionException e) {
            throw RegistryException.storeError(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryException.timedOut("interrupted while writing " + what);
        }
    }
}
