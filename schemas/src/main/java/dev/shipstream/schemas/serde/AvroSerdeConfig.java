package dev.shipstream.schemas.serde;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The configuration of {@link AvroSerializer}, {@link AvroDeserializer}, {@link AvroSerde} and the registry clients
 * that {@link SchemaRegistryClients#fromConfig} builds. The first four keys are Confluent's, with Confluent's
 * meaning, so a producer, consumer or Streams configuration written for Confluent's serde works unchanged.
 *
 * <p>Parsed once, in the constructor; any invalid value is a {@link ConfigException} naming the key and the value.
 * Unknown keys (the rest of a producer or Streams configuration) are ignored.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value #SCHEMA_REGISTRY_URL_CONFIG}</td><td>none</td><td>{@value #SCHEMA_REGISTRY_URL_DOC}</td></tr>
 *   <tr><td>{@value #AUTO_REGISTER_SCHEMAS_CONFIG}</td><td>true</td><td>{@value #AUTO_REGISTER_SCHEMAS_DOC}</td></tr>
 *   <tr><td>{@value #USE_LATEST_VERSION_CONFIG}</td><td>false</td><td>{@value #USE_LATEST_VERSION_DOC}</td></tr>
 *   <tr><td>{@value #SPECIFIC_AVRO_READER_CONFIG}</td><td>false</td><td>{@value #SPECIFIC_AVRO_READER_DOC}</td></tr>
 *   <tr><td>{@value #CONNECT_TIMEOUT_MS_CONFIG}</td><td>5000</td><td>{@value #CONNECT_TIMEOUT_MS_DOC}</td></tr>
 *   <tr><td>{@value #REQUEST_TIMEOUT_MS_CONFIG}</td><td>15000</td><td>{@value #REQUEST_TIMEOUT_MS_DOC}</td></tr>
 *   <tr><td>{@value #MAX_RETRIES_CONFIG}</td><td>3</td><td>{@value #MAX_RETRIES_DOC}</td></tr>
 *   <tr><td>{@value #RETRY_BACKOFF_MS_CONFIG}</td><td>100</td><td>{@value #RETRY_BACKOFF_MS_DOC}</td></tr>
 *   <tr><td>{@value #RETRY_BACKOFF_MAX_MS_CONFIG}</td><td>2000</td><td>{@value #RETRY_BACKOFF_MAX_MS_DOC}</td></tr>
 *   <tr><td>{@value #CACHE_CAPACITY_CONFIG}</td><td>1000</td><td>{@value #CACHE_CAPACITY_DOC}</td></tr>
 *   <tr><td>{@value #LATEST_CACHE_TTL_MS_CONFIG}</td><td>5000</td><td>{@value #LATEST_CACHE_TTL_MS_DOC}</td></tr>
 *   <tr><td>{@value #MAX_NESTING_DEPTH_CONFIG}</td><td>64</td><td>{@value #MAX_NESTING_DEPTH_DOC}</td></tr>
 * </table>
 */
public final class AvroSerdeConfig extends AbstractConfig {

    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
    public static final String SCHEMA_REGISTRY_URL_DOC = "Comma-separated base URLs of the schema registry "
            + "(http:// or https://); requests fail over to the next URL on connection errors and 5xx answers. "
            + "Or exactly one mock://<scope>, which selects a process-wide in-memory registry per scope, for tests. "
            + "Required unless a SchemaRegistryClient is passed to the serde's constructor.";

    public static final String AUTO_REGISTER_SCHEMAS_CONFIG = "auto.register.schemas";
    public static final String AUTO_REGISTER_SCHEMAS_DOC = "Whether the serializer registers the record's schema "
            + "under the subject (POST /subjects/{subject}/versions). When false it looks the schema up instead "
            + "(POST /subjects/{subject}) and fails if the schema is not registered, unless use.latest.version is set.";
    public static final boolean AUTO_REGISTER_SCHEMAS_DEFAULT = true;

    public static final String USE_LATEST_VERSION_CONFIG = "use.latest.version";
    public static final String USE_LATEST_VERSION_DOC = "With auto.register.schemas=false: serialize with the "
            + "subject's latest registered schema and its id. The latest schema must be able to read the record's "
            + "own schema (as Confluent's latest.compatibility.strict=true); the record is converted to it. Ignored "
            + "when auto.register.schemas=true, as in Confluent's serializer.";
    public static final boolean USE_LATEST_VERSION_DEFAULT = false;

    public static final String SPECIFIC_AVRO_READER_CONFIG = "specific.avro.reader";
    public static final String SPECIFIC_AVRO_READER_DOC = "Whether the deserializer returns instances of the "
            + "generated SpecificRecord classes (reader schema = the class's schema) instead of GenericRecords "
            + "(reader schema = the writer's schema).";
    public static final boolean SPECIFIC_AVRO_READER_DEFAULT = false;

    public static final String CONNECT_TIMEOUT_MS_CONFIG = "schema.registry.connect.timeout.ms";
    public static final String CONNECT_TIMEOUT_MS_DOC = "How long the HTTP client waits to open a connection to "
            + "the registry before the attempt counts as a connection error (and is retried).";
    public static final long CONNECT_TIMEOUT_MS_DEFAULT = 5_000L;

    public static final String REQUEST_TIMEOUT_MS_CONFIG = "schema.registry.request.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS_DOC = "How long one registry request may take once sent. A "
            + "request that times out is not retried: the registry may still be working on it, and the timeout is the "
            + "caller's budget for the call.";
    public static final long REQUEST_TIMEOUT_MS_DEFAULT = 15_000L;

    public static final String MAX_RETRIES_CONFIG = "schema.registry.max.retries";
    public static final String MAX_RETRIES_DOC = "How many times a registry request is retried after a connection "
            + "error or a 5xx answer (never after a 4xx answer or a request timeout). 0 disables retries.";
    public static final int MAX_RETRIES_DEFAULT = 3;

    public static final String RETRY_BACKOFF_MS_CONFIG = "schema.registry.retry.backoff.ms";
    public static final String RETRY_BACKOFF_MS_DOC = "The wait before the first retry; it doubles with every "
            + "further retry up to schema.registry.retry.backoff.max.ms, and each wait is jittered down by up to half.";
    public static final long RETRY_BACKOFF_MS_DEFAULT = 100L;

    public static final String RETRY_BACKOFF_MAX_MS_CONFIG = "schema.registry.retry.backoff.max.ms";
    public static final String RETRY_BACKOFF_MAX_MS_DOC = "The longest wait between two retries. Must not be less "
            + "than schema.registry.retry.backoff.ms.";
    public static final long RETRY_BACKOFF_MAX_MS_DEFAULT = 2_000L;

    public static final String CACHE_CAPACITY_CONFIG = "schema.registry.cache.capacity";
    public static final String CACHE_CAPACITY_DOC = "How many entries each cache of the registry client and of the "
            + "serde keeps (schemas by id, ids by subject and schema, ...); the least recently used are evicted.";
    public static final int CACHE_CAPACITY_DEFAULT = 1_000;

    public static final String LATEST_CACHE_TTL_MS_CONFIG = "schema.registry.latest.cache.ttl.ms";
    public static final String LATEST_CACHE_TTL_MS_DOC = "How long the caching client keeps a subject's latest "
            + "version (used by use.latest.version) before asking the registry again. 0 disables that cache.";
    public static final long LATEST_CACHE_TTL_MS_DEFAULT = 5_000L;

    public static final String MAX_NESTING_DEPTH_CONFIG = "avro.max.nesting.depth";
    public static final String MAX_NESTING_DEPTH_DOC = "How deeply records, unions, arrays and maps may be nested in "
            + "a value the deserializer reads; a deeper value is refused (a SerializationException, so Kafka Streams "
            + "or Connect can dead-letter it) instead of overflowing the reading thread's stack. Whatever this says, "
            + "no length or item count a value declares may exceed the bytes that are really there.";
    public static final int MAX_NESTING_DEPTH_DEFAULT = 64;
    // Avro's reader recurses a few frames per level; beyond this a default-sized thread stack is at risk.
    private static final int MAX_NESTING_DEPTH_LIMIT = 256;

    /** The URL scheme that selects an in-memory registry. */
    public static final String MOCK_URL_PREFIX = "mock://";

    private static final int MAX_RETRIES_LIMIT = 10;

    private static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(SCHEMA_REGISTRY_URL_CONFIG, Type.LIST, List.of(), AvroSerdeConfig::validateUrls,
                    Importance.HIGH, SCHEMA_REGISTRY_URL_DOC)
            .define(AUTO_REGISTER_SCHEMAS_CONFIG, Type.BOOLEAN, AUTO_REGISTER_SCHEMAS_DEFAULT,
                    Importance.MEDIUM, AUTO_REGISTER_SCHEMAS_DOC)
            .define(USE_LATEST_VERSION_CONFIG, Type.BOOLEAN, USE_LATEST_VERSION_DEFAULT,
                    Importance.LOW, USE_LATEST_VERSION_DOC)
            .define(SPECIFIC_AVRO_READER_CONFIG, Type.BOOLEAN, SPECIFIC_AVRO_READER_DEFAULT,
                    Importance.MEDIUM, SPECIFIC_AVRO_READER_DOC)
            .define(CONNECT_TIMEOUT_MS_CONFIG, Type.LONG, CONNECT_TIMEOUT_MS_DEFAULT, Range.atLeast(1),
                    Importance.LOW, CONNECT_TIMEOUT_MS_DOC)
            .define(REQUEST_TIMEOUT_MS_CONFIG, Type.LONG, REQUEST_TIMEOUT_MS_DEFAULT, Range.atLeast(1),
                    Importance.LOW, REQUEST_TIMEOUT_MS_DOC)
            .define(MAX_RETRIES_CONFIG, Type.INT, MAX_RETRIES_DEFAULT, Range.between(0, MAX_RETRIES_LIMIT),
                    Importance.LOW, MAX_RETRIES_DOC)
            .define(RETRY_BACKOFF_MS_CONFIG, Type.LONG, RETRY_BACKOFF_MS_DEFAULT, Range.atLeast(0),
                    Importance.LOW, RETRY_BACKOFF_MS_DOC)
            .define(RETRY_BACKOFF_MAX_MS_CONFIG, Type.LONG, RETRY_BACKOFF_MAX_MS_DEFAULT, Range.atLeast(0),
                    Importance.LOW, RETRY_BACKOFF_MAX_MS_DOC)
            .define(CACHE_CAPACITY_CONFIG, Type.INT, CACHE_CAPACITY_DEFAULT, Range.atLeast(1),
                    Importance.LOW, CACHE_CAPACITY_DOC)
            .define(LATEST_CACHE_TTL_MS_CONFIG, Type.LONG, LATEST_CACHE_TTL_MS_DEFAULT, Range.atLeast(0),
                    Importance.LOW, LATEST_CACHE_TTL_MS_DOC)
            .define(MAX_NESTING_DEPTH_CONFIG, Type.INT, MAX_NESTING_DEPTH_DEFAULT,
                    Range.between(1, MAX_NESTING_DEPTH_LIMIT), Importance.LOW, MAX_NESTING_DEPTH_DOC);

    private final List<String> schemaRegistryUrls;

    /**
     * Parses and validates the configuration.
     *
     * @throws ConfigException naming the key and the value when a value is invalid
     */
    public AvroSerdeConfig(Map<String, ?> configs) {
        super(CONFIG_DEF, configs, false);
        this.schemaRegistryUrls = getList(SCHEMA_REGISTRY_URL_CONFIG).stream().map(String::trim).toList();
        if (retryBackoffMax().compareTo(retryBackoff()) < 0) {
            throw new ConfigException(RETRY_BACKOFF_MAX_MS_CONFIG, getLong(RETRY_BACKOFF_MAX_MS_CONFIG),
                    "must not be less than " + RETRY_BACKOFF_MS_CONFIG + " (" + getLong(RETRY_BACKOFF_MS_CONFIG) + ")");
        }
    }

    /** The keys, types, defaults, validators and documentation, e.g. for generated docs. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG_DEF);
    }

    /** The configured registry base URLs, trimmed, in order; empty when none was configured. */
    public List<String> schemaRegistryUrls() {
        return schemaRegistryUrls;
    }

    /** The scope of the configured {@code mock://} URL, if that is what was configured. */
    public Optional<String> mockScope() {
        if (schemaRegistryUrls.size() == 1 && schemaRegistryUrls.get(0).startsWith(MOCK_URL_PREFIX)) {
            return Optional.of(schemaRegistryUrls.get(0).substring(MOCK_URL_PREFIX.length()));
        }
        return Optional.empty();
    }

    public boolean autoRegisterSchemas() {
        return getBoolean(AUTO_REGISTER_SCHEMAS_CONFIG);
    }

    public boolean useLatestVersion() {
        return getBoolean(USE_LATEST_VERSION_CONFIG);
    }

    public boolean specificAvroReader() {
        return getBoolean(SPECIFIC_AVRO_READER_CONFIG);
    }

    public Duration connectTimeout() {
        return Duration.ofMillis(getLong(CONNECT_TIMEOUT_MS_CONFIG));
    }

    public Duration requestTimeout() {
        return Duration.ofMillis(getLong(REQUEST_TIMEOUT_MS_CONFIG));
    }

    public int maxRetries() {
        return getInt(MAX_RETRIES_CONFIG);
    }

    public Duration retryBackoff() {
        return Duration.ofMillis(getLong(RETRY_BACKOFF_MS_CONFIG));
    }

    public Duration retryBackoffMax() {
        return Duration.ofMillis(getLong(RETRY_BACKOFF_MAX_MS_CONFIG));
    }

    public int cacheCapacity() {
        return getInt(CACHE_CAPACITY_CONFIG);
    }

    public Duration latestCacheTtl() {
        return Duration.ofMillis(getLong(LATEST_CACHE_TTL_MS_CONFIG));
    }

    public int maxNestingDepth() {
        return getInt(MAX_NESTING_DEPTH_CONFIG);
    }

    private static void validateUrls(String name, Object value) {
        @SuppressWarnings("unchecked")
        List<String> urls = (List<String>) value;
        int mocks = 0;
        for (String raw : urls) {
            String url = raw.trim();
            if (url.startsWith(MOCK_URL_PREFIX)) {
                if (url.length() == MOCK_URL_PREFIX.length()) {
                    throw new ConfigException(name, value, "mock:// needs a scope, e.g. mock://my-test");
                }
                mocks++;
                continue;
            }
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                throw new ConfigException(name, value, "'" + url + "' is not a valid URL: " + e.getReason());
            }
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
                throw new ConfigException(name, value,
                        "'" + url + "' must start with http://, https:// or (for tests) mock://");
            }
            if (uri.getHost() == null) {
                throw new ConfigException(name, value, "'" + url + "' has no host");
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new ConfigException(name, value, "'" + url + "' must not have a query or fragment");
            }
        }
        if (mocks > 0 && urls.size() > 1) {
            throw new ConfigException(name, value,
                    "a mock:// URL must be the only URL (one in-memory registry per scope)");
        }
    }
}
