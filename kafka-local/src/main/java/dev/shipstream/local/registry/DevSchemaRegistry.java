package dev.shipstream.local.registry;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A development schema registry speaking the subset of Confluent's Schema Registry REST API that Confluent's
 * serializers and Shipstream's {@code SchemaRegistryClient} use, for Avro schemas, with Confluent's JSON bodies and
 * error codes.
 *
 * <p>State lives in a {@link SchemaStore}: by default a {@link KafkaSchemaStore} on a compacted topic
 * ({@code _schemas}), so registrations survive restarts and several instances on one topic converge. Every change
 * is durable in the store before it is answered; a write that takes longer than the write timeout is answered
 * {@code 500 / 50002} and may still land. Request bodies are limited ({@link Builder#maxBodyBytes}, 413 beyond), and
 * so are schemas: more named types or deeper nesting than {@code SchemaLimits} allows is {@code 422 / 42201}, refused
 * before it can cost seconds of parsing or overflow a stack.
 * Compatibility is checked with Avro's {@code SchemaCompatibility}; the default level is BACKWARD. Deleting a
 * subject is a soft delete; schema references and non-Avro schema types are refused.
 *
 * <p>Lifecycle: {@link #start()} blocks until the store is read and the server listens; {@link #close()} stops
 * accepting requests, lets running ones finish (bounded), and closes what the registry opened. A store or Vert.x
 * instance handed to the builder belongs to the caller and is not closed.
 */
public final class DevSchemaRegistry implements AutoCloseable {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8081;
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(DevSchemaRegistry.class);
    private static final int WORKER_THREADS = 4;
    private static final int MAX_PENDING_REQUESTS = 256;
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final Settings config;
    private SchemaStore store;
    private boolean ownsStore;
    private Vertx vertx;
    private boolean ownsVertx;
    private WorkerExecutor workers;
    private HttpServer server;

    private DevSchemaRegistry(Settings config) {
        this.config = config;
    }

    /** A builder with the defaults: 127.0.0.1:8081, topic {@code _schemas}, replication factor 1. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the store and starts listening; returns once requests are served. Blocks, so it must not be called on
     * a Vert.x event loop.
     *
     * @throws IllegalStateException when called twice
     * @throws SchemaStoreException  when the store cannot be read; nothing is left open
     */
    public DevSchemaRegistry start() {
        if (server != null || store != null) {
            throw new IllegalStateException("registry already started");
        }
        try {
            ownsStore = config.store() == null;
            store = ownsStore
                    ? new KafkaSchemaStore(config.bootstrapServers(), config.topic(), config.replicationFactor(),
                            config.writeTimeout())
                    : config.store();
            RegistryState state = new RegistryState();
            store.start(state, config.startTimeout());

            ownsVertx = config.vertx() == null;
            vertx = ownsVertx ? Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1)) : config.vertx();
            workers = vertx.createSharedWorkerExecutor("dev-schema-registry-" + System.identityHashCode(this),
                    WORKER_THREADS, config.writeTimeout().toMillis() * 3, TimeUnit.MILLISECONDS);
            RegistryService service = new RegistryService(state, store, config.writeTimeout());
            RegistryRoutes routes = new RegistryRoutes(service, workers, config.maxBodyBytes(), MAX_PENDING_REQUESTS);
            // HTTP/1.1 only, like the streams app's server: with h2c accepted, Vert.x 5.0.7 now and then left the
            // body of an upgraded response unfinished, and Java's HttpClient asks for the upgrade by default.
            server = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port())
                            .setHttp2ClearTextEnabled(false))
                    .requestHandler(routes.router(vertx))
                    .listen()
                    .toCompletionStage().toCompletableFuture()
                    .get(config.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("Development schema registry listening on {}", baseUrl());
            return this;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while starting the schema registry", e);
        } catch (ExecutionException | TimeoutException e) {
            close();
            throw new IllegalStateException("schema registry could not listen on " + config.host() + ":" + config.port()
                    + ": " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The port the server listens on; the one picked by the system when configured with 0. */
    public int actualPort() {
        if (server == null) {
            throw new IllegalStateException("registry not started");
        }
        return server.actualPort();
    }

    /** The URL clients use, such as {@code http://127.0.0.1:8081}. */
    public String baseUrl() {
        return "http://" + config.host() + ":" + actualPort();
    }

    /** Stops serving, waiting a bounded time for requests in progress, and closes what the registry opened. */
    @Override
    public void close() {
        if (server != null) {
            awaitQuietly(server.shutdown(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS).toCompletionStage()
                    .toCompletableFuture(), "server shutdown");
            server = null;
        }
        if (workers != null) {
            awaitQuietly(workers.close().toCompletionStage().toCompletableFuture(), "worker pool close");
            workers = null;
        }
        if (vertx != null && ownsVertx) {
            awaitQuietly(vertx.close().toCompletionStage().toCompletableFuture(), "Vert.x close");
        }
        vertx = null;
        if (store != null && ownsStore) {
            store.close();
        }
        store = null;
    }

    private static void awaitQuietly(CompletableFuture<?> future, String what) {
        try {
            future.get(SHUTDOWN_GRACE.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Schema registry {} did not finish cleanly: {}", what, e.toString());
        }
    }

    private record Settings(String host, int port, String bootstrapServers, String topic, short replicationFactor,
                            Duration writeTimeout, Duration startTimeout, long maxBodyBytes, SchemaStore store,
                            Vertx vertx) {
    }

    /** The registry's settings; {@link #build()} checks them. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private String bootstrapServers;
        private String topic = KafkaSchemaStore.DEFAULT_TOPIC;
        private short replicationFactor = 1;
        private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;
        private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private SchemaStore store;
        private Vertx vertx;

        private Builder() {
        }

        /** The address to bind; 127.0.0.1 by default so the registry is not reachable from other machines. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port to listen on; 0 picks a free one (see {@link DevSchemaRegistry#actualPort()}). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The Kafka cluster holding the schema topic; required unless {@link #store} is given. */
        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        /** The compacted topic holding the registry's log; {@code _schemas} by default. */
        public Builder topic(String topic) {
            this.topic = Objects.requireNonNull(topic, "topic");
            return this;
        }

        /** The replication factor of the schema topic when the registry creates it; 1 by default. */
        public Builder replicationFactor(short replicationFactor) {
            this.replicationFactor = replicationFactor;
            return this;
        }

        /** How long a change may take to become durable before it is answered 50002; 10 s by default. */
        public Builder writeTimeout(Duration writeTimeout) {
            this.writeTimeout = Objects.requireNonNull(writeTimeout, "writeTimeout");
            return this;
        }

        /** How long {@link DevSchemaRegistry#start()} may take to read the store and bind; 60 s by default. */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
            return this;
        }

        /** The largest request body accepted; larger ones are answered 413. 1 MiB by default. */
        public Builder maxBodyBytes(long maxBodyBytes) {
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /** A store to use instead of a Kafka topic, such as {@link InMemorySchemaStore}; the caller closes it. */
        public Builder store(SchemaStore store) {
            this.store = store;
            return this;
        }

        /** A Vert.x instance to run on instead of a private one; the caller closes it. */
        public Builder vertx(Vertx vertx) {
            this.vertx = vertx;
            return this;
        }

        /**
         * A registry with these settings, not yet started.
         *
         * @throws IllegalArgumentException naming the first setting that is out of range or missing
         */
        public DevSchemaRegistry build() {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
            }
            if (store == null && (bootstrapServers == null || bootstrapServers.isBlank())) {
                throw new IllegalArgumentException("bootstrapServers is required when no store is given");
            }
            if (store != null && bootstrapServers != null) {
                throw new IllegalArgumentException("give either bootstrapServers or a store, not both");
            }
            if (topic.isBlank()) {
                throw new IllegalArgumentException("topic must not be blank");
            }
            if (replicationFactor < 1) {
                throw new IllegalArgumentException("replicationFactor must be at least 1, got " + replicationFactor);
            }
            requirePositive(writeTimeout, "writeTimeout");
            requirePositive(startTimeout, "startTimeout");
            if (maxBodyBytes < 1) {
                throw new IllegalArgumentException("maxBodyBytes must be positive, got " + maxBodyBytes);
            }
            return new DevSchemaRegistry(new Settings(host, port, bootstrapServers, topic, replicationFactor,
                    writeTimeout, startTimeout, maxBodyBytes, store, vertx));
        }

        private static void requirePositive(Duration duration, String name) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + duration);
            }
        }
    }
}
