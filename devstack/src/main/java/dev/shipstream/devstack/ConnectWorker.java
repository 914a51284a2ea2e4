package dev.shipstream.devstack;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.shipstream.schemas.connect.AvroConverter;
import dev.shipstream.schemas.serde.AvroSerdeConfig;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;
import org.apache.kafka.connect.storage.StringConverter;
import org.apache.kafka.connect.util.FutureCallback;

/**
 * The devstack's Kafka Connect worker: Apache Kafka's own distributed worker ({@code connect-runtime}) running in
 * this process, exactly as {@code connect-distributed.sh} would run it, with its REST API on 127.0.0.1.
 *
 * <p>It keeps connector configs, source offsets and statuses in three compacted topics on the local broker
 * ({@value #CONFIG_TOPIC}, {@value #OFFSET_TOPIC}, {@value #STATUS_TOPIC}, replication factor 1), which it creates
 * itself on the first start, so connectors survive a restart on the same data directory. Values are converted by the
 * project's {@link AvroConverter} against the dev registry (sink tasks see {@code Struct}s), keys by
 * {@link StringConverter}. Plugins come from {@code plugin.path}, each in its own class loader; connector secrets can
 * be given as {@code ${env:SHIPSTREAM_...}} placeholders, which the worker resolves when a task starts while the
 * stored config, the REST API and the logs keep the placeholder.
 */
final class ConnectWorker implements AutoCloseable {

    static final String GROUP_ID = "shipstream-connect";
    static final String CONFIG_TOPIC = "shipstream-connect-configs";
    static final String OFFSET_TOPIC = "shipstream-connect-offsets";
    static final String STATUS_TOPIC = "shipstream-connect-status";
    /** Environment variables a connector config may reference as {@code ${env:NAME}}: only Shipstream's own. */
    static final String ENV_ALLOWLIST = "SHIPSTREAM_.*";

    static final String DISCOVERY = "service_load";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Connect<DistributedHerder> connect;

    private ConnectWorker(Connect<DistributedHerder> connect) {
        this.connect = connect;
    }

    /**
     * The worker configuration of the devstack.
     *
     * @param port       the REST port on 127.0.0.1, 0 for any free one
     * @param pluginPath the directory whose children are plugins; empty runs with the classpath's plugins only
     */
    static Map<String, String> workerProperties(String bootstrapServers, String schemaRegistryUrl, int port,
                                                Optional<Path> pluginPath) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", GROUP_ID);
        props.put("config.storage.topic", CONFIG_TOPIC);
        props.put("offset.storage.topic", OFFSET_TOPIC);
        props.put("status.storage.topic", STATUS_TOPIC);
        // One broker: the default replication factor of 3 could never be met.
        props.put("config.storage.replication.factor", "1");
        props.put("offset.storage.replication.factor", "1");
        props.put("status.storage.replication.factor", "1");
        props.put("listeners", "http://127.0.0.1:" + port);
        props.put("key.converter", StringConverter.class.getName());
        props.put("value.converter", AvroConverter.class.getName());
        props.put("value.converter." + AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, schemaRegistryUrl);
        pluginPath.ifPresent(path -> props.put("plugin.path", path.toAbsolutePath().normalize().toString()));
        // Plugins are found through their META-INF/services manifests only. The default, hybrid_warn, also scans
        // every class of the classpath by reflection: about 30 s on the devstack's classpath, against 0.1 s. The
        // project's converter is listed by this module's own manifest; a plugin without one is not found (Kafka's
        // `bin/connect-plugin-path.sh sync-manifests` adds them to third-party plugins).
        props.put("plugin.discovery", DISCOVERY);
        // A lone worker has no peer that could come back and take its tasks: reassign at once after a restart.
        props.put("scheduled.rebalance.max.delay.ms", "0");
        props.put("config.providers", "env");
        props.put("config.providers.env.class", EnvVarConfigProvider.class.getName());
        props.put("config.providers.env.param." + EnvVarConfigProvider.ALLOWLIST_PATTERN_CONFIG, ENV_ALLOWLIST);
        return props;
    }

    /**
     * Starts the worker and returns once it has joined its group and read its configs, so connectors can be
     * created over REST at once. Throws (and leaves nothing running) if it cannot start.
     */
    static ConnectWorker start(Map<String, String> workerProperties) {
        Connect<DistributedHerder> connect = startInProcess(workerProperties);
        ConnectWorker worker = new ConnectWorker(connect);
        try {
            worker.awaitReady();
            return worker;
        } catch (RuntimeException e) {
            worker.close();
            throw e;
        }
    }

    private static synchronized Connect<DistributedHerder> startInProcess(Map<String, String> workerProperties) {
        ClassLoader contextLoader = Thread.currentThread().getContextClassLoader();
        // connect-distributed.sh's start-up ends the JVM when the worker fails to start, and registers a JVM
        // shutdown hook stopping the worker. In the devstack a failure is reported by the caller, and the worker is
        // stopped by DevStack.close before the broker it needs; a hook racing that would let the broker go first.
        Exit.setExitProcedure((status, message) -> {
            throw new IllegalStateException("Kafka Connect failed to start (see the log above)");
        });
        Exit.setShutdownHookAdder((name, hook) -> { });
        try {
            return new ConnectDistributed().startConnect(workerProperties);
        } finally {
            Exit.resetExitProcedure();
            Exit.resetShutdownHookAdder();
            // Start-up makes Connect's plugin loader this thread's context loader; the caller's code wants its own.
            Thread.currentThread().setContextClassLoader(contextLoader);
        }
    }

    private void awaitReady() {
        FutureCallback<Void> ready = new FutureCallback<>();
        connect.herder().healthCheck(ready);
        try {
            ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka Connect did not join its group within " + READY_TIMEOUT.toSeconds()
                    + " s", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka Connect failed to start: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while Kafka Connect was starting", e);
        }
    }

    /** The REST API's base URL, e.g. {@code http://127.0.0.1:8083/}. */
    URI restUrl() {
        return connect.rest().serverUrl();
    }

    /** Stops the REST server, then the connectors and tasks (each gets Connect's graceful-shutdown timeout). */
    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }
}
