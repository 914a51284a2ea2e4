package dev.shipstream.schemas.serde;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A {@link SchemaRegistryClient} that remembers the registry's immutable answers, so a serde asks the registry
 * once per schema rather than once per record.
 *
 * <ul>
 *   <li>Cached, each in its own least-recently-used map of bounded capacity: schema text by id; id by
 *       (subject, schema text) from {@link #register}; version by (subject, schema text) from {@link #lookup};
 *       version by (subject, number). A registered schema's id and version never change.</li>
 *   <li>Cached for a short time only ({@code latestTtl}, zero for not at all): {@link #latest}, because a new
 *       version may be registered at any moment.</li>
 *   <li>Never cached: version and subject lists, compatibility checks and levels, and failures.</li>
 * </ul>
 * Thread-safe when the delegate is. {@link #close()} closes the delegate.
 */
public class CachingSchemaRegistryClient implements SchemaRegistryClient {

    /** The cache capacity of {@link #CachingSchemaRegistryClient(SchemaRegistryClient)}. */
    public static final int DEFAULT_CAPACITY = AvroSerdeConfig.CACHE_CAPACITY_DEFAULT;
    /** The latest-version lifetime of {@link #CachingSchemaRegistryClient(SchemaRegistryClient)}. */
    public static final Duration DEFAULT_LATEST_TTL = Duration.ofMillis(AvroSerdeConfig.LATEST_CACHE_TTL_MS_DEFAULT);

    private record SubjectSchema(String subject, String schema) {
    }

    private record SubjectVersion(String subject, int version) {
    }

    private record Expiring(RegisteredSchema value, long expiresAtNanos) {
    }

    private final SchemaRegistryClient delegate;
    private final long latestTtlNanos;
    private final LongSupplier nanoClock;
    private final BoundedCache<Integer, String> schemasById;
    private final BoundedCache<SubjectSchema, Integer> idsBySubjectSchema;
    private final BoundedCache<SubjectSchema, RegisteredSchema> lookups;
    private final BoundedCache<SubjectVersion, RegisteredSchema> versionsBySubject;
    private final BoundedCache<String, Expiring> latestBySubject;

    /** Caches with the default capacity and latest-version lifetime. */
    public CachingSchemaRegistryClient(SchemaRegistryClient delegate) {
        this(delegate, DEFAULT_CAPACITY, DEFAULT_LATEST_TTL);
    }

    /**
     * @param capacity  entries per cache
     * @param latestTtl how long a latest-version answer is reused; zero disables that cache
     */
    public CachingSchemaRegistryClient(SchemaRegistryClient delegate, int capacity, Duration latestTtl) {
        this(delegate, capacity, latestTtl, System::nanoTime);
    }

    CachingSchemaRegistryClient(SchemaRegistryClient delegate, int capacity, Duration latestTtl,
                                LongSupplier nanoClock) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        if (latestTtl.isNegative()) {
            throw new IllegalArgumentException("latestTtl must not be negative, was " + latestTtl);
        }
        this.latestTtlNanos = latestTtl.toNanos();
        this.nanoClock = nanoClock;
        this.schemasById = new BoundedCache<>(capacity);
        this.idsBySubjectSchema = new BoundedCache<>(capacity);
        this.lookups = new BoundedCache<>(capacity);
        this.versionsBySubject = new BoundedCache<>(capacity);
        this.latestBySubject = new BoundedCache<>(capacity);
    }

    @Override
    public int register(String subject, String schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        int id = delegate.register(subject, schema);
        idsBySubjectSchema.put(key, id);
        return id;
    }

    @Override
    public RegisteredSchema lookup(String subject, String schema) {
        return lookups.computeIfAbsent(new SubjectSchema(subject, schema), k -> delegate.lookup(subject, schema));
    }

    @Override
    public String schemaById(int id) {
        return schemasById.computeIfAbsent(id, delegate::schemaById);
    }

    @Override
    public RegisteredSchema latest(String subject) {
        if (latestTtlNanos == 0) {
            return remember(delegate.latest(subject));
        }
        long now = nanoClock.getAsLong();
        Expiring cached = latestBySubject.get(subject);
        if (cached != null && now - cached.expiresAtNanos() < 0) {
            return cached.value();
        }
        RegisteredSchema latest = remember(delegate.latest(subject));
        latestBySubject.put(subject, new Expiring(latest, now + latestTtlNanos));
        return latest;
    }

    @Override
    public RegisteredSchema version(String subject, int version) {
        return versionsBySubject.computeIfAbsent(new SubjectVersion(subject, version),
                k -> remember(delegate.version(subject, version)));
    }

    @Override
    public List<Integer> versions(String subject) {
        return delegate.versions(subject);
    }

    @Override
    public List<String> subjects() {
        return delegate.subjects();
    }

    @Override
    public boolean isCompatible(String subject, String schema) {
        return delegate.isCompatible(subject, schema);
    }

    @Override
    public CompatibilityLevel compatibility(String subject) {
        return delegate.compatibility(subject);
    }

    @Override
    public void setCompatibility(String subject, CompatibilityLevel level) {
        delegate.setCompatibility(subject, level);
    }

    @Override
    public CompatibilityLevel globalCompatibility() {
        return delegate.globalCompatibility();
    }

    @Override
    public void setGlobalCompatibility(CompatibilityLevel level) {
        delegate.setGlobalCompatibility(level);
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return "CachingSchemaRegistryClient(" + delegate + ")";
    }

    private RegisteredSchema remember(RegisteredSchema registered) {
        schemasById.put(registered.id(), registered.schema());
        versionsBySubject.put(new SubjectVersion(registered.subject(), registered.version()), registered);
        return registered;
    }
}
