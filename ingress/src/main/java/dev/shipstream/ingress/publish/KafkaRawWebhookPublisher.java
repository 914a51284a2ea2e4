package dev.shipstream.ingress.publish;

import dev.shipstream.schemas.RawWebhook;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
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
 *   <li>{@code send} runs on a sender thread of its own, never on the caller's: it blocks for up to
 *       {@code max.block.ms} whenever the topic's metadata is missing, which happens not only before the first fetch
 *       but during a broker outage too (observed: {@code KafkaProducer.waitOnMetadata} on every send while the broker
 *       was down). While it blocks, the publishes behind it wait in the sender's queue, which the bounds below keep
 *       finite, and their deadlines on the event loop still answer 503 in time.</li>
 *   <li>Pending publishes are bounded by count and by bytes. The byte bound is below the producer's
 *       {@code buffer.memory} (see {@link Limits}), so a broker outage fills this bound, not the producer's buffer,
 *       and {@code send} never waits for buffer space: beyond either bound a publish fails at once with
 *       {@link PublishRejectedException}.</li>
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
     * What may be pending and how large a record may be.
     *
     * @param maxPending      publishes that may await acknowledgement at once
     * @param maxPendingBytes bytes (as Kafka sizes the records) that may await acknowledgement at once; must leave
     *                        the producer's {@code buffer.memory} room for batch fragmentation
     * @param maxRequestSize  the producer's {@code max.request.size}: larger records are refused before the send
     */
    public record Limits(int maxPending, long maxPendingBytes, long maxRequestSize) {
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
    private final ThreadPoolExecutor sender;
    private volatile long recordLimit;
    private volatile boolean metadataWarm;

    /**
     * @param vertx        the Vert.x instance whose worker threads run blocking calls
     * @param producer     the producer; this publisher closes it
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
        // The count bound admits at most maxPending sends at once, so this queue never refuses one while open.
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(limits.maxPending()), runnable -> {
                    Thread thread = new Thread(runnable, "shipstream-ingress-sender");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * Starts learning the schema id and fetching the topic's metadata, and completes once both were tried (the schema
     * for at most {@link #START_SCHEMA_WAIT}, the metadata for at most {@code max.block.ms}). It never fails:
     * readiness tells whether they succeeded, and both keep being retried.
     */
    @Override
    public Future<Void> start() {
        registration.start();
        Future<Void> schema = Future.any(
                Future.fromCompletionStage(registration.firstAttempt(), vertx.getOrCreateContext()),
                vertx.timer(START_SCHEMA_WAIT.toMillis())).mapEmpty();
        Future<Void> metadata = vertx.<Void>executeBlocking(() -> {
            List<PartitionInfo> partitions = producer.partitionsFor(topic);
            if (partitions == null || partitions.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " has no partitions");
            }
            metadataWarm = true;
            probe.maxMessageBytes(topic, PROBE_TIMEOUT).ifPresent(this::learnTopicLimit);
            return null;
        }, false).recover(e -> {
            // Starting anyway keeps the liveness endpoint up; readiness stays false until a check fetches it.
            LOG.warn("could not fetch the metadata of topic {}; not ready until it can: {}",
                    topic, e.toString());
            return Future.succeededFuture();
        });
        return Future.join(schema, metadata).mapEmpty();
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
        try {
            sender.execute(() -> send(producerRecord, completion));
        } catch (RejectedExecutionException e) {
            completion.onCompletion(null, new PublishRejectedException("the publisher is closed"));
        }
        return promise.future();
    }

    private void send(ProducerRecord<String, byte[]> record, Completion completion) {
        try {
            producer.send(record, completion);
        } catch (RuntimeException e) {
            completion.onCompletion(null, e);
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
            List<PartitionInfo> partitions = producer.partitionsFor(topic);
            boolean ready = partitions != null && !partitions.isEmpty();
            if (ready) {
                metadataWarm = true;
            }
            return ready;
        }, false).otherwise(false);
    }

    /**
     * Flushes and closes the producer on a thread of its own: shutdown runs while verticles are being undeployed, and
     * a closed deployment context no longer runs blocking tasks.
     */
    @Override
    public Future<Void> close(Duration timeout) {
        Promise<Void> closed = Promise.promise();
        Thread closer = new Thread(() -> {
            try (probe; registration) {
                long deadline = System.nanoTime() + timeout.toNanos();
                sender.shutdown();
                if (!sender.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    sender.shutdownNow();
                }
                producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
                closed.complete();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                producer.close(Duration.ZERO);
                closed.fail(e);
            } catch (RuntimeException e) {
                closed.fail(e);
            }
        }, "shipstream-ingress-publisher-close");
        closed.future().onComplete(ar -> LOG.info("producer closed; {} publishes were pending", pending.get()));
        closer.start();
        return closed.future();
    }

    /** Completes the publish's promise once, on the publishing context, whatever thread reports the outcome. */
    private final class Completion implements Callback {
        private final Context context;
        private final Promise<Void> promise;
        private final int size;
        private final AtomicBoolean done = new AtomicBoolean();

        private Completion(Context context, Promise<Void> promise, int size) {
            this.context = context;
            this.promise = promise;
            this.size = size;
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
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
