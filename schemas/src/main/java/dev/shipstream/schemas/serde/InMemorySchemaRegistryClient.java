package dev.shipstream.schemas.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * A schema registry held in memory, with the registry's semantics: global ids, shared by every subject that
 * registers the same schema; versions per subject, from 1; compatibility levels per subject falling back to a global
 * level (BACKWARD unless set), enforced on registration by {@link AvroCompatibility}; and Confluent's HTTP statuses
 * and error codes in its {@link SchemaRegistryException}s.
 *
 * <p>Two schema texts are the same schema when Avro parses them to the same JSON ({@link Schema#toString()}):
 * whitespace and key order do not matter, while names, defaults, docs and logical types do, as in Confluent's
 * registry. Stored and returned schema text is that parsed form.
 *
 * <p>Thread-safe. Used for tests ({@code mock://} URLs, see {@link SchemaRegistryClients}) and as the store
 * behind a development registry. {@link #close()} does nothing: the registry outlives its users.
 */
public class InMemorySchemaRegistryClient implements SchemaRegistryClient {

    static final int SUBJECT_NOT_FOUND = 40401;
    static final int VERSION_NOT_FOUND = 40402;
    static final int SCHEMA_NOT_FOUND = 40403;
    static final int INCOMPATIBLE = 409;

    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<Integer, String> schemasById = new HashMap<>();
    private final Map<Integer, Schema> parsedById = new HashMap<>();
    private final Map<String, List<RegisteredSchema>> versionsBySubject = new TreeMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
    private int nextId = 1;

    @Override
    public synchronized int register(String subject, String schema) {
        Objects.requireNonNull(subject, "subject");
        Schema candidate = AvroSchemas.parse(schema);
        String text = candidate.toString();
        List<RegisteredSchema> versions = versionsBySubject.getOrDefault(subject, List.of());
        for (RegisteredSchema version : versions) {
            if (version.schema().equals(text)) {
                return version.id();
            }
        }
        CompatibilityLevel level = compatibility(subject);
        List<Schema> existing = versions.stream().map(v -> parsedById.get(v.id())).toList();
        List<String> problems = AvroCompatibility.incompatibilities(level, candidate, existing);
        if (!problems.isEmpty()) {
            throw new SchemaRegistryException("Schema being registered is incompatible with an earlier schema for "
                    + "subject \"" + subject + "\" under compatibility level " + level + ": "
                    + String.join("; ", problems), INCOMPATIBLE, INCOMPATIBLE);
        }
        int id = idsBySchema.computeIfAbsent(text, t -> nextId++);
        schemasById.putIfAbsent(id, text);
        parsedById.putIfAbsent(id, candidate);
        int version = versions.isEmpty() ? 1 : versions.get(versions.size() - 1).version() + 1;
        versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>())
                .add(new RegisteredSchema(subject, version, id, text));
        return id;
    }

    @Override
    public synchronized RegisteredSchema lookup(String subject, String schema) {
        List<RegisteredSchema> versions = versionsOf(subject);
        String text = AvroSchemas.parse(schema).toString();
        for (RegisteredSchema version : versions) {
            if (version.schema().equals(text)) {
                return version;
            }
        }
        throw new SchemaRegistryException("Schema not found under subject '" + subject + "'", 404, SCHEMA_NOT_FOUND);
    }

    @Override
    public synchronized String schemaById(int id) {
        String schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException("Schema " + id + " not found", 404, SCHEMA_NOT_FOUND);
        }
        return schema;
    }

    @Override
    public synchronized RegisteredSchema latest(String subject) {
        List<RegisteredSchema> versions = versionsOf(subject);
        return versions.get(versions.size() - 1);
    }

    @Override
    public synchronized RegisteredSchema version(String subject, int version) {
        for (RegisteredSchema registered : versionsOf(subject)) {
            if (registered.version() == version) {
                return registered;
            }
        }
        throw new SchemaRegistryException("Version " + version + " not found.", 404, VERSION_NOT_FOUND);
    }

    @Override
    public synchronized List<Integer> versions(String subject) {
        return versionsOf(subject).stream().map(RegisteredSchema::version).toList();
    }

    @Override
    public synchronized List<String> subjects() {
        return List.copyOf(versionsBySubject.keySet());
    }

    @Override
    public synchronized boolean isCompatible(String subject, String schema) {
        Schema candidate = AvroSchemas.parse(schema);
        List<Schema> existing = versionsBySubject.getOrDefault(subject, List.of()).stream()
                .map(v -> parsedById.get(v.id())).toList();
        return AvroCompatibility.isCompatible(compatibility(subject), candidate, existing);
    }

    @Override
    public synchronized CompatibilityLevel compatibility(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    @Override
    public synchronized void setCompatibility(String subject, CompatibilityLevel level) {
        subjectLevels.put(Objects.requireNonNull(subject, "subject"), Objects.requireNonNull(level, "level"));
    }

    @Override
    public synchronized CompatibilityLevel globalCompatibility() {
        return globalLevel;
    }

    @Override
    public synchronized void setGlobalCompatibility(CompatibilityLevel level) {
        globalLevel = Objects.requireNonNull(level, "level");
    }

    @Override
    public void close() {
        // Nothing to release; the schemas stay for the other users of this registry.
    }

    private List<RegisteredSchema> versionsOf(String subject) {
        List<RegisteredSchema> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw new SchemaRegistryException("Subject '" + subject + "' not found.", 404, SUBJECT_NOT_FOUND);
        }
        return versions;
    }
}
