package dev.shipstream.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipstream.ingress.verify.CidrBlock;
import dev.shipstream.ingress.verify.Secret;
import dev.shipstream.ingress.verify.TokenStrength;
import dev.shipstream.ingress.verify.WebhookSecret;
import dev.shipstream.schemas.config.EnvironmentConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Reads an {@link IngressConfig} from an optional JSON file, then applies environment-variable overrides.
 *
 * <p>File format (every key optional; unknown keys are refused so a typo cannot silently disable a setting):
 * <pre>{@code
 * {
 *   "host": "127.0.0.1", "port": 8080, "instances": 2, "accessLog": true, "nativeTransport": true,
 *   "headerDeadlineMs": 10000, "bodyDeadlineMs": 30000,
 *   "publishTimeoutMs": 5000, "maxPendingPublishes": 10000,
 *   "maxConnections": 1024, "maxBufferedBytes": 67108864,
 *   "maxUnauthorizedPerAddress": 20, "unauthorizedWindowMs": 60000, "trustedProxies": [ "10.0.0.0/8" ],
 *   "kafka": { "bootstrapServers": "127.0.0.1:9092", "schemaRegistryUrl": "http://127.0.0.1:8081",
 *              "producer": { "linger.ms": "1" } },
 *   "sources": {
 *     "app-store-connect": { "bodyLimitBytes": 262144,
 *       "endpoints": { "my-app": { "secrets": [ { "id": "2026-01", "env": "MY_APP_ASC_SECRET" },
 *                                               { "id": "2025-07", "file": "/run/secrets/asc-old" } ] } } },
 *     "eas":     { "endpoints": { "my-project": { "secrets": [ { "id": "v1", "value": "at-least-16-chars" } ] } } },
 *     "appflow": { "endpoints": { "my-app": { "secrets": [ { "id": "v1", "env": "MY_APPFLOW_TOKEN" } ],
 *                                             "allowList": [ "203.0.113.0/24" ] } } }
 *   }
 * }
 * }</pre>
 * A secret is given exactly one way: {@code value} (inline), {@code env} (the name of an environment variable) or
 * {@code file} (a path; one trailing line break is dropped). An unset variable, an unreadable file or an endpoint
 * without secrets fails the start.
 *
 * <p>Environment variables ({@link #configDef()}, read by {@link EnvironmentConfig}'s one rule: blank is unset) come
 * first, then the file, then the defaults: {@value #HOST}, {@value #PORT}, {@value #INSTANCES}, {@value #BODY_LIMIT}
 * (every route), {@value #PUBLISH_TIMEOUT_MS}, {@value #ACCESS_LOG}, {@value #NATIVE_TRANSPORT},
 * {@value #MAX_CONNECTIONS}, {@value #MAX_BUFFERED_BYTES}, {@value #MAX_UNAUTHORIZED}, {@value #TRUSTED_PROXIES}
 * (comma-separated CIDR blocks), {@value #BOOTSTRAP_SERVERS}, {@value #SCHEMA_REGISTRY_URL}. {@value #ASC_SECRET},
 * {@value #EAS_SECRET} and {@value #APPFLOW_TOKEN} (secrets: never printed) give the endpoint {@code default} of their
 * source a secret with id {@code env} (creating the endpoint if the file does not declare it), and
 * {@value #APPFLOW_ALLOW_LIST} (comma-separated CIDR blocks) its allow-list. A secret the file takes from a variable
 * ({@code "env": "NAME"}) is read by the same rule. There is no built-in secret: with no file and none of these
 * variables, the start fails; so does an Appflow token weaker than 128 bits
 * ({@link dev.shipstream.ingress.verify.TokenStrength}), with a message naming its variable or endpoint, never its
 * value.
 */
public final class IngressConfigLoader {

    public static final String CONFIG_PATH = "SHIPSTREAM_INGRESS_CONFIG";
    public static final String HOST = "SHIPSTREAM_INGRESS_HOST";
    public static final String PORT = "SHIPSTREAM_INGRESS_PORT";
    public static final String INSTANCES = "SHIPSTREAM_INGRESS_INSTANCES";
    public static final String BODY_LIMIT = "SHIPSTREAM_INGRESS_BODY_LIMIT_BYTES";
    public static final String PUBLISH_TIMEOUT_MS = "SHIPSTREAM_INGRESS_PUBLISH_TIMEOUT_MS";
    public static final String ACCESS_LOG = "SHIPSTREAM_INGRESS_ACCESS_LOG";
    public static final String NATIVE_TRANSPORT = "SHIPSTREAM_INGRESS_NATIVE_TRANSPORT";
    public static final String MAX_CONNECTIONS = "SHIPSTREAM_INGRESS_MAX_CONNECTIONS";
    public static final String MAX_BUFFERED_BYTES = "SHIPSTREAM_INGRESS_MAX_BUFFERED_BYTES";
    public static final String MAX_UNAUTHORIZED = "SHIPSTREAM_INGRESS_MAX_UNAUTHORIZED_PER_ADDRESS";
    public static final String TRUSTED_PROXIES = "SHIPSTREAM_INGRESS_TRUSTED_PROXIES";
    public static final String BOOTSTRAP_SERVERS = "SHIPSTREAM_KAFKA_BOOTSTRAP_SERVERS";
    public static final String SCHEMA_REGISTRY_URL = "SHIPSTREAM_SCHEMA_REGISTRY_URL";
    public static final String ASC_SECRET = "SHIPSTREAM_ASC_SECRET";
    public static final String EAS_SECRET = "SHIPSTREAM_EAS_SECRET";
    public static final String APPFLOW_TOKEN = "SHIPSTREAM_APPFLOW_TOKEN";
    public static final String APPFLOW_ALLOW_LIST = "SHIPSTREAM_APPFLOW_ALLOW_LIST";

    /** The endpoint the {@code SHIPSTREAM_*_SECRET} variables configure. */
    public static final String DEFAULT_ENDPOINT = "default";
    /** The id of the secret an environment variable contributes to the default endpoint. */
    public static final String ENV_SECRET_ID = "env";

    private static final Set<String> TOP_LEVEL_KEYS = Set.of("host", "port", "instances", "accessLog",
            "nativeTransport", "headerDeadlineMs", "bodyDeadlineMs", "publishTimeoutMs", "maxPendingPublishes",
            "kafka", "sources", "maxConnections", "maxBufferedBytes", "maxUnauthorizedPerAddress",
            "unauthorizedWindowMs", "trustedProxies");
    private static final Set<String> KAFKA_KEYS = Set.of("bootstrapServers", "schemaRegistryUrl", "producer");
    private static final Set<String> SOURCE_KEYS = Set.of("bodyLimitBytes", "endpoints");
    private static final Set<String> ENDPOINT_KEYS = Set.of("secrets", "allowList");
    private static final Set<String> SECRET_KEYS = Set.of("id", "value", "env", "file");

    private static final ConfigDef ENV_DEF = new ConfigDef()
            .define(CONFIG_PATH, Type.STRING, null, Importance.HIGH,
                    "Path of the JSON configuration file (or give it as the first argument); none by default.")
            .define(BOOTSTRAP_SERVERS, Type.STRING, IngressConfig.DEFAULT_BOOTSTRAP_SERVERS, Importance.HIGH,
                    "Kafka bootstrap.servers.")
            .define(SCHEMA_REGISTRY_URL, Type.STRING, IngressConfig.DEFAULT_SCHEMA_REGISTRY_URL, Importance.HIGH,
                    "The Confluent-compatible schema registry.")
            .define(ASC_SECRET, Type.PASSWORD, null, Importance.HIGH,
                    "The secret of the App Store Connect default endpoint.")
            .define(EAS_SECRET, Type.PASSWORD, null, Importance.HIGH,
                    "The secret of the Expo EAS default endpoint (at least 16 characters, Expo's rule).")
            .define(APPFLOW_TOKEN, Type.PASSWORD, null, Importance.HIGH,
                    "The token of the Appflow default endpoint (at least 128 bits of entropy).")
            .define(APPFLOW_ALLOW_LIST, Type.LIST, List.of(), IngressConfigLoader::validateCidrBlocks,
                    Importance.MEDIUM, "CIDR blocks allowed to call the Appflow default endpoint; any address when "
                            + "empty.")
            .define(HOST, Type.STRING, IngressConfig.DEFAULT_HOST, Importance.HIGH, "The address to listen on.")
            .define(PORT, Type.INT, IngressConfig.DEFAULT_PORT, Range.between(0, 65535), Importance.HIGH,
                    "The port to listen on; 0 for any free port.")
            .define(BODY_LIMIT, Type.LONG, IngressConfig.DEFAULT_BODY_LIMIT_BYTES, Range.atLeast(1), Importance.MEDIUM,
                    "Body limit of every webhook route, in bytes (413 above it).")
            .define(MAX_CONNECTIONS, Type.INT, EdgeConfig.DEFAULT_MAX_CONNECTIONS, Range.atLeast(1), Importance.MEDIUM,
                    "Open connections; requests beyond it get 503 with Retry-After before their body is read.")
            .define(MAX_BUFFERED_BYTES, Type.LONG, EdgeConfig.DEFAULT_MAX_BUFFERED_BYTES, Range.atLeast(1),
                    Importance.MEDIUM, "Body bytes all requests in flight may hold together.")
            .define(MAX_UNAUTHORIZED, Type.INT, EdgeConfig.DEFAULT_MAX_UNAUTHORIZED, Range.atLeast(1),
                    Importance.MEDIUM, "401 answers per client address and window before 429.")
            .define(TRUSTED_PROXIES, Type.LIST, List.of(), IngressConfigLoader::validateCidrBlocks, Importance.MEDIUM,
                    "CIDR blocks of the load balancers whose X-Forwarded-For is believed; nobody when empty.")
            .define(PUBLISH_TIMEOUT_MS, Type.LONG, IngressConfig.DEFAULT_PUBLISH_TIMEOUT.toMillis(), Range.atLeast(1),
                    Importance.MEDIUM, "How long to wait for Kafka's acknowledgement before answering 503.")
            // No default here: it depends on the cores of the machine that runs the ingress (defaultInstances).
            .define(INSTANCES, Type.INT, null, EnvironmentConfig.whenSet(Range.atLeast(1)), Importance.LOW,
                    "Event-loop verticles; the number of cores less one (at least one) by default.")
            .define(ACCESS_LOG, Type.BOOLEAN, true, Importance.LOW,
                    "Whether to write an access log (never with query strings, tokens or signatures).")
            .define(NATIVE_TRANSPORT, Type.BOOLEAN, IngressConfig.DEFAULT_NATIVE_TRANSPORT, Importance.LOW,
                    "Whether the HTTP server runs on Linux's epoll (Netty's native transport) rather than Java NIO; "
                            + "NIO wherever the native library cannot load.");

    private final Map<String, String> env;
    private final EnvironmentConfig variables;

    private IngressConfigLoader(Map<String, String> env) {
        this.env = Map.copyOf(env);
        this.variables = EnvironmentConfig.read(ENV_DEF, env);
    }

    /** The environment variables, types, defaults and documentation, e.g. for generated docs. */
    public static ConfigDef configDef() {
        return new ConfigDef(ENV_DEF);
    }

    /** Loads from {@code file} (if present) and {@code env}. */
    public static IngressConfig load(Optional<Path> file, Map<String, String> env) {
        IngressConfigLoader loader = new IngressConfigLoader(env);
        JsonNode root;
        if (file.isPresent()) {
            try {
                root = new ObjectMapper().readTree(file.get().toFile());
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read ingress configuration " + file.get() + ": "
                        + e.getMessage(), e);
            }
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("ingress configuration " + file.get() + " must be a JSON object");
            }
        } else {
            root = new ObjectMapper().createObjectNode();
        }
        return loader.build((ObjectNode) root);
    }

    /** Loads from the file named by {@value #CONFIG_PATH} (if set) and the process environment. */
    public static IngressConfig fromEnvironment(Map<String, String> env) {
        return load(EnvironmentConfig.read(ENV_DEF, env).getOptionalString(CONFIG_PATH).map(Path::of), env);
    }

    /**
     * The default number of event-loop verticles: one per core but one, and at least one. Each event loop verifies,
     * encodes and hands its records to the Kafka producer itself, and the producer's one network thread sends them; a
     * core left to that thread is worth more than another event loop competing with it. On the 2-core benchmark
     * machine one event loop used 18.9–19.7 µs of CPU per request against 20.6–24.4 µs with two, at the same
     * throughput (docs/benchmarks.md, 2026-12-01 09:55).
     *
     * @param cores the cores available to the JVM
     */
    public static int defaultInstances(int cores) {
        return Math.max(1, cores - 1);
    }

    private IngressConfig build(ObjectNode root) {
        requireKnown("configuration", root, TOP_LEVEL_KEYS);
        JsonNode kafka = object(root, "kafka");
        requireKnown("kafka", kafka, KAFKA_KEYS);
        JsonNode sources = object(root, "sources");

        String host = variables.isSet(HOST) ? variables.getString(HOST)
                : text(root, "host", variables.getString(HOST));
        int port = integer(PORT, "port", root);
        int instances = variables.isSet(INSTANCES) ? variables.getInt(INSTANCES)
                : fileInteger("instances", root, defaultInstances(Runtime.getRuntime().availableProcessors()));
        boolean accessLog = flag(ACCESS_LOG, "accessLog", root);
        boolean nativeTransport = flag(NATIVE_TRANSPORT, "nativeTransport", root);
        Duration headerDeadline = Duration.ofMillis(fileNumber("headerDeadlineMs", root,
                IngressConfig.DEFAULT_HEADER_DEADLINE.toMillis()));
        Duration bodyDeadline = Duration.ofMillis(fileNumber("bodyDeadlineMs", root,
                IngressConfig.DEFAULT_BODY_DEADLINE.toMillis()));
        Duration publishTimeout = Duration.ofMillis(number(PUBLISH_TIMEOUT_MS, "publishTimeoutMs", root));
        int maxPending = fileInteger("maxPendingPublishes", root, IngressConfig.DEFAULT_MAX_PENDING_PUBLISHES);
        String bootstrap = variables.isSet(BOOTSTRAP_SERVERS) ? variables.getString(BOOTSTRAP_SERVERS)
                : text(kafka, "bootstrapServers", variables.getString(BOOTSTRAP_SERVERS));
        String registry = variables.isSet(SCHEMA_REGISTRY_URL) ? variables.getString(SCHEMA_REGISTRY_URL)
                : text(kafka, "schemaRegistryUrl", variables.getString(SCHEMA_REGISTRY_URL));
        Map<String, String> producer = new LinkedHashMap<>();
        object(kafka, "producer").fields().forEachRemaining(f -> producer.put(f.getKey(), f.getValue().asText()));

        Iterator<String> sourceNames = sources.fieldNames();
        while (sourceNames.hasNext()) {
            String name = sourceNames.next();
            if (WebhookSource.fromPathSegment(name).isEmpty()) {
                throw new IllegalArgumentException("unknown source '" + name
                        + "' in sources (known: app-store-connect, eas, appflow)");
            }
        }
        Map<WebhookSource, Long> bodyLimits = new EnumMap<>(WebhookSource.class);
        List<EndpointConfig> endpoints = new ArrayList<>();
        for (WebhookSource source : WebhookSource.values()) {
            JsonNode sourceNode = object(sources, source.pathSegment());
            requireKnown("sources." + source.pathSegment(), sourceNode, SOURCE_KEYS);
            bodyLimits.put(source, number(BODY_LIMIT, "bodyLimitBytes", sourceNode));
            endpoints.addAll(endpoints(source, object(sourceNode, "endpoints")));
        }
        return new IngressConfig(host, port, instances, bodyLimits, headerDeadline, bodyDeadline, publishTimeout,
                maxPending, bootstrap, registry, producer, accessLog, endpoints, edge(root), nativeTransport);
    }

    private EdgeConfig edge(JsonNode root) {
        int maxConnections = integer(MAX_CONNECTIONS, "maxConnections", root);
        long maxBuffered = number(MAX_BUFFERED_BYTES, "maxBufferedBytes", root);
        int maxUnauthorized = integer(MAX_UNAUTHORIZED, "maxUnauthorizedPerAddress", root);
        Duration window = Duration.ofMillis(fileNumber("unauthorizedWindowMs", root,
                EdgeConfig.DEFAULT_UNAUTHORIZED_WINDOW.toMillis()));
        List<CidrBlock> proxies = new ArrayList<>();
        if (variables.isSet(TRUSTED_PROXIES)) {
            for (String block : variables.getList(TRUSTED_PROXIES)) {
                proxies.add(CidrBlock.parse(block));
            }
        } else {
            JsonNode list = root.path("trustedProxies");
            if (!list.isMissingNode() && !list.isNull() && !list.isArray()) {
                throw new IllegalArgumentException("trustedProxies must be an array of CIDR blocks");
            }
            for (JsonNode block : list) {
                proxies.add(cidr("trustedProxies", block.asText()));
            }
        }
        return new EdgeConfig(maxConnections, maxBuffered, maxUnauthorized, window, proxies);
    }

    private List<EndpointConfig> endpoints(WebhookSource source, JsonNode node) {
        Map<String, EndpointParts> parts = new LinkedHashMap<>();
        node.fields().forEachRemaining(field -> {
            String where = "endpoint " + source.pathSegment() + "/" + field.getKey();
            if (!field.getValue().isObject()) {
                throw new IllegalArgumentException(where + " must be a JSON object");
            }
            requireKnown(where, field.getValue(), ENDPOINT_KEYS);
            List<WebhookSecret> secrets = new ArrayList<>();
            JsonNode secretNodes = field.getValue().path("secrets");
            if (!secretNodes.isMissingNode() && !secretNodes.isArray()) {
                throw new IllegalArgumentException(where + ": secrets must be an array");
            }
            for (JsonNode secret : secretNodes) {
                secrets.add(secret(where, secret));
            }
            List<CidrBlock> allowList = new ArrayList<>();
            for (JsonNode block : field.getValue().path("allowList")) {
                allowList.add(cidr(where, block.asText()));
            }
            parts.put(field.getKey(), new EndpointParts(secrets, allowList));
        });
        String envName = switch (source) {
            case APP_STORE_CONNECT -> ASC_SECRET;
            case EAS -> EAS_SECRET;
            case APPFLOW -> APPFLOW_TOKEN;
        };
        Optional<Password> envSecret = variables.getOptionalPassword(envName);
        if (envSecret.isPresent()) {
            EndpointParts defaults = parts.computeIfAbsent(DEFAULT_ENDPOINT,
                    k -> new EndpointParts(new ArrayList<>(), new ArrayList<>()));
            defaults.secrets.removeIf(s -> s.id().equals(ENV_SECRET_ID));
            Secret secret = secretOf(envName, envSecret.get().value());
            if (source == WebhookSource.APPFLOW && !TokenStrength.isStrong(secret)) {
                throw new IllegalArgumentException(envName + " is too weak: " + EndpointConfig.WEAK_TOKEN_ADVICE);
            }
            defaults.secrets.add(new WebhookSecret(ENV_SECRET_ID, secret));
        }
        if (source == WebhookSource.APPFLOW && variables.isSet(APPFLOW_ALLOW_LIST)
                && parts.containsKey(DEFAULT_ENDPOINT)) {
            List<CidrBlock> blocks = parts.get(DEFAULT_ENDPOINT).allowList;
            blocks.clear();
            for (String block : variables.getList(APPFLOW_ALLOW_LIST)) {
                blocks.add(CidrBlock.parse(block));
            }
        }
        List<EndpointConfig> result = new ArrayList<>();
        parts.forEach((id, p) -> result.add(new EndpointConfig(source, id, p.secrets, p.allowList)));
        return result;
    }

    private WebhookSecret secret(String where, JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": each secret must be an object with id and one of"
                    + " value, env, file");
        }
        requireKnown(where + " secret", node, SECRET_KEYS);
        String id = node.path("id").asText("");
        if (id.isBlank()) {
            throw new IllegalArgumentException(where + ": a secret has no id");
        }
        String secretWhere = where + " secret '" + id + "'";
        int ways = (node.has("value") ? 1 : 0) + (node.has("env") ? 1 : 0) + (node.has("file") ? 1 : 0);
        if (ways != 1) {
            throw new IllegalArgumentException(secretWhere + " must have exactly one of value, env, file");
        }
        if (node.has("value")) {
            return new WebhookSecret(id, secretOf(secretWhere, node.get("value").asText()));
        }
        if (node.has("env")) {
            String variable = node.get("env").asText();
            // Any name the file chooses, read by the same rule as ours: blank is unset, a secret is never printed.
            ConfigDef one = new ConfigDef().define(variable, Type.PASSWORD, null, Importance.HIGH, "a secret");
            Optional<Password> value = EnvironmentConfig.read(one, env).getOptionalPassword(variable);
            if (value.isEmpty()) {
                throw new IllegalArgumentException(secretWhere + ": environment variable " + variable + " is not set");
            }
            return new WebhookSecret(id, secretOf(secretWhere, value.get().value()));
        }
        Path path = Path.of(node.get("file").asText());
        try {
            String value = Files.readString(path, StandardCharsets.UTF_8);
            if (value.endsWith("\r\n")) {
                value = value.substring(0, value.length() - 2);
            } else if (value.endsWith("\n")) {
                value = value.substring(0, value.length() - 1);
            }
            return new WebhookSecret(id, secretOf(secretWhere, value));
        } catch (IOException e) {
            // The exception message names the path only, never the content.
            throw new IllegalArgumentException(secretWhere + ": cannot read secret file " + path, e);
        }
    }

    private static Secret secretOf(String where, String value) {
        try {
            return Secret.of(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static CidrBlock cidr(String where, String text) {
        try {
            return CidrBlock.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": invalid CIDR block '" + text + "': " + e.getMessage(), e);
        }
    }

    private static void validateCidrBlocks(String name, Object value) {
        @SuppressWarnings("unchecked")
        List<String> blocks = (List<String>) value;
        for (String block : blocks) {
            try {
                CidrBlock.parse(block);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, "invalid CIDR block '" + block + "': " + e.getMessage());
            }
        }
    }

    /** The variable if it is set, else the file's key, else the variable's default. */
    private int integer(String variable, String key, JsonNode node) {
        return variables.isSet(variable) ? variables.getInt(variable)
                : fileInteger(key, node, variables.getInt(variable));
    }

    /**
     * The variable if it is set, else the file's key, else the variable's default. The key must hold a JSON boolean:
     * read leniently, {@code "accessLog": "no"} would have meant true.
     */
    private boolean flag(String variable, String key, JsonNode node) {
        JsonNode value = node.get(key);
        if (variables.isSet(variable) || value == null || value.isNull()) {
            return variables.getBoolean(variable);
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException(key + " must be true or false, got " + value);
        }
        return value.booleanValue();
    }

    /** The variable if it is set, else the file's key, else the variable's default. */
    private long number(String variable, String key, JsonNode node) {
        return variables.isSet(variable) ? variables.getLong(variable)
                : fileNumber(key, node, variables.getLong(variable));
    }

    private static int fileInteger(String key, JsonNode node, int fallback) {
        long value = fileNumber(key, node, fallback);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + value + "'");
        }
        return (int) value;
    }

    private static long fileNumber(String key, JsonNode node, long fallback) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        String raw = value.asText();
        try {
            return Long.parseLong(raw.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + raw + "'", e);
        }
    }

    private static String text(JsonNode node, String key, String fallback) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? fallback : value.asText();
    }

    private static JsonNode object(JsonNode parent, String key) {
        JsonNode node = parent.get(key);
        if (node == null || node.isNull()) {
            return new ObjectMapper().createObjectNode();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(key + " must be a JSON object");
        }
        return node;
    }

    private static void requireKnown(String where, JsonNode node, Set<String> known) {
        node.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown key '" + name + "' in " + where + " (known: "
                        + known.stream().sorted().toList() + ")");
            }
        });
    }

    private record EndpointParts(List<WebhookSecret> secrets, List<CidrBlock> allowList) {
    }
}
