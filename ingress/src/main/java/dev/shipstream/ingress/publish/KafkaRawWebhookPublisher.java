package dev.shipstream.ingress.publish;

import dev.shipstream.schemas.RawWebhook;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes raw webhooks with a Kafka {@link Producer} (configured by {@link RawWebhookProducers} with
 * {@code acks=all} and idempotence) and completes each Vert.x future from the producer's send callback, on the
 * caller's context.
 *
 * <p>Never blocks an event loop: {@link #start()} fetches the topic's metadata and warms the value serializer (which
 * may talk to the schema registry) on a worker thread. Until that succeeded, sends run on a worker thread too,
 * because {@code send} blocks for up to {@code max.block.ms} while metadata is missing; afterwards they run on the
 * caller's thread, where {@code send} only serializes and appends to the producer's buffer. Pending publishes are
 * bounded: beyond {@code maxPending} a publish fails at once with {@link PublishRejectedException}, so a broker
 * outage cannot fill the producer's buffer and make {@code send} block.
 */
public final class KafkaRawWebhookPublisher implements RawWebhookPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaRawWebhookPublisher.class);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final Vertx vertx;
    private final Producer<String, RawWebhook> producer;
    private final String topic;
    private final int maxPending;
    private final ClusterProbe probe;
    private final Runnable serializerWarmUp;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean metadataWarm;

    /**
     * @param vertx            the Vert.x instance whose worker threads run blocking calls
     * @param producer         the producer; this publisher closes it
     * @param topic            the raw topic's name
     * @param maxPending       publishes that may await acknowledgement at once
     * @param probe            tells readiness; this publisher closes it
     * @param serializerWarmUp run once on a worker at start (e.g. registers or looks up the value schema)
     */
    public KafkaRawWebhookPublisher(Vertx vertx, Producer<String, RawWebhook> producer, String topic, int maxPending,
            ClusterProbe probe, Runnable serializerWarmUp) {
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be at least 1, got " + maxPending);
        }
        this.vertx = vertx;
        this.producer = producer;
        this.topic = topic;
        this.maxPending = maxPending;
        this.probe = probe;
        this.serializerWarmUp = serializerWarmUp;
    }

    @Override
    public Future<Void> start() {
        return vertx.<Void>executeBlocking(() -> {
            List<PartitionInfo> partitions = producer.partitionsFor(topic);
            if (partitions == null || partitions.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " has no partitions");
            }
            serializerWarmUp.run();
            metadataWarm = true;
            return null;
        }, false).recover(e -> {
            // Starting anyway keeps the liveness endpoint up; readiness stays false and sends use a worker.
            LOG.warn("could not warm up the producer for topic {}; publishing from worker threads until it can: {}",
                    topic, e.toString());
            return Future.succeededFuture();
        });
    }

    /** Whether the topic metadata is cached, so that sends no longer need a worker thread. */
    public boolean metadataWarm() {
        return metadataWarm;
    }

    /** Publishes awaiting their acknowledgement. */
    public int pending() {
        return pending.get();
    }

    @Override
    public Future<Void> publish(String key, RawWebhook record) {
        Context context = vertx.getOrCreateContext();
        if (pending.incrementAndGet() > maxPending) {
            pending.decrementAndGet();
            return Future.failedFuture(new PublishRejectedException(
                    "more than " + maxPending + " publishes await acknowledgement"));
        }
        Promise<Void> promise = Promise.promise();
        Completion completion = new Completion(context, promise);
        ProducerRecord<String, RawWebhook> producerRecord = new ProducerRecord<>(topic, key, record);
        if (metadataWarm && Context.isOnEventLoopThread()) {
            send(producerRecord, completion);
        } else {
            vertx.executeBlocking(() -> {
                send(producerRecord, completion);
                return null;
            }, false);
        }
        return promise.future();
    }

    private void send(ProducerRecord<String, RawWebhook> record, Completion completion) {
        try {
            producer.send(record, completion);
        } catch (RuntimeException e) {
            completion.onCompletion(null, e);
        }
    }

    @Override
    public Future<Boolean> ready() {
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
            try (probe) {
                producer.close(timeout);
                closed.complete();
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
        private final AtomicBoolean done = new AtomicBoolean();

        private Completion(Context context, Promise<Void> promise) {
            this.context = context;
            this.promise = promise;
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            pending.decrementAndGet();
            context.runOnContext(v -> {
                if (exception == null) {
                    promise.tryComplete();
                } else {
                    promise.tryFail(exception);
                }
            });
        }
    }
}
