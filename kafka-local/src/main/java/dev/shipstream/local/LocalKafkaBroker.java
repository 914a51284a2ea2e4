package dev.shipstream.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker in KRaft mode (combined broker and controller), run inside this JVM from
 * Apache Kafka's own {@code kafka_2.13} artifact: the same server classes {@code bin/kafka-server-start.sh} runs.
 *
 * <p>The data directory is formatted on first start and reused afterwards, so topics and records survive a
 * {@link #stop()} and {@link #start()} and a restart of the process. Ports are fixed when the broker is built
 * (port 0 picks a free one once), so a restarted broker comes back on the same address and clients reconnect.
 * Internal topics use replication factor 1, which is right for one broker and wrong for anything else.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaBroker.class);
    private static final int NODE_ID = 1;
    private static final String HOST = "127.0.0.1";

    private final Path logDir;
    private final int listenerPort;
    private final int controllerPort;
    private final Map<String, String> overrides;
    private final Duration startTimeout;
    private KafkaRaftServer server;

    private LocalKafkaBroker(Builder builder) {
        this.logDir = builder.dataDir.resolve("kafka").toAbsolutePath();
        this.listenerPort = builder.listenerPort == 0 ? freePort() : builder.listenerPort;
        this.controllerPort = builder.controllerPort == 0 ? freePort() : builder.controllerPort;
        this.overrides = Map.copyOf(builder.overrides);
        this.startTimeout = builder.startTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats the data directory if it is new, starts the broker and waits until it answers metadata requests.
     *
     * @throws IllegalStateException if the broker is not ready within the start timeout
     */
    public synchronized LocalKafkaBroker start() {
        if (server != null) {
            return this;
        }
        try {
            Files.createDirectories(logDir);
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format();
            }
            KafkaConfig config = KafkaConfig.fromProps(serverProperties(), false);
            KafkaRaftServer raftServer = new KafkaRaftServer(config, Time.SYSTEM);
            raftServer.startup();
            server = raftServer;
            awaitReady();
            LOG.info("Kafka broker ready on {} (data in {})", bootstrapServers(), logDir);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the Kafka data directory " + logDir, e);
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("Kafka broker did not start on " + bootstrapServers() + ": " + e.getMessage(), e);
        }
    }

    /** Shuts the broker down cleanly, keeping its data. A later {@link #start()} brings it back on the same ports. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        KafkaRaftServer stopping = server;
        server = null;
        stopping.shutdown();
        stopping.awaitShutdown();
        LOG.info("Kafka broker on {} stopped", bootstrapServers());
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** The {@code bootstrap.servers} value for clients, e.g. {@code 127.0.0.1:9092}. */
    public String bootstrapServers() {
        return HOST + ":" + listenerPort;
    }

    public int listenerPort() {
        return listenerPort;
    }

    /** Where the broker keeps its log segments and metadata. */
    public Path logDir() {
        return logDir;
    }

    @Override
    public void close() {
        stop();
    }

    private void format() throws Exception {
        Formatter formatter = new Formatter()
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .addDirectory(logDir.toString())
                .setMetadataLogDirectory(logDir.toString())
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setControllerListenerName("CONTROLLER")
                .setUnstableFeatureVersionsEnabled(false)
                .setIgnoreFormatted(true)
                .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        formatter.run();
    }

    private Properties serverProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        props.put("listeners", "PLAINTEXT://" + HOST + ":" + listenerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + listenerPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        props.put("num.partitions", "1");
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("unclean.leader.election.enable", "false");
        props.putAll(overrides);
        Properties properties = new Properties();
        properties.putAll(props);
        return properties;
    }

    private void awaitReady() throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) startTimeout.toMillis());
        try (Admin admin = Admin.create(config)) {
            admin.describeCluster().nodes().get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + HOST, e);
        }
    }

    /** Builds a {@link LocalKafkaBroker}; only the data directory is required. */
    public static final class Builder {
        private Path dataDir;
        private int listenerPort = 9092;
        private int controllerPort = 0;
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private Duration startTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** The directory under which the broker keeps its data ({@code <dataDir>/kafka}). */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /** The client listener port on 127.0.0.1; 0 picks a free port once. Default 9092. */
        public Builder listenerPort(int port) {
            this.listenerPort = checkPort(port);
            return this;
        }

        /** The KRaft controller port on 127.0.0.1; 0 (the default) picks a free port once. */
        public Builder controllerPort(int port) {
            this.controllerPort = checkPort(port);
            return this;
        }

        /** A broker property to set, overriding the single-node defaults. */
        public Builder brokerProperty(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public LocalKafkaBroker build() {
            if (dataDir == null) {
                throw new IllegalStateException("dataDir is required");
            }
            return new LocalKafkaBroker(this);
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
            }
            return port;
        }
    }
}
