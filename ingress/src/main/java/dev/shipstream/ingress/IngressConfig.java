package dev.shipstream.ingress;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The validated configuration of one ingress process. Built by {@link IngressConfigLoader} from a JSON file and
 * environment variables, or directly by an embedding launcher; every rule is checked here, once, at start-up, with
 * an exact message.
 *
 * @param host                 the address to bind, default {@value #DEFAULT_HOST}
 * @param port                 the TCP port, 0 for any free port, default {@value #DEFAULT_PORT}
 * @param instances            event-loop verticle instances sharing the port (forced to 1 with port 0)
 * @param bodyLimits           the body limit in bytes of each source's route; every source present, each &gt; 0
 * @param headerDeadline       absolute time a connection may take to send a request's headers (also the longest a
 *                             keep-alive connection may sit idle between requests)
 * @param bodyDeadline         absolute time a request may take to send its body once the headers are in
 * @param publishTimeout       how long a request waits for the broker's acknowledgement before answering 503
 * @param maxPendingPublishes  publishes awaiting acknowledgement beyond which requests are answered 503 at once
 * @param bootstrapServers     Kafka {@code bootstrap.servers}
 * @param schemaRegistryUrl    the Confluent-compatible registry ({@code http://...} or {@code mock://scope})
 * @param producerProperties   extra Kafka producer properties (e.g. {@code linger.ms}, security settings); they may
 *                             not weaken {@code acks} or idempotence
 * @param accessLog            whether to write one access-log line per request
 * @param endpoints            the configured receivers, at least one; (source, id) unique
 * @param edge                 connection, buffering and 401-rate bounds and trusted proxies of the HTTP edge
 * @param nativeTransport      whether the HTTP server runs on the operating system's native transport (Linux epoll,
 *                             through Netty's native library) rather than Java NIO; the default. Where the native
 *                             library cannot load (another operating system or CPU), the server runs on NIO and says
 *                             why at start-up
 */
public record IngressConfig(
        String host,
        int port,
        int instances,
        Map<WebhookSource, Long> bodyLimits,
        Duration headerDeadline,
        Duration bodyDeadline,
        Duration publishTimeout,
        int maxPendingPublishes,
        String bootstrapServers,
        String schemaRegistryUrl,
        Map<String, String> producerProperties,
        boolean accessLog,
        List<EndpointConfig> endpoints,
        EdgeConfig edge,
        boolean nativeTransport) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    /** Webhook bodies are a few KB; a quarter MiB leaves room without letting one request hold much memory. */
    public static final long DEFAULT_BODY_LIMIT_BYTES = 256 * 1024;
    public static final Duration DEFAULT_HEADER_DEADLINE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_BODY_DEADLINE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_PENDING_PUBLISHES = 10_000;
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";
    public static final String DEFAULT_SCHEMA_REGISTRY_URL = "http://127.0.0.1:8081";
    /**
     * The native transport by default: fewer system calls per wake-up than NIO, measured 10 % less CPU per request at
     * 1 connection and 2 % at 50 (docs/benchmarks.md).
     */
    public static final boolean DEFAULT_NATIVE_TRANSPORT = true;

    private static final Set<String> PROTECTED_PRODUCER_PROPERTIES = Set.of(
            "acks", "enable.idempotence", "key.serializer", "value.serializer", "bootstrap.servers");

    /** @throws IllegalArgumentException naming the offending setting */
    public IngressConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
        if (instances < 1) {
            throw new IllegalArgumentException("instances must be at least 1, got " + instances);
        }
        EnumMap<WebhookSource, Long> limits = new EnumMap<>(WebhookSource.class);
        for (WebhookSource source : WebhookSource.values()) {
            Long limit = bodyLimits == null ? null : bodyLimits.get(source);
            if (limit == null || limit <= 0) {
                throw new IllegalArgumentException("bodyLimitBytes of " + source.pathSegment()
                        + " must be positive, got " + limit);
            }
            limits.put(source, limit);
        }
        bodyLimits = Map.copyOf(limits);
        requirePositive("headerDeadline", headerDeadline);
        requirePositive("bodyDeadline", bodyDeadline);
        requirePositive("publishTimeout", publishTimeout);
        if (maxPendingPublishes < 1) {
            throw new IllegalArgumentException("maxPendingPublishes must be at least 1, got " + maxPendingPublishes);
        }
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("kafka.bootstrapServers must not be blank");
        }
        if (schemaRegistryUrl == null || schemaRegistryUrl.isBlank()) {
            throw new IllegalArgumentException("kafka.schemaRegistryUrl must not be blank");
        }
        producerProperties = producerProperties == null ? Map.of() : Map.copyOf(producerProperties);
        for (String key : producerProperties.keySet()) {
            if (PROTECTED_PRODUCER_PROPERTIES.contains(key)) {
                throw new IllegalArgumentException("kafka.producer." + key
                        + " is set by the ingress and cannot be configured");
            }
        }
        if (endpoints == null || endpoints.isEmpty()) {
            throw new IllegalArgumentException("no webhook endpoint is configured: set SHIPSTREAM_ASC_SECRET,"
                    + " SHIPSTREAM_EAS_SECRET or SHIPSTREAM_APPFLOW_TOKEN, or configure endpoints in the config file");
        }
        Set<String> names = new HashSet<>();
        for (EndpointConfig endpoint : endpoints) {
            if (endpoint == null) {
                throw new IllegalArgumentException("endpoints must not contain null");
            }
            if (!names.add(endpoint.name())) {
                throw new IllegalArgumentException("endpoint " + endpoint.name() + " is configured twice");
            }
        }
        endpoints = List.copyOf(endpoints);
        if (edge == null) {
            throw new IllegalArgumentException("edge settings must be set (EdgeConfig.DEFAULTS for the defaults)");
        }
    }

    /** A configuration with the default {@link EdgeConfig} and transport. */
    public IngressConfig(String host, int port, int instances, Map<WebhookSource, Long> bodyLimits,
            Duration headerDeadline, Duration bodyDeadline, Duration publishTimeout, int maxPendingPublishes,
            String bootstrapServers, String schemaRegistryUrl, Map<String, String> producerProperties,
            boolean accessLog, List<EndpointConfig> endpoints) {
        this(host, port, instances, bodyLimits, headerDeadline, bodyDeadline, publishTimeout, maxPendingPublishes,
                bootstrapServers, schemaRegistryUrl, producerProperties, accessLog, endpoints, EdgeConfig.DEFAULTS,
                DEFAULT_NATIVE_TRANSPORT);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /** The body limit of {@code source}'s route, in bytes. */
    public long bodyLimit(WebhookSource source) {
        return bodyLimits.get(source);
    }

    /** The endpoints of one source. */
    public List<EndpointConfig> endpoints(WebhookSource source) {
        return endpoints.stream().filter(e -> e.source() == source).toList();
    }

    /** A copy with another port; handy for tests and launchers that pick ports. */
    public IngressConfig withPort(int newPort) {
        return new IngressConfig(host, newPort, instances, bodyLimits, headerDeadline, bodyDeadline, publishTimeout,
                maxPendingPublishes, bootstrapServers, schemaRegistryUrl, producerProperties, accessLog, endpoints,
                edge, nativeTransport);
    }

    /** A copy with other Kafka and registry addresses. */
    public IngressConfig withKafka(String newBootstrapServers, String newSchemaRegistryUrl) {
        return new IngressConfig(host, port, instances, bodyLimits, headerDeadline, bodyDeadline, publishTimeout,
                maxPendingPublishes, newBootstrapServers, newSchemaRegistryUrl, producerProperties, accessLog,
                endpoints, edge, nativeTransport);
    }

    /** A copy with another publish timeout. */
    public IngressConfig withPublishTimeout(Duration newPublishTimeout) {
        return new IngressConfig(host, port, instances, bodyLimits, headerDeadline, bodyDeadline, newPublishTimeout,
                maxPendingPublishes, bootstrapServers, schemaRegistryUrl, producerProperties, accessLog, endpoints,
                edge, nativeTransport);
    }

    /** A copy with other connection deadlines. */
    public IngressConfig withDeadlines(Duration newHeaderDeadline, Duration newBodyDeadline) {
        return new IngressConfig(host, port, instances, bodyLimits, newHeaderDeadline, newBodyDeadline,
                publishTimeout, maxPendingPublishes, bootstrapServers, schemaRegistryUrl, producerProperties,
                accessLog, endpoints, edge, nativeTransport);
    }

    /** A copy with the same body limit on every route. */
    public IngressConfig withBodyLimit(long bytes) {
        EnumMap<WebhookSource, Long> limits = new EnumMap<>(WebhookSource.class);
        for (WebhookSource source : WebhookSource.values()) {
            limits.put(source, bytes);
        }
        return new IngressConfig(host, port, instances, limits, headerDeadline, bodyDeadline, publishTimeout,
                maxPendingPublishes, bootstrapServers, schemaRegistryUrl, producerProperties, accessLog, endpoints,
                edge, nativeTransport);
    }

    /** A copy with other edge settings. */
    public IngressConfig withEdge(EdgeConfig newEdge) {
        return new IngressConfig(host, port, instances, bodyLimits, headerDeadline, bodyDeadline, publishTimeout,
                maxPendingPublishes, bootstrapServers, schemaRegistryUrl, producerProperties, accessLog, endpoints,
                newEdge, nativeTransport);
    }
}
