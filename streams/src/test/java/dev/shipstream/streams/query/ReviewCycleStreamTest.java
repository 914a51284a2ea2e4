package dev.shipstream.streams.query;

import dev.shipstream.schemas.ReviewCycle;
import dev.shipstream.schemas.ReviewOutcome;
import dev.shipstream.streams.http.StatusServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The review-cycle stream over a fake consumer and the real HTTP server: changes reach every subscriber as
 * Server-Sent Events with the record's position as id, the {@code app} filter holds, a quiet stream sends
 * heartbeats, and a client that stops reading is disconnected once its buffer is full while the others go on.
 */
class ReviewCycleStreamTest {

    private static final String TOPIC = "cycles";
    private static final Duration BOUND = Duration.ofSeconds(20);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PacedConsumer consumer = new PacedConsumer();
    private Vertx vertx;
    private ReviewCycleStream stream;
    private HttpServer server;

    @BeforeEach
    void partitions() {
        Node node = new Node(0, "localhost", 9092);
        consumer.updatePartitions(TOPIC, List.of(
                new PartitionInfo(TOPIC, 0, node, new Node[] {node}, new Node[] {node}),
                new PartitionInfo(TOPIC, 1, node, new Node[] {node}, new Node[] {node})));
        // Records already on the topic before the stream starts are not streamed.
        consumer.updateEndOffsets(Map.of(new TopicPartition(TOPIC, 0), 5L, new TopicPartition(TOPIC, 1), 7L));
    }

    private void start(int clientBuffer, Duration heartbeat) throws Exception {
        vertx = Vertx.vertx();
        stream = new ReviewCycleStream(vertx, TOPIC, consumer, new CycleDecoder(), clientBuffer, heartbeat, 10);
        stream.start();
        server = StatusServer.start(vertx, "127.0.0.1", 0, () -> true, () -> true, registry,
                        new ReviewCycleApi(vertx, "none", "none"), stream::subscribe)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        if (stream != null) {
            stream.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        registry.close();
    }

    @Test
    void streamsEveryChangeFromTheEndOfEveryPartitionWithItsPositionAsId() throws Exception {
        start(ReviewCycleStream.DEFAULT_CLIENT_BUFFER, ReviewCycleStream.DEFAULT_HEARTBEAT);
        try (SseReader all = SseReader.open(server.actualPort(), "/api/v1/review-cycles/stream");
             SseReader appA = SseReader.open(server.actualPort(), "/api/v1/review-cycles/stream?app=A")) {
            await().atMost(BOUND).until(() -> stream.clients() == 2);
            assertThat(all.headers()).contains("content-type: text/event-stream; charset=utf-8");

            consumer.add(new ConsumerRecord<>(TOPIC, 1, 7, bytes("v1"), encode("v1", "A", 1, ReviewOutcome.OPEN)));
            consumer.add(new ConsumerRecord<>(TOPIC, 0, 5, bytes("v2"), encode("v2", "B", 1, ReviewOutcome.OPEN)));
            consumer.add(new ConsumerRecord<>(TOPIC, 1, 8, bytes("v1"),
                    encode("v1", "A", 1, ReviewOutcome.APPROVED)));

            await().atMost(BOUND).until(() -> all.events().size() == 3 && appA.events().size() == 2);
            assertThat(all.events()).extracting(SseReader.Event::id)
                    .containsExactlyInAnyOrder("cycles-1-7", "cycles-0-5", "cycles-1-8");
            assertThat(all.events()).extracting(SseReader.Event::name).containsOnly("review-cycle");
            assertThat(appA.events()).extracting(SseReader.Event::id).containsExactly("cycles-1-7", "cycles-1-8");
            JsonObject approved = new JsonObject(appA.events().get(1).data());
            assertThat(approved.getString("versionId")).isEqualTo("v1");
            assertThat(approved.getString("appId")).isEqualTo("A");
            assertThat(approved.getString("outcome")).isEqualTo("APPROVED");
            assertThat(approved.getInteger("cycle")).isEqualTo(1);
            assertThat(approved.getString("submittedAt")).isEqualTo("2025-12-18T03:41:21.179Z");
            assertThat(approved.getValue("waitMs")).isNull();
        }
    }

    @Test
    void aBrokerThatDoesNotAnswerAtStartDelaysTheStreamButDoesNotStopTheApp() throws Exception {
        consumer.failLookups(1);
        start(ReviewCycleStream.DEFAULT_CLIENT_BUFFER, ReviewCycleStream.DEFAULT_HEARTBEAT);
        try (SseReader reader = SseReader.open(server.actualPort(), "/api/v1/review-cycles/stream")) {
            // The stream looks the partitions up again after its pause, then follows from their end.
            await().atMost(BOUND).until(() -> !consumer.assignment().isEmpty());
            consumer.add(new ConsumerRecord<>(TOPIC, 0, 5, bytes("v1"), encode("v1", "A", 1, ReviewOutcome.OPEN)));
            await().atMost(BOUND).until(() -> reader.events().size() == 1);
            assertThat(reader.events().get(0).id()).isEqualTo("cycles-0-5");
        }
    }

    @Test
    void aQuietStreamSendsHeartbeatComments() throws Exception {
        start(ReviewCycleStream.DEFAULT_CLIENT_BUFFER, Duration.ofMillis(100));
        try (SseReader reader = SseReader.open(server.actualPort(), "/api/v1/review-cycles/stream")) {
            await().atMost(BOUND).until(() -> reader.comments().stream().filter("heartbeat"::equals).count() >= 2);
            assertThat(reader.events()).isEmpty();
        }
    }

    @Test
    void aClientThatStopsReadingIsDisconnectedAndTheOthersGoOn() throws Exception {
        start(64, ReviewCycleStream.DEFAULT_HEARTBEAT);
        try (SseReader reader = SseReader.open(server.actualPort(), "/api/v1/review-cycles/stream");
             Socket stalled = new Socket()) {
            // Asks for the stream, then never reads: the socket's buffers, then Vert.x's write queue, then the
            // client's buffer of 64 events fill up.
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new java.net.InetSocketAddress("127.0.0.1", server.actualPort()));
            stalled.getOutputStream().write(("GET /api/v1/review-cycles/stream HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            await().atMost(BOUND).until(() -> stream.clients() == 2);

            String padding = "x".repeat(4000);
            int sent = 0;
            long offset = 7;
            while (stream.clients() == 2 && sent < 20_000) {
                consumer.add(new ConsumerRecord<>(TOPIC, 1, offset++, bytes("v"), encode("v" + sent, padding, 1,
                        ReviewOutcome.OPEN)));
                sent++;
                if (sent % 32 == 0) {
                    // Lets the fast reader keep up, as a real one would between bursts of changes.
                    int expected = sent;
                    await().atMost(BOUND).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                            .until(() -> reader.events().size() == expected || stream.clients() < 2);
                }
            }

            assertThat(stream.clients()).isEqualTo(1);
            int before = reader.events().size();
            consumer.add(new ConsumerRecord<>(TOPIC, 1, offset, bytes("w"), encode("w", "A", 1,
                    ReviewOutcome.APPROVED)));
            await().atMost(BOUND).until(() -> reader.events().size() > before);
            assertThat(reader.events().get(reader.events().size() - 1).id()).isEqualTo("cycles-1-" + offset);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The test's stand-in for the Avro wire format: the record value is the cycle's JSON. */
    private static byte[] encode(String versionId, String appId, int cycle, ReviewOutcome outcome) {
        return new JsonObject().put("versionId", versionId).put("appId", appId).put("cycle", cycle)
                .put("outcome", outcome.name()).encode().getBytes(StandardCharsets.UTF_8);
    }

    private static final class CycleDecoder implements Deserializer<ReviewCycle> {
        @Override
        public ReviewCycle deserialize(String topic, byte[] data) {
            JsonObject json = new JsonObject(new String(data, StandardCharsets.UTF_8));
            return ReviewCycle.newBuilder()
                    .setVersionId(json.getString("versionId"))
                    .setAppId(json.getString("appId"))
                    .setCycle(json.getInteger("cycle"))
                    .setCycleCount(json.getInteger("cycle"))
                    .setOutcome(ReviewOutcome.valueOf(json.getString("outcome")))
                    .setSubmittedAt(Instant.parse("2025-12-18T03:41:21.179Z"))
                    .setObserved(List.of("WAITING_FOR_REVIEW"))
                    .setLastEventAt(Instant.parse("2025-12-18T03:41:21.179Z"))
                    .build();
        }
    }

    /**
     * Kafka's fake consumer, whose poll returns at once even when there is nothing: an idle poll pauses a little, as
     * the real one waits, so that the stream's thread does not spin. Records are added under its lock.
     */
    private static final class PacedConsumer extends MockConsumer<byte[], byte[]> {
        PacedConsumer() {
            super("latest");
        }

        private int failingLookups;

        synchronized void add(ConsumerRecord<byte[], byte[]> record) {
            addRecord(record);
        }

        synchronized void failLookups(int times) {
            failingLookups = times;
        }

        @Override
        public synchronized List<PartitionInfo> partitionsFor(String topic, Duration timeout) {
            if (failingLookups > 0) {
                failingLookups--;
                throw new org.apache.kafka.common.errors.TimeoutException("no broker answered (test)");
            }
            return super.partitionsFor(topic, timeout);
        }

        @Override
        public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            ConsumerRecords<byte[], byte[]> records = super.poll(Duration.ZERO);
            if (records.isEmpty()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            return records;
        }
    }
}
