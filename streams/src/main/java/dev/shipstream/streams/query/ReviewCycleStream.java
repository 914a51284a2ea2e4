package dev.shipstream.streams.query;

import dev.shipstream.schemas.ReviewCycle;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code GET /api/v1/review-cycles/stream} ({@code streamReviewCycles} in {@code openapi.yaml}): every change of a
 * review cycle, as Server-Sent Events, while the client stays connected.
 *
 * <p>Reads the review-cycle topic with a consumer of its own: no group (it is assigned every partition, so every
 * instance streams every change, not only those of the partitions its tasks hold), {@code read_committed} (only what
 * Kafka Streams committed, never a change an aborted transaction takes back), from the end of the topic as it was when
 * the stream started. One thread polls; a record is decoded only while some client listens.
 *
 * <p>Each client has a buffer of at most {@code clientBuffer} events; the event loop empties it into the connection
 * as fast as the connection takes them. A client that falls so far behind that its buffer is full is disconnected,
 * with a WARN naming it, rather than let the instance hold an ever longer backlog; it may reconnect. A comment line
 * every {@code heartbeat} keeps proxies from closing a quiet connection. An event's {@code id} is
 * {@code <topic>-<partition>-<offset>}; {@code Last-Event-ID} is not honoured (a reconnecting client starts at the
 * end again).
 */
public final class ReviewCycleStream implements AutoCloseable {

    /** The events held for one client before it counts as too slow. */
    public static final int DEFAULT_CLIENT_BUFFER = 1024;
    /** How often a quiet stream sends a comment line. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
    /** The most clients one instance streams to at once; more are answered 503. */
    public static final int DEFAULT_MAX_CLIENTS = 100;

    private static final Logger LOG = LoggerFactory.getLogger(ReviewCycleStream.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);
    // How often the topic's partitions are looked up again while it has none (not yet created).
    private static final Duration NO_PARTITIONS_PAUSE = Duration.ofSeconds(5);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final String topic;
    private final Consumer<byte[], byte[]> consumer;
    private final Deserializer<ReviewCycle> values;
    private final int clientBuffer;
    private final Duration heartbeat;
    private final int maxClients;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread poller;

    /**
     * A stream that follows the topic once {@link #start()}ed.
     *
     * @param vertx        writes to the clients on their event loops
     * @param topic        the review-cycle topic
     * @param consumer     an unassigned consumer without a group, {@code read_committed}, of raw bytes; closed here
     * @param values       decodes a record's value; closed here
     * @param clientBuffer the events held for one client
     * @param heartbeat    the interval of comment lines
     * @param maxClients   the most clients at once
     */
    public ReviewCycleStream(Vertx vertx, String topic, Consumer<byte[], byte[]> consumer,
                             Deserializer<ReviewCycle> values, int clientBuffer, Duration heartbeat, int maxClients) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.values = Objects.requireNonNull(values, "values");
        if (clientBuffer < 1 || maxClients < 1 || heartbeat.isZero() || heartbeat.isNegative()) {
            throw new IllegalArgumentException("clientBuffer, maxClients and heartbeat must be positive");
        }
        this.clientBuffer = clientBuffer;
        this.heartbeat = heartbeat;
        this.maxClients = maxClients;
        this.poller = new Thread(this::follow, "review-cycle-stream");
        poller.setDaemon(true);
    }

    /**
     * Positions the consumer at the end of every partition of the topic (on the caller's thread, so that a change
     * committed after this returns is streamed) and starts following it.
     */
    public void start() {
        tryAssignAtEnd();
        poller.start();
    }

    /** How many clients are connected now. */
    public int clients() {
        return clients.size();
    }

    /** The route handler; runs on the event loop and does not block. */
    public void subscribe(RoutingContext ctx) {
        ValidatedRequest request = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
        RequestParameter app = request.getQuery().get("app");
        if (closed.get()) {
            Problems.unavailable(ctx, "the stream is closing");
            return;
        }
        if (clients.size() >= maxClients) {
            Problems.unavailable(ctx, "this instance streams to " + maxClients + " clients already");
            return;
        }
        HttpServerResponse response = ctx.response().setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                // Tells a buffering reverse proxy (nginx) to pass events on at once.
                .putHeader("X-Accel-Buffering", "no");
        Client client = new Client(response, vertx.getOrCreateContext(),
                app == null || app.isNull() ? null : app.getString(),
                String.valueOf(ctx.request().remoteAddress()));
        clients.add(client);
        response.closeHandler(v -> client.disconnected());
        // Sends the headers now: the client knows it is subscribed before the first change.
        response.write(": streaming review-cycle changes\n\n");
        client.heartbeatTimer = vertx.setPeriodic(heartbeat.toMillis(), id -> client.heartbeat());
    }

    /** Stops following the topic and ends every client's stream. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        consumer.wakeup();
        try {
            if (poller.isAlive() && !stopped.await(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("review-cycle stream: the poller did not stop within {}", CLOSE_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!poller.isAlive()) {
            consumer.close(CLOSE_TIMEOUT);
        }
        values.close();
        clients.forEach(client -> client.end(null));
    }

    private void follow() {
        try {
            while (!closed.get()) {
                if (consumer.assignment().isEmpty()) {
                    TimeUnit.MILLISECONDS.sleep(NO_PARTITIONS_PAUSE.toMillis());
                    tryAssignAtEnd();
                    continue;
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (!records.isEmpty() && !clients.isEmpty()) {
                    publish(records);
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // close() asked it to stop.
        } catch (RuntimeException e) {
            LOG.error("review-cycle stream: following {} failed; the stream ends: {}", topic, e.toString(), e);
            clients.forEach(client -> client.end("the stream failed"));
        } finally {
            stopped.countDown();
        }
    }

    /** Assigns the topic's partitions at their end; a broker that does not answer in time is asked again later. */
    private void tryAssignAtEnd() {
        try {
            assignAtEnd();
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            consumer.unsubscribe();
            LOG.warn("review-cycle stream: cannot look up {} now ({}); looking again in {}", topic, e.toString(),
                    NO_PARTITIONS_PAUSE);
        }
    }

    private void assignAtEnd() {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, METADATA_TIMEOUT);
        if (partitions == null || partitions.isEmpty()) {
            LOG.warn("review-cycle stream: {} has no partitions yet; looking again in {}", topic, NO_PARTITIONS_PAUSE);
            return;
        }
        List<TopicPartition> assigned = partitions.stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(assigned);
        consumer.seekToEnd(assigned);
        // The seek is lazy; asking the positions fixes them now, so "from the end" means from this moment.
        assigned.forEach(partition -> consumer.position(partition, METADATA_TIMEOUT));
    }

    private void publish(ConsumerRecords<byte[], byte[]> records) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            ReviewCycle cycle;
            try {
                cycle = values.deserialize(record.topic(), record.headers(), record.value());
            } catch (RuntimeException e) {
                LOG.warn("review-cycle stream: skipping {}-{}-{}, it does not decode: {}", record.topic(),
                        record.partition(), record.offset(), e.toString());
                continue;
            }
            if (cycle == null) {
                continue;
            }
            String frame = "id: " + record.topic() + "-" + record.partition() + "-" + record.offset() + "\n"
                    + "event: review-cycle\n"
                    + "data: " + ReviewCycleViews.change(cycle).encode() + "\n\n";
            String appId = cycle.getAppId();
            for (Client client : clients) {
                if (client.app == null || client.app.equals(appId)) {
                    client.offer(frame);
                }
            }
        }
    }

    /** One connected client: its bounded buffer, drained on its event loop. */
    private final class Client {
        private final HttpServerResponse response;
        private final Context context;
        private final String app;
        private final String address;
        private final ArrayBlockingQueue<String> pending = new ArrayBlockingQueue<>(clientBuffer);
        private final AtomicBoolean draining = new AtomicBoolean();
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile long heartbeatTimer = -1;

        Client(HttpServerResponse response, Context context, String app, String address) {
            this.response = response;
            this.context = context;
            this.app = app;
            this.address = address;
        }

        /** From the poller thread. */
        void offer(String frame) {
            if (ended.get()) {
                return;
            }
            if (!pending.offer(frame)) {
                LOG.warn("review-cycle stream: disconnecting client {} (app {}): it fell {} events behind",
                        address, app == null ? "any" : app, clientBuffer);
                end("too slow");
                return;
            }
            if (draining.compareAndSet(false, true)) {
                context.runOnContext(v -> drain());
            }
        }

        /** On the event loop. */
        private void drain() {
            draining.set(false);
            while (!ended.get() && !response.writeQueueFull()) {
                String frame = pending.poll();
                if (frame == null) {
                    return;
                }
                response.write(frame);
            }
            if (!ended.get() && !pending.isEmpty()) {
                response.drainHandler(v -> drain());
            }
        }

        /** On the event loop. */
        void heartbeat() {
            if (!ended.get() && !response.writeQueueFull()) {
                response.write(": heartbeat\n\n");
            }
        }

        void disconnected() {
            if (ended.compareAndSet(false, true)) {
                clients.remove(this);
                vertx.cancelTimer(heartbeatTimer);
            }
        }

        /** Ends the stream from any thread; with a reason, the connection is closed instead of ended cleanly. */
        void end(String reason) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            clients.remove(this);
            pending.clear();
            context.runOnContext(v -> {
                vertx.cancelTimer(heartbeatTimer);
                if (reason == null) {
                    response.end();
                } else {
                    // Whatever is still queued for it is dropped with the connection.
                    response.reset();
                }
            });
        }
    }
}
