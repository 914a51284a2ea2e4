package dev.shipstream.ingress.publish;

import dev.shipstream.schemas.RawWebhook;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes raw webhooks with a Kafka {@link Producer} of encoded values (configured by {@link RawWebhookProducers}
 * with {@code acks=all} and idempotence) and completes each Vert.x future from the producer's send callback, on the
 * caller's context.
 *
 * <p>Never blocks an event loop:
 * <ul>
 *   <li>The schema registry is never called here: values are encoded by {@link RawWebhookEncoder} with the id that
 *       {@link SchemaRegistration} learns on a thread of its own. Until it is known, publishes fail at once with
 *       {@link PublishRejectedException} and {@link #ready()} is false.</li>
 *   <li>The producer is built with {@code max.block.ms=0} ({@link RawWebhookProducers#create}), so {@code send}
 *       never waits: while the topic's metadata is missing (before the first fetch, and during a broker outage or a
 *       leader change) or the buffer is full, it fails at once, synchronously, with a {@link TimeoutException}. So
 *       {@code send} runs on the publishing thread (the event loop), the way a bare receiver does it; only a record
 *       that meets missing metadata joins a queue of waiting records, which a thread of its own tries again, oldest
 *       first, every {@value #METADATA_POLL_MILLIS} ms (a scheduled task, nobody sleeps), each for up to
 *       {@link Limits#metadataWait()} (the configured {@code max.block.ms}) before it fails. While records wait,
 *       later publishes queue behind them, so they keep their order; their deadlines on the event loop still answer
 *       503 in time.</li>
 *   <li>Pending publishes are bounded by count and by bytes. The byte bound is below the producer's
 *       {@code buffer.memory} (see {@link Limits}), so a broker outage fills this bound, not the producer's buffer:
 *       beyond either bound a publish fails at once with {@link PublishRejectedException}.</li>
 * </ul>
 * A record larger than {@code max.request.size} or the topic's {@code max.message.bytes} (learned at start), or
 * refused by the broker as too large, fails with {@link RecordTooLargeToPublishException}: permanent, unlike the
 * others.
 */
public final class KafkaRawWebhookPublisher implements RawWebhookPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaRawWebhookPublisher.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    /** How long {@link #start()} waits for the first schema registration; it keeps trying in the background. */
    private static final Duration START_SCHEMA_WAIT = Duration.ofSeconds(5);
    /**
     * How often a record waiting for the topic's metadata is tried again. Each failed try asks the producer's network
     * thread for a metadata fetch, which it paces with its own backoff, so this bounds only the delay between the
     * metadata's arrival and the send.
     */
    static final long METADATA_POLL_MILLIS = 5;

    /**
     * What may be pending, how large a record may be and how long one may wait for the topic's metadata.
     *
     * @param maxPending      publishes that may await acknowledgement at once
     * @param maxPendingBytes bytes (as Kafka sizes the records) that may await acknowledgement at once; must leave
     *                        the producer's {@code buffer.memory} room for batch fragmentation
     * @param maxRequestSize  the producer's {@code max.request.size}: larger records are refused before the send
     * @param metadataWait    how long a publish may wait for the topic's metadata (or buffer space) before it fails:
     *                        the configured {@code max.block.ms}
     */
    public record Limits(int maxPending, long maxPendingBytes, long maxRequestSize, Duration metadataWait) {
        /** @throws IllegalArgumentException if a bound is not positive or a largest record could never be pending */
        public Limits {
            if (maxPending < 1) {
                throw new IllegalArgumentException("maxPending must be at least 1, got " + maxPending);
            }
            if (maxRequestSize < 1) {
                throw new IllegalArgumentException("maxRequestSize must be positive, got " + maxRequestSize);
            }
            if (maxPendingBytes < maxRequestSize) {
                throw new IllegalArgumentException("the pending-bytes bound (" + maxPendingBytes + ") must be at least"
                        + " max.request.size (" + maxRequestSize + "), or the largest records could never be sent:"
                        + " raise buffer.memory");
            }
            Objects.requireNonNull(metadataWait, "metadataWait");
            if (metadataWait.isNegative()) {
                throw new IllegalArgumentException("metadataWait must not be negative, got " + metadataWait);
            }
        }

        /** Bounds with the default wait for metadata, {@link RawWebhookProducers#DEFAULT_MAX_BLOCK_MS}. */
        public Limits(int maxPending, long maxPendingBytes, long maxRequestSize) {
            this(maxPending, maxPendingBytes, maxRequestSize,
                    Duration.ofMillis(RawWebhookProducers.DEFAULT_MAX_BLOCK_MS));
        }
    }

    private final Vertx vertx;
    private final Producer<String, byte[]> producer;
    private final String topic;
    private final Limits limits;
    private final ClusterProbe probe;
    private final SchemaRegistration registration;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong pendingBytes = new AtomicLong();
    /** Records that met missing metadata, oldest first, until sent or failed; while any are, publishes join them. */
    private final Queue<Waiting> waiting = new ConcurrentLinkedQueue<>();
    /** Whether a {@link #drainWaiting} is scheduled or running: at most one is. */
    private final AtomicBoolean draining = new AtomicBoolean();
    private final ScheduledThreadPoolExecutor waiter;
    private volatile long recordLimit;
    private volatile boolean metadataWarm;
    private volatile boolean closed;

    /**
     * @param vertx        the Vert.x instance whose worker threads run blocking calls
     * @param producer     the producer, built with {@code max.block.ms=0}; this publisher closes it
     * @param topic        the raw topic's name
     * @param limits       the bounds on pending publishes and record size
     * @param probe        tells readiness; this publisher closes it
     * @param registration learns the value schema's id; started by {@link #start()}, closed by this publisher
     */
    public KafkaRawWebhookPublisher(Vertx vertx, Producer<String, byte[]> producer, String topic, Limits limits,
            ClusterProbe probe, SchemaRegistration registration) {
        this.vertx = vertx;
        this.producer = producer;
        this.topic = topic;
        this.limits = limits;
        this.probe = probe;
        this.registration = registration;
        this.recordLimit = limits.maxRequestSize();
        this.waiter = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "shipstream-ingress-metadata-wait");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts learning the schema id and fetching the topic's metadata, and completes once both were tried (the schema
     * for at most {@link #START_SCHEMA_WAIT}, the metadata for at most {@link Limits#metadataWait()}). It never fails:
     * readiness tells whether they succeeded, and both keep being retried.
     */
    @Override
    public Future<Void> start() {
        registration.start();
        Future<Void> schema = Future.any(
                Future.fromCompletionStage(registration.firstAttempt(), vertx.getOrCreateContext()),
                vertx.timer(START_SCHEMA_WAIT.toMillis())).mapEmpty();
        Future<Void> metadata = topicMetadata(System.nanoTime() + limits.metadataWait().toNanos())
                .compose(known -> vertx.<Void>executeBlocking(() -> {
                    metadataWarm = true;
                    probe.maxMessageBytes(topic, PROBE_TIMEOUT).ifPresent(this::learnTopicLimit);
                    return null;
                }, false)).recover(e -> {
            // Starting anyway keeps the liveness endpoint up; readiness stays false until a check fetches it.
            LOG.warn("could not fetch the metadata of topic {}; not ready until it can: {}",
                    topic, e.toString());
            return Future.succeededFuture();
        });
        return Future.join(schema, metadata).mapEmpty();
    }

    /**
     * Succeeds once the producer has the topic's metadata, asking now and every {@value #METADATA_POLL_MILLIS} ms on a
     * timer (each miss asks the producer's network thread to fetch it); fails after {@code deadline}.
     */
    private Future<Void> topicMetadata(long deadline) {
        if (topicMetadataKnown()) {
            return Future.succeededFuture();
        }
        if (System.nanoTime() - deadline >= 0) {
            return Future.failedFuture(new IllegalStateException(noMetadata()));
        }
        return vertx.timer(METADATA_POLL_MILLIS).compose(fired -> topicMetadata(deadline));
    }

    /**
     * The broker refuses batches over the topic's {@code max.message.bytes} as too large; when that is below
     * {@code max.request.size}, records are held to it here, so that they are answered 413 without a round trip, and
     * the operator is told which setting to raise.
     */
    private void learnTopicLimit(long maxMessageBytes) {
        if (maxMessageBytes < limits.maxRequestSize()) {
            recordLimit = maxMessageBytes;
            LOG.warn("topic {} accepts records of at most {} bytes (max.message.bytes), less than max.request.size {}:"
                    + " larger records are answered 413; raise the topic's max.message.bytes to at least {} so that"
                    + " every body within its limit fits", topic, maxMessageBytes, limits.maxRequestSize(),
                    limits.maxRequestSize());
        }
    }

    /** Whether the topic metadata was fetched at least once (at start or by a readiness check). */
    public boolean metadataWarm() {
        return metadataWarm;
    }

    /** Publishes awaiting their acknowledgement. */
    public int pending() {
        return pending.get();
    }

    /** Bytes of the publishes awaiting their acknowledgement. */
    public long pendingBytes() {
        return pendingBytes.get();
    }

    @Override
    public Future<Void> publish(String key, RawWebhook record) {
        if (closed) {
            return Future.failedFuture(closedFailure());
        }
        OptionalInt schemaId = registration.id();
        if (schemaId.isEmpty()) {
            return Future.failedFuture(new PublishRejectedException(
                    "the value schema's id is not known yet: the schema registry has not answered"));
        }
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        byte[] value = RawWebhookEncoder.encode(schemaId.getAsInt(), record);
        int size = RecordEnvelope.recordSize(keyBytes, value);
        long limit = recordLimit;
        if (size > limit) {
            return Future.failedFuture(new RecordTooLargeToPublishException("a record of " + size + " bytes (body "
                    + RecordEnvelope.bodySize(record) + ") exceeds " + (limit == limits.maxRequestSize()
                    ? "max.request.size " : "the topic's max.message.bytes ") + limit));
        }
        if (pending.incrementAndGet() > limits.maxPending()) {
            pending.decrementAndGet();
            return Future.failedFuture(new PublishRejectedException(
                    "more than " + limits.maxPending() + " publishes await acknowledgement"));
        }
        if (pendingBytes.addAndGet(size) > limits.maxPendingBytes()) {
            pendingBytes.addAndGet(-size);
            pending.decrementAndGet();
            return Future.failedFuture(new PublishRejectedException(
                    "more than " + limits.maxPendingBytes() + " bytes await acknowledgement"));
        }
        Promise<Void> promise = Promise.promise();
        Completion completion = new Completion(vertx.getOrCreateContext(), promise, size);
        ProducerRecord<String, byte[]> producerRecord = new ProducerRecord<>(topic, key, value);
        if (!waiting.isEmpty() || !trySend(producerRecord, completion)) {
            waitForMetadata(new Waiting(producerRecord, completion,
                    System.nanoTime() + limits.metadataWait().toNanos()));
        }
        return promise.future();
    }

    /**
     * Hands the record to the producer, unless the topic's metadata is missing or the producer's buffer is full.
     *
     * @return false if nothing was sent for one of those reasons (the completion is then still open); true otherwise,
     *     also when the send failed for another reason (the completion then has the failure)
     */
    private boolean trySend(ProducerRecord<String, byte[]> record, Completion completion) {
        completion.mustWait = false;
        completion.attempting = Thread.currentThread();
        try {
            producer.send(record, completion);
        } catch (RuntimeException e) {
            completion.onCompletion(null, e);
        } finally {
            completion.attempting = null;
        }
        return !completion.mustWait;
    }

    /** A record that met missing metadata, and until when ({@link System#nanoTime()}) it may wait for it. */
    private record Waiting(ProducerRecord<String, byte[]> record, Completion completion, long deadline) {
    }

    /** Queues the record behind those already waiting; the waiting thread sends it once the metadata is there. */
    private void waitForMetadata(Waiting entry) {
        waiting.add(entry);
        scheduleDrain(0);
    }

    private void scheduleDrain(long delayMillis) {
        if (draining.compareAndSet(false, true)) {
            try {
                waiter.schedule(this::drainWaiting, delayMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                draining.set(false);
                failWaiting(closedFailure());
            }
        }
    }

    /**
     * Sends the waiting records, oldest first; stops at the first that still meets missing metadata and runs again
     * {@value #METADATA_POLL_MILLIS} ms later. A record past its deadline fails instead.
     */
    private void drainWaiting() {
        for (Waiting head = waiting.peek(); head != null; head = waiting.peek()) {
            if (!trySend(head.record(), head.completion())) {
                if (System.nanoTime() - head.deadline() < 0) {
                    draining.set(false);
                    scheduleDrain(METADATA_POLL_MILLIS);
                    return;
                }
                head.completion().onCompletion(null, new PublishRejectedException(
                        noMetadata() + " (or the producer's buffer stayed full)"));
            }
            waiting.poll();
        }
        draining.set(false);
        // A record queued after the loop found the queue empty, but before the flag was cleared, needs a drain too.
        if (!waiting.isEmpty()) {
            scheduleDrain(0);
        }
    }

    private String noMetadata() {
        return "no metadata of topic " + topic + " within " + limits.metadataWait().toMillis() + " ms";
    }

    private static PublishRejectedException closedFailure() {
        return new PublishRejectedException("the publisher is closed");
    }

    /** Fails every waiting record with {@code failure}. */
    private void failWaiting(Exception failure) {
        for (Waiting head = waiting.poll(); head != null; head = waiting.poll()) {
            head.completion().onCompletion(null, failure);
        }
    }

    /** Whether the producer has the topic's partitions; never waits ({@code max.block.ms=0}). */
    private boolean topicMetadataKnown() {
        try {
            List<PartitionInfo> partitions = producer.partitionsFor(topic);
            return partitions != null && !partitions.isEmpty();
        } catch (TimeoutException e) {
            return false;
        }
    }

    /** Ready when the schema id is known (checked without blocking) and the cluster answers with the topic. */
    @Override
    public Future<Boolean> ready() {
        if (registration.id().isEmpty()) {
            return Future.succeededFuture(false);
        }
        return vertx.executeBlocking(() -> {
            if (!probe.reachable(PROBE_TIMEOUT)) {
                return false;
            }
            // A miss asks the producer for the metadata, which the next check then finds.
            boolean ready = topicMetadataKnown();
            if (ready) {
                metadataWarm = true;
            }
            return ready;
        }, false).otherwise(false);
    }

    /**
     * Refuses new publishes, gives records waiting for metadata one more try (the rest fail), then flushes and closes
     * the producer on a thread of its own: shutdown runs while verticles are being undeployed, and
     * a closed deployment context no longer runs blocking tasks.
     */
    @Override
    public Future<Void> close(Duration timeout) {
        closed = true;
        Promise<Void> done = Promise.promise();
        Thread closer = new Thread(() -> {
            try (probe; registration) {
                long deadline = System.nanoTime() + timeout.toNanos();
                // A drain already scheduled still runs; one it would schedule again is refused and fails the rest.
                waiter.shutdown();
                if (!waiter.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    waiter.shutdownNow();
                }
                failWaiting(closedFailure());
                producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                done.complete();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                producer.close(Duration.ZERO);
                done.fail(e);
            } catch (RuntimeException e) {
                done.fail(e);
            }
        }, "shipstream-ingress-publisher-close");
        done.future().onComplete(ar -> LOG.info("producer closed; {} publishes were pending", pending.get()));
        closer.start();
        return done.future();
    }

    /**
     * Completes the publish's promise once, on the publishing context, whatever thread reports the outcome. A
     * {@link TimeoutException} reported during {@link #trySend}, on the thread that calls {@code send}, is not an
     * outcome: it is how a producer with {@code max.block.ms=0} says that the metadata is missing or the buffer full
     * ({@code KafkaProducer.doSend} reports such an error to the callback before {@code send} returns); the record was
     * not sent and {@link #mustWait} tells {@code trySend} so. The same error later, from the network thread (a batch
     * expired), is an outcome.
     */
    private final class Completion implements Callback {
        private final Context context;
        private final Promise<Void> promise;
        private final int size;
        private final AtomicBoolean done = new AtomicBoolean();
        /** The thread inside {@code send} for this record, or null. */
        private volatile Thread attempting;
        /** Set by the callback when the try in progress must wait for metadata; read by that same thread. */
        private boolean mustWait;

        private Completion(Context context, Promise<Void> promise, int size) {
            this.context = context;
            this.promise = promise;
            this.size = size;
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            if (exception instanceof TimeoutException && attempting == Thread.currentThread()) {
                mustWait = true;
                return;
            }
            if (!done.compareAndSet(false, true)) {
                return;
            }
            pendingBytes.addAndGet(-size);
            pending.decrementAndGet();
            Throwable failure = exception instanceof RecordTooLargeException tooLarge
                    ? new RecordTooLargeToPublishException("Kafka refused a record of " + size + " bytes as too large",
                            tooLarge)
                    : exception;
            context.runOnContext(v -> {
                if (failure == null) {
                    promise.tryComplete();
                } else {
                    promise.tryFail(failure);
                }
            });
        }
    }
}
