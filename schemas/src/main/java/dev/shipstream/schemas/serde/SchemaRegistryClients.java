package dev.shipstream.schemas.serde;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.config.ConfigException;

/**
 * Builds the {@link SchemaRegistryClient} that a serde configuration names in {@code schema.registry.url}.
 *
 * <ul>
 *   <li>{@code http://} and {@code https://} URLs: an {@link HttpSchemaRegistryClient} wrapped in a
 *       {@link CachingSchemaRegistryClient}, with the timeouts, retries and cache sizes of the configuration.
 *       The caller owns it and closes it.</li>
 *   <li>{@code mock://<scope>}: the process-wide {@link InMemorySchemaRegistryClient} of that scope, created on first
 *       use, like Confluent's {@code mock://} scheme. Every serde configured with the same scope shares it, so a
 *       {@code TopologyTestDriver} test's serdes see each other's schemas. Tests drop it with
 *       {@link #dropMockScope}.</li>
 * </ul>
 */
public final class SchemaRegistryClients {

    private static final Map<String, InMemorySchemaRegistryClient> MOCK_SCOPES = new ConcurrentHashMap<>();

    private SchemaRegistryClients() {
    }

    /**
     * The client for the registry a serde configuration names.
     *
     * @throws ConfigException if the configuration is invalid or names no registry URL
     */
    public static SchemaRegistryClient fromConfig(Map<String, ?> configs) {
        return fromConfig(new AvroSerdeConfig(configs));
    }

    /** The client for the registry a parsed serde configuration names. */
    public static SchemaRegistryClient fromConfig(AvroSerdeConfig config) {
        if (config.schemaRegistryUrls().isEmpty()) {
            throw new ConfigException("Missing required configuration \"" + AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG
                    + "\" which has no default value.");
        }
        return config.mockScope()
                .<SchemaRegistryClient>map(SchemaRegistryClients::mockScope)
                .orElseGet(() -> new CachingSchemaRegistryClient(new HttpSchemaRegistryClient(config),
                        config.cacheCapacity(), config.latestCacheTtl()));
    }

    /** The in-memory registry of a {@code mock://} scope, created if it does not exist yet. */
    public static InMemorySchemaRegistryClient mockScope(String scope) {
        return MOCK_SCOPES.computeIfAbsent(Objects.requireNonNull(scope, "scope"),
                s -> new InMemorySchemaRegistryClient());
    }

    /** Forgets the in-memory registry of a {@code mock://} scope; the next use of the scope starts empty. */
    public static void dropMockScope(String scope) {
        MOCK_SCOPES.remove(Objects.requireNonNull(scope, "scope"));
    }
}
