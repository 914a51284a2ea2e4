package dev.shipstream.devstack;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.shipstream.ingress.IngressConfig;
import dev.shipstream.ingress.IngressConfigLoader;
import dev.shipstream.ingress.IngressServer;
import dev.shipstream.local.CatalogueTopics;
import dev.shipstream.local.LocalKafkaBroker;
import dev.shipstream.local.registry.DevSchemaRegistry;
import dev.shipstream.schemas.Topics;
import dev.shipstream.streams.StreamsApp;
import dev.shipstream.streams.StreamsSettings;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline in one process: a real single-node Kafka broker (KRaft), the development schema registry, the
 * catalogue's topics, the webhook ingress, the Kafka Streams app and a Kafka Connect worker ({@link ConnectWorker}),
 * started in dependency order and stopped in reverse. Each part is an {@link AutoCloseable}
 * pushed on a stack as it starts, so a failure half-way stops exactly what had started.
 */
public final class DevStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DevStack.class);
    private static final Duration STREAMS_RUNNING_TIMEOUT = Duration.ofSeconds(60);

    private final DataDirectory dataDirectory;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private final List<String> createdTopics = new ArrayList<>();
    private LocalKafkaBroker broker;
    private DevSchemaRegistry registry;
    private IngressServer ingress;
    private LocalSecrets secrets;
    private ConnectWorker connect;

    private DevStack(DataDirectory dataDirectory) {
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts everything and returns once every part is ready.
     *
     * @param environment the process environment: ingress settings and the {@code default} endpoints' secrets
     *                    ({@link LocalSecrets#VARIABLES}); missing secrets are generated for this run
     */
    public static DevStack start(DevStackOptions options, Map<String, String> environment) {
        // The lock first (a second stack on the same directory is told so), then the ports, then --fresh's wipe:
        // a stack that cannot start deletes nothing.
        DataDirectory dataDirectory = DataDirectory.open(options.dataDir(), false);
        try {
            FreePorts.require(FreePorts.of(options));
            if (options.fresh()) {
                dataDirectory.wipe();
            }
        } catch (RuntimeException e) {
            dataDirectory.close();
            throw e;
        }
        DevStack stack = new DevStack(dataDirectory);
        try {
            stack.startParts(options, environment);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startParts(DevStackOptions options, Map<String, String> environment) {
        broker = LocalKafkaBroker.builder()
                .dataDir(dataDirectory.path())
                .listenerPort(options.kafkaPort())
                .build();
        started.push(broker);
        try {
            broker.start();
        } catch (RuntimeException e) {
            throw FreePorts.naming(e, options.kafkaPort(), "--kafka-port");
        }
        addresses.put("Kafka", broker.bootstrapServers());

        createdTopics.addAll(CatalogueTopics.ensure(broker.bootstrapServers(), Topics.all()));

        registry = DevSchemaRegistry.builder()
                .bootstrapServers(broker.bootstrapServers())
                .port(options.registryPort())
                .build();
        started.push(registry);
        try {
            registry.start();
        } catch (RuntimeException e) {
            throw FreePorts.naming(e, options.registryPort(), "--registry-port");
        }
        addresses.put("Schema registry", registry.baseUrl());

        secrets = LocalSecrets.from(environment);
        IngressConfig ingressConfig = IngressConfigLoader.fromEnvironment(secrets.environment())
                .withKafka(broker.bootstrapServers(), registry.baseUrl())
                .withPort(options.ingressPort());
        try {
            ingress = IngressServer.start(ingressConfig, Map.of());
        } catch (RuntimeException e) {
            throw FreePorts.naming(e, options.ingressPort(), "--ingress-port");
        }
        started.push(ingress);
        String webhooks = "http://127.0.0.1:" + ingress.port();
        addresses.put("Ingress", webhooks + "  (/health/ready, /metrics)");
        addresses.put("  App Store Connect", webhooks + "/webhooks/app-store-connect/default");
        addresses.put("  Expo EAS", webhooks + "/webhooks/eas/default");
        addresses.put("  Ionic Appflow", webhooks + "/webhooks/appflow/default?token=<SHIPSTREAM_APPFLOW_TOKEN>");

        Map<String, String> streamsEnvironment = new LinkedHashMap<>(secrets.environment());
        streamsEnvironment.put(StreamsSettings.BOOTSTRAP_SERVERS_ENV, broker.bootstrapServers());
        streamsEnvironment.put(StreamsSettings.SCHEMA_REGISTRY_URL_ENV, registry.baseUrl());
        streamsEnvironment.put(StreamsSettings.STATE_DIR_ENV, dataDirectory.path().resolve("streams").toString());
        streamsEnvironment.put(StreamsSettings.HTTP_PORT_ENV, Integer.toString(options.streamsPort()));
        StreamsSettings streamsSettings = StreamsSettings.fromEnvironment(streamsEnvironment);
        StreamsApp streams;
        try {
            streams = StreamsApp.start(streamsSettings, streamsEnvironment);
        } catch (RuntimeException e) {
            throw FreePorts.naming(e, options.streamsPort(), "--streams-port");
        }
        started.push(streams);
        addresses.put("Streams", "http://127.0.0.1:" + streams.httpPort() + "  (/health/ready, /metrics)");

        // The default plugin directory appears once the connectors module is built; until then, start without it.
        Optional<Path> pluginPath = Optional.of(options.connectPluginPath()).filter(Files::isDirectory);
        try {
            connect = ConnectWorker.start(ConnectWorker.workerProperties(broker.bootstrapServers(),
                    registry.baseUrl(), options.connectPort(), pluginPath));
        } catch (RuntimeException e) {
            throw FreePorts.naming(e, options.connectPort(), "--connect-port");
        }
        started.push(connect);
        addresses.put("Kafka Connect", connectUrl() + "  (plugins: "
                + pluginPath.map(path -> path.toAbsolutePath().normalize().toString())
                        .orElse("none, " + options.connectPluginPath() + " does not exist yet") + ")");

        awaitRunning(streams);
        // Last: its presence tells ./shipstream send and tail that a stack runs here; close() deletes it first.
        new StackConnection(webhooks, broker.bootstrapServers(), registry.baseUrl(), secrets.values())
                .write(dataDirectory.path());
        started.push(() -> StackConnection.delete(dataDirectory.path()));
    }

    // The banner says the pipeline is ready, and Kafka Streams' first rebalance (and its state changes in the log)
    // belongs before it. Bounded: a streams app still rebalancing then is reported, not waited for forever.
    private static void awaitRunning(StreamsApp streams) {
        KafkaStreams.State state;
        try {
            state = streams.firstSettledState().toCompletableFuture()
                    .get(STREAMS_RUNNING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("the streams app is not running after {} (state {}); events wait until it is",
                    STREAMS_RUNNING_TIMEOUT, streams.state());
            return;
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for the streams app", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the streams app", e);
        }
        if (state != KafkaStreams.State.RUNNING) {
            LOG.warn("the streams app stopped before it ran (state {}); see the errors above", state);
        }
    }

    /** The port the ingress listens on. */
    public int ingressPort() {
        return ingress.port();
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public String schemaRegistryUrl() {
        return registry.baseUrl();
    }

    /** The Kafka Connect worker's REST API, e.g. {@code http://127.0.0.1:8083}. */
    public URI connectUrl() {
        URI url = connect.restUrl();
        return URI.create(url.getScheme() + "://" + url.getHost() + ":" + url.getPort());
    }

    /** What runs where, in start order, for the banner. */
    public Map<String, String> addresses() {
        return Map.copyOf(addresses);
    }

    /** The short banner printed once the stack is ready. */
    public String banner() {
        StringBuilder banner = new StringBuilder("\nShipstream devstack is ready\n");
        addresses.forEach((name, address) -> banner.append(String.format("  %-19s %s%n", name, address)));
        banner.append(String.format("  %-19s %s%n", "Topics", String.join(", ",
                Topics.all().stream().map(topic -> topic.name()).toList())));
        if (!createdTopics.isEmpty()) {
            banner.append(String.format("  %-19s %s%n", "(created now)", String.join(", ", createdTopics)));
        }
        banner.append(String.format("  %-19s %s%n", "Data", dataDirectory.path()));
        banner.append(String.format("  %-19s %s (owner-only; read by send and tail)%n", "Secrets",
                StackConnection.file(dataDirectory.path())));
        if (!secrets.generated().isEmpty()) {
            banner.append("Generated for this run (set them in the environment to keep them across restarts):\n");
            secrets.generated().forEach((name, value) -> banner.append(String.format("  %s=%s%n", name, value)));
        }
        banner.append("Stop with Ctrl-C.\n");
        banner.append("Next steps:\n");
        banner.append("  ./shipstream send asc ping          send a signed sample (--list shows them all)\n");
        banner.append("  ./shipstream tail events --follow   watch the decoded events (also: raw, deadletter)\n");
        return banner.toString();
    }

    /** Stops every started part in reverse order, then releases the data directory. Safe to call twice. */
    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            AutoCloseable part = started.pop();
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("Stopping {} failed: {}", part.getClass().getSimpleName(), e.toString());
            }
        }
        dataDirectory.close();
    }
}
