package dev.shipstream.ingress.publish;

import dev.shipstream.schemas.serde.SchemaRegistryClient;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.apache.kafka.common.utils.ExponentialBackoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns the registry id of the raw topic's value schema on a thread of its own, never on an event loop: a registry
 * that does not answer holds only this thread, for at most the registry client's request timeout per attempt. A
 * failed attempt is retried with exponential backoff (jittered, capped) until one succeeds or {@link #close()} is
 * called; after that the id is fixed for the life of the process (a schema's id never changes).
 *
 * <p>Until the id is known, {@link #id()} is empty: the publisher refuses publishes at once (503) and readiness is
 * false, so a load balancer sends no traffic here.
 */
public final class SchemaRegistration implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistration.class);

    private final String subject;
    private final ToIntFunction<String> resolve;
    private final ExponentialBackoff backoff;
    private final AutoCloseable client;
    private final ScheduledExecutorService thread;
    private final CompletableFuture<Void> firstAttempt = new CompletableFuture<>();
    private volatile int id = -1;
    private int failures;

    /**
     * @param subject      the subject, for log lines
     * @param resolve      registers (or looks up) the schema and returns its id; blocking, may throw
     * @param initialDelay the wait after the first failure; doubled after each further one
     * @param maxDelay     the longest wait between two attempts
     * @param client       what {@code resolve} talks through; closed by {@link #close()}
     */
    public SchemaRegistration(String subject, ToIntFunction<String> resolve, Duration initialDelay,
            Duration maxDelay, AutoCloseable client) {
        this.subject = subject;
        this.resolve = resolve;
        this.client = client;
        this.backoff = new ExponentialBackoff(initialDelay.toMillis(), 2, maxDelay.toMillis(), 0.2);
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shipstream-ingress-schema-registration");
            t.setDaemon(true);
            return t;
        });
    }

    /** The registered subject's id for a client, e.g. {@code client.register(subject, schema)}. */
    public static ToIntFunction<String> registering(SchemaRegistryClient client, String schema,
            boolean autoRegister) {
        return subject -> autoRegister ? client.register(subject, schema) : client.lookup(subject, schema).id();
    }

    /** Starts the first attempt; returns at once. */
    public void start() {
        thread.execute(this::attempt);
    }

    /** Completes when the first attempt ended, successful or not. */
    public CompletableFuture<Void> firstAttempt() {
        return firstAttempt;
    }

    /** The schema id, once an attempt succeeded. */
    public OptionalInt id() {
        int known = id;
        return known < 0 ? OptionalInt.empty() : OptionalInt.of(known);
    }

    private void attempt() {
        try {
            id = resolve.applyAsInt(subject);
            LOG.info("value schema of subject {} has id {}", subject, id);
        } catch (RuntimeException e) {
            long delay = backoff.backoff(failures++);
            // The message names the registry URL and the cause, never credentials: the client keeps those apart.
            LOG.warn("could not register the value schema of subject {} (attempt {}); publishing is refused until it"
                    + " succeeds; retrying in {} ms: {}", subject, failures, delay, e.toString());
            try {
                thread.schedule(this::attempt, delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closed) {
                LOG.debug("schema registration closed; not retrying");
            }
        } finally {
            firstAttempt.complete(null);
        }
    }

    /** Stops retrying (an attempt in progress is interrupted) and closes the client. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            client.close();
        } catch (Exception e) {
            LOG.warn("could not close the schema registry client: {}", e.toString());
        }
    }
}
