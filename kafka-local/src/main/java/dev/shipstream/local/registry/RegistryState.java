package dev.shipstream.local.registry;

import dev.shipstream.local.registry.RegistryRecord.CompatibilityChanged;
import dev.shipstream.local.registry.RegistryRecord.SchemaRegistered;
import dev.shipstream.local.registry.RegistryRecord.SubjectDeleted;
import dev.shipstream.schemas.serde.CompatibilityLevel;
import dev.shipstream.schemas.serde.RegisteredSchema;
import dev.shipstream.schemas.serde.SchemaLimits;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The registry's state as the result of applying its log in order: subjects and their versions, the global ids
 * of schemas, and compatibility levels. Applying the same log always yields the same state, including when two
 * instances raced: a registration that would bind a taken subject version, or bind an id or a schema a second time,
 * is ignored, so the first registration in log order wins everywhere. Thread-safe: the store's reader applies while
 * request handlers read.
 */
final class RegistryState implements Consumer<RegistryRecord> {

    static final CompatibilityLevel DEFAULT_LEVEL = CompatibilityLevel.BACKWARD;

    private static final Logger LOG = LoggerFactory.getLogger(RegistryState.class);

    private final Map<String, NavigableMap<Integer, RegisteredSchema>> versionsBySubject = new HashMap<>();
    private final Map<String, Integer> deletedUpTo = new HashMap<>();
    private final Map<Integer, StoredSchema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsByCanonical = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel = DEFAULT_LEVEL;
    private int maxId;

    /** A schema known by its global id: the text as registered, its parsed form, and its identity key. */
    record StoredSchema(int id, String text, Schema parsed, String canonical) {
    }

    @Override
    public void accept(RegistryRecord record) {
        if (record instanceof SchemaRegistered registered) {
            // Parsed outside the lock: a large schema must not hold up request handlers reading the state.
            Schema parsed;
            try {
                parsed = SchemaLimits.parse(registered.schema());
            } catch (RuntimeException e) {
                LOG.warn("Ignoring registration of {} version {}: unparseable schema: {}",
                        registered.subject(), registered.version(), e.getMessage());
                return;
            }
            applyRegistration(registered, parsed);
        } else {
            applyChange(record);
        }
    }

    private synchronized void applyChange(RegistryRecord record) {
        if (record instanceof CompatibilityChanged changed) {
            if (changed.global()) {
                globalLevel = changed.level() == null ? DEFAULT_LEVEL : changed.level();
            } else if (changed.level() == null) {
                subjectLevels.remove(changed.subject());
            } else {
                subjectLevels.put(changed.subject(), changed.level());
            }
        } else if (record instanceof SubjectDeleted deleted) {
            deletedUpTo.merge(deleted.subject(), deleted.upToVersion(), Math::max);
        }
    }

    private synchronized void applyRegistration(SchemaRegistered registered, Schema parsed) {
        String canonical = canonical(parsed);
        NavigableMap<Integer, RegisteredSchema> versions =
                versionsBySubject.computeIfAbsent(registered.subject(), subject -> new TreeMap<>());
        StoredSchema byId = schemasById.get(registered.id());
        Integer idOfCanonical = idsByCanonical.get(canonical);
        if (versions.containsKey(registered.version())
                || byId != null && !byId.canonical().equals(canonical)
                || idOfCanonical != null && idOfCanonical != registered.id()) {
            LOG.warn("Ignoring registration of {} version {} with id {}: it conflicts with an earlier one",
                    registered.subject(), registered.version(), registered.id());
            return;
        }
        versions.put(registered.version(), new RegisteredSchema(
                registered.subject(), registered.version(), registered.id(), registered.schema()));
        if (byId == null) {
            schemasById.put(registered.id(), new StoredSchema(registered.id(), registered.schema(), parsed, canonical));
            idsByCanonical.put(canonical, registered.id());
            maxId = Math.max(maxId, registered.id());
        }
    }

    /**
     * The identity of a schema: Avro's own JSON rendering of the parsed schema. Whitespace and attribute order do not
     * matter; defaults, docs and aliases do, unlike in the parsing canonical form, so a schema that only changes a
     * default still becomes a new version.
     */
    static String canonical(Schema schema) {
        return schema.toString();
    }

    /** The subjects with at least one version that is not deleted, sorted. */
    synchronized List<String> subjects() {
        TreeSet<String> live = new TreeSet<>();
        versionsBySubject.forEach((subject, versions) -> {
            if (!versions.isEmpty() && versions.lastKey() > deletedUpTo.getOrDefault(subject, 0)) {
                live.add(subject);
            }
        });
        return List.copyOf(live);
    }

    /** The versions of the subject that are not deleted, oldest first; empty when there is none. */
    synchronized List<RegisteredSchema> liveVersions(String subject) {
        NavigableMap<Integer, RegisteredSchema> versions = versionsBySubject.get(subject);
        if (versions == null) {
            return List.of();
        }
        return new ArrayList<>(versions.tailMap(deletedUpTo.getOrDefault(subject, 0), false).values());
    }

    /** The highest version number the subject ever had, deleted or not; 0 when it never had one. */
    synchronized int maxVersion(String subject) {
        NavigableMap<Integer, RegisteredSchema> versions = versionsBySubject.get(subject);
        return versions == null || versions.isEmpty() ? 0 : versions.lastKey();
    }

    synchronized Optional<StoredSchema> schema(int id) {
        return Optional.ofNullable(schemasById.get(id));
    }

    synchronized OptionalInt idOf(String canonical) {
        Integer id = idsByCanonical.get(canonical);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    synchronized int maxId() {
        return maxId;
    }

    synchronized CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    /** The level that governs registrations under the subject: its own, else the global one. */
    synchronized CompatibilityLevel effectiveLevel(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }
}
