package dev.shipstream.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipstream.ingress.verify.CidrBlock;
import dev.shipstream.ingress.verify.Secret;
import dev.shipstream.ingress.verify.TokenStrength;
import dev.shipstream.ingress.verify.WebhookSecret;
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

/**
 * Reads an {@link IngressConfig} from an optional JSON file, then applies environment-variable overrides.
 *
 * <p>File format (every key optional; unknown keys are refused so a typo cannot silently disable a setting):
 * <pre>{@code
 * {
 *   "host": "127.0.0.1", "port": 8080, "instances": 2, "accessLog": true,
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
 * <p>Environment overrides: {@value #HOST}, {@value #PORT}, {@value #INSTANCES}, {@value #BODY_LIMIT} (every
 * route), {@value #PUBLISH_TIMEOUT_MS}, {@value #ACCESS_LOG}, {@value #MAX_CONNECTIONS},
 * {@value #MAX_BUFFERED_BYTES}, {@value #MAX_UNAUTHORIZED}, {@value #TRUSTED_PROXIES} (comma-separated CIDR blocks),
 * {@value #BOOTSTRAP_SERVERS}, {@value #SCHEMA_REGISTRY_URL}. {@value #ASC_SECRET}, {@value #EAS_SECRET} and
 * {@value #APPFLOW_TOKEN} give the
 * endpoint {@code default} of their source a secret with id {@code env} (creating the endpoint if the file does not
 * declare it), and {@value #APPFLOW_ALLOW_LIST} (comma-separated CIDR blocks) its allow-list. There is no built-in
 * secret: with no file and none of these variables, the start fails; so does an Appflow token weaker than 128 bits
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
            "headerDeadlineMs", "bodyDeadlineMs", "publishTimeoutMs", "maxPendingPublishes", "kafka", "sources",
            "maxConnections", "maxBufferedBytes", "maxUnauthorizedPerAddress", "unauthorizedWindowMs",
            "trustedProxies");
    private static final Set<String> KAFKA_KEYS = Set.of("bootstrapServers", "schemaRegistryUrl", "producer");
    private static final Set<String> SOURCE_KEYS = Set.of("bodyLimitBytes", "endpoints");
    private static final Set<String> ENDPOINT_KEYS = Set.of("secrets", "allowList");
    private static final Set<String> SECRET_KEYS = Set.of("id", "value", "env", "file");

    private final Map<String, String> env;

    private IngressConfigLoader(Map<String, String> env) {
        this.env = Map.copyOf(env);
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
        return load(Optional.ofNullable(env.get(CONFIG_PATH)).filter(s -> !s.isBlank()).map(Path::of), env);
    }

    private IngressConfig build(ObjectNode root) {
        requireKnown("configuration", root, TOP_LEVEL_KEYS);
        JsonNode kafka = object(root, "kafka");
        requireKnown("kafka", kafka, KAFKA_KEYS);
        JsonNode sources = object(root, "sources");

        String host = env.getOrDefault(HOST, text(root, "host", IngressConfig.DEFAULT_HOST));
        int port = integer(PORT, "port", root, IngressConfig.DEFAULT_PORT);
        int instances = integer(INSTANCES, "instances", root, Math.max(1, Runtime.getRuntime().availableProcessors()));
        boolean accessLog = Boolean.parseBoolean(env.getOrDefault(ACCESS_LOG,
                Boolean.toString(!root.has("accessLog") || root.get("accessLog").asBoolean(true))));
        Duration headerDeadline = Duration.ofMillis(integer(null, "headerDeadlineMs", root,
                IngressConfig.DEFAULT_HEADER_DEADLINE.toMillis()));
        Duration bodyDeadline = Duration.ofMillis(integer(null, "bodyDeadlineMs", root,
                IngressConfig.DEFAULT_BODY_DEADLINE.toMillis()));
        Duration publishTimeout = Duration.ofMillis(integer(PUBLISH_TIMEOUT_MS, "publishTimeoutMs", root,
                IngressConfig.DEFAULT_PUBLISH_TIMEOUT.toMillis()));
        int maxPending = integer(null, "maxPendingPublishes", root, IngressConfig.DEFAULT_MAX_PENDING_PUBLISHES);
        String bootstrap = env.getOrDefault(BOOTSTRAP_SERVERS,
                text(kafka, "bootstrapServers", IngressConfig.DEFAULT_BOOTSTRAP_SERVERS));
        String registry = env.getOrDefault(SCHEMA_REGISTRY_URL,
                text(kafka, "schemaRegistryUrl", IngressConfig.DEFAULT_SCHEMA_REGISTRY_URL));
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
            bodyLimits.put(source, (long) integer(BODY_LIMIT, "bodyLimitBytes", sourceNode,
                    IngressConfig.DEFAULT_BODY_LIMIT_BYTES));
            endpoints.addAll(endpoints(source, object(sourceNode, "endpoints")));
        }
        return new IngressConfig(host, port, instances, bodyLimits, headerDeadline, bodyDeadline, publishTimeout,
                maxPending, bootstrap, registry, producer, accessLog, endpoints, edge(root));
    }

    private EdgeConfig edge(JsonNode root) {
        int maxConnections = integer(MAX_CONNECTIONS, "maxConnections", root, EdgeConfig.DEFAULT_MAX_CONNECTIONS);
        long maxBuffered = longInteger(MAX_BUFFERED_BYTES, "maxBufferedBytes", root,
                EdgeConfig.DEFAULT_MAX_BUFFERED_BYTES);
        int maxUnauthorized = integer(MAX_UNAUTHORIZED, "maxUnauthorizedPerAddress", root,
                EdgeConfig.DEFAULT_MAX_UNAUTHORIZED);
        Duration window = Duration.ofMillis(longInteger(null, "unauthorizedWindowMs", root,
                EdgeConfig.DEFAULT_UNAUTHORIZED_WINDOW.toMillis()));
        List<CidrBlock> proxies = new ArrayList<>();
        String fromEnv = env.get(TRUSTED_PROXIES);
        if (fromEnv != null && !fromEnv.isBlank()) {
            for (String block : fromEnv.split(",")) {
                proxies.add(cidr(TRUSTED_PROXIES, block.strip()));
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
        String envSecret = env.get(envName);
        if (envSecret != null && !envSecret.isEmpty()) {
            EndpointParts defaults = parts.computeIfAbsent(DEFAULT_ENDPOINT,
                    k -> new EndpointParts(new ArrayList<>(), new ArrayList<>()));
            defaults.secrets.removeIf(s -> s.id().equals(ENV_SECRET_ID));
            Secret secret = secretOf(envName, envSecret);
            if (source == WebhookSource.APPFLOW && !TokenStrength.isStrong(secret)) {
                throw new IllegalArgumentException(envName + " is too weak: " + EndpointConfig.WEAK_TOKEN_ADVICE);
            }
            defaults.secrets.add(new WebhookSecret(ENV_SECRET_ID, secret));
        }
        String allow = env.get(APPFLOW_ALLOW_LIST);
        if (source == WebhookSource.APPFLOW && allow != null && !allow.isBlank() && parts.containsKey(DEFAULT_ENDPOINT)) {
            List<CidrBlock> blocks = parts.get(DEFAULT_ENDPOINT).allowList;
            blocks.clear();
            for (String block : allow.split(",")) {
                blocks.add(cidr(APPFLOW_ALLOW_LIST, block.strip()));
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
            String value = env.get(variable);
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException(secretWhere + ": environment variable " + variable + " is not set");
            }
            return new WebhookSecret(id, secretOf(secretWhere, value));
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

    private int integer(String envName, String key, JsonNode node, long fallback) {
        long value = longInteger(envName, key, node, fallback);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException((envName != null && env.containsKey(envName) ? envName : key)
                    + " must be an integer, got '" + value + "'");
        }
        return (int) value;
    }

    private long longInteger(String envName, String key, JsonNode node, long fallback) {
        String raw = envName == null ? null : env.get(envName);
        String origin = raw != null ? envName : key;
        if (raw == null) {
            JsonNode value = node.get(key);
            if (value == null || value.isNull()) {
                return fallback;
            }
            raw = value.asText();
        }
        try {
            return Long.parseLong(raw.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(origin + " must be an integer, got '" + raw + "'", e);
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
