package dev.shipstream.ingress.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The publisher's refusals, each decided before anything can block (unknown schema id, full bounds, too large), and
 * its sends: on the publishing thread while the topic's metadata is there, on the waiting thread while it is missing.
 */
class KafkaRawWebhookPublisherTest {

    private static final String TOPIC = Topics.WEBHOOKS_RAW.name();

    private Vertx vertx;
    private MockProducer<String, byte[]> producer;
    private KafkaRawWebhookPublisher publisher;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        Node node = new Node(0, "127.0.0.1", 1);
        Cluster cluster = new Cluster("test", List.of(node),
                List.of(new PartitionInfo(TOPIC, 0, node, new Node[] {node}, new Node[] {node})), Set.of(), Set.of());
        producer = new MockProducer<>(cluster, false, null, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void tearDown() throws Exception {
        publisher.close(Duration.ofSeconds(1)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void start(KafkaRawWebhookPublisher.Limits limits, SchemaRegistration registration) throws Exception {
        start(limits, registration, timeout -> true);
    }

    private void start(KafkaRawWebhookPublisher.Limits limits, SchemaRegistration registration, ClusterProbe probe)
            throws Exception {
        publisher = new KafkaRawWebhookPublisher(vertx, producer, TOPIC, limits, probe, registration);
        publisher.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static SchemaRegistration known() {
        return new SchemaRegistration(TOPIC + "-value", subject -> 7, Duration.ofMillis(10), Duration.ofMillis(10),
                () -> { });
    }

    private static RawWebhook record(int bodyBytes) {
        return RawWebhookEncoderTest.record(new byte[bodyBytes]);
    }

    private static Throwable failure(Future<?> future) throws Exception {
        try {
            future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the publish succeeded");
    }

    @Test
    void refusesAtOnceAndIsNotReadyWhileTheSchemaIdIsUnknown() throws Exception {
        SchemaRegistration silent = new SchemaRegistration(TOPIC + "-value", subject -> {
            throw new IllegalStateException("registry did not answer");
        }, Duration.ofSeconds(10), Duration.ofSeconds(10), () -> { });
        start(new KafkaRawWebhookPublisher.Limits(100, 1 << 20, 1 << 20), silent);

        Future<Void> published = publisher.publish("k", record(10));

        assertThat(published.isComplete()).as("decided without waiting").isTrue();
        assertThat(failure(published)).isInstanceOf(PublishRejectedException.class);
        assertThat(publisher.ready().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void refusesOncePendingBytesWouldExceedTheirBoundAndAcceptsAgainAfterAnAcknowledgement() throws Exception {
        int recordSize = RecordEnvelope.recordSize("k".getBytes(),
                RawWebhookEncoder.encode(7, record(4_000)));
        start(new KafkaRawWebhookPublisher.Limits(100, 2L * recordSize, recordSize), known());

        Future<Void> first = publisher.publish("k", record(4_000));
        Future<Void> second = publisher.publish("k", record(4_000));
        Future<Void> third = publisher.publish("k", record(4_000));

        assertThat(failure(third)).isInstanceOf(PublishRejectedException.class).hasMessageContaining("bytes");
        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 2);
        assertThat(publisher.pendingBytes()).isEqualTo(2L * recordSize);
        assertThat(producer.completeNext()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(first::succeeded);
        assertThat(publisher.pendingBytes()).isEqualTo(recordSize);
        Future<Void> fourth = publisher.publish("k", record(4_000));
        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 3);
        assertThat(fourth.isComplete()).isFalse();
        assertThat(second.isComplete()).isFalse();
    }

    @Test
    void sendsEveryRecordOfConcurrentPublishersEachInTheOrderItWasPublished() throws Exception {
        // Each publisher sends on its own thread, concurrently with the others: none may be lost, and one publisher's
        // records (one event loop's) keep their order.
        start(new KafkaRawWebhookPublisher.Limits(10_000, 1L << 30, 1 << 20), known());
        int threads = 4;
        int perThread = 500;
        List<Thread> publishers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String prefix = "t" + t + "-";
            publishers.add(new Thread(() -> {
                for (int n = 0; n < perThread; n++) {
                    publisher.publish(prefix + n, record(10));
                }
            }));
        }
        publishers.forEach(Thread::start);
        for (Thread thread : publishers) {
            thread.join(10_000);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == threads * perThread);
        for (int t = 0; t < threads; t++) {
            String prefix = "t" + t + "-";
            List<String> keys = producer.history().stream().map(r -> r.key()).filter(k -> k.startsWith(prefix))
                    .toList();
            assertThat(keys).hasSize(perThread);
            for (int n = 0; n < perThread; n++) {
                assertThat(keys.get(n)).isEqualTo(prefix + n);
            }
        }
    }

    @Test
    void refusesPublishesOnceClosedAndSendsNothingMore() throws Exception {
        start(new KafkaRawWebhookPublisher.Limits(100, 1 << 20, 1 << 20), known());
        publisher.close(Duration.ofSeconds(1)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        Throwable refused = failure(publisher.publish("k", record(10)));

        assertThat(refused).isInstanceOf(PublishRejectedException.class).hasMessageContaining("closed");
        assertThat(producer.history()).isEmpty();
        assertThat(publisher.pending()).isZero();
    }

    @Test
    void refusesARecordOverMaxRequestSizeAsTooLargeWithoutSendingIt() throws Exception {
        start(new KafkaRawWebhookPublisher.Limits(100, 1 << 20, 2_000), known());

        Throwable refused = failure(publisher.publish("k", record(3_000)));

        assertThat(refused).isInstanceOf(RecordTooLargeToPublishException.class)
                .hasMessageContaining("max.request.size 2000");
        assertThat(producer.history()).isEmpty();
        assertThat(publisher.pending()).isZero();
    }

    @Test
    void holdsRecordsToTheTopicsMaxMessageBytesLearnedAtStart() throws Exception {
        ClusterProbe smallTopic = new ClusterProbe() {
            @Override
            public boolean reachable(Duration timeout) {
                return true;
            }

            @Override
            public OptionalLong maxMessageBytes(String topic, Duration timeout) {
                return OptionalLong.of(5_000);
            }
        };
        start(new KafkaRawWebhookPublisher.Limits(100, 1 << 20, 1 << 20), known(), smallTopic);

        Throwable refused = failure(publisher.publish("k", record(6_000)));
        Future<Void> fits = publisher.publish("k", record(1_000));

        assertThat(refused).isInstanceOf(RecordTooLargeToPublishException.class)
                .hasMessageContaining("max.message.bytes 5000");
        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);
        assertThat(fits.isComplete()).isFalse();
    }

    @Test
    void reportsKafkasRecordTooLargeAsTooLargeAndReleasesItsBytes() throws Exception {
        start(new KafkaRawWebhookPublisher.Limits(100, 1 << 20, 1 << 20), known());

        Future<Void> published = publisher.publish("k", record(100));
        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 1);
        assertThat(producer.errorNext(new RecordTooLargeException("over message.max.bytes"))).isTrue();

        assertThat(failure(published)).isInstanceOf(RecordTooLargeToPublishException.class)
                .hasCauseInstanceOf(RecordTooLargeException.class);
        assertThat(publisher.pendingBytes()).isZero();
    }

    /**
     * A producer that answers like {@code KafkaProducer} with {@code max.block.ms=0} while the topic's metadata is
     * missing: {@code doSend} hands the {@link TimeoutException} to the callback before {@code send} returns, and
     * returns a failed future. Records which thread called {@code send}.
     */
    private static final class MetadataProducer extends MockProducer<String, byte[]> {
        private final AtomicBoolean metadataMissing = new AtomicBoolean();
        private final List<Thread> sendingThreads = new CopyOnWriteArrayList<>();

        MetadataProducer(Cluster cluster) {
            super(cluster, false, null, new StringSerializer(), new ByteArraySerializer());
        }

        @Override
        public synchronized java.util.concurrent.Future<RecordMetadata> send(ProducerRecord<String, byte[]> record,
                Callback callback) {
            if (metadataMissing.get()) {
                TimeoutException missing = new TimeoutException("Topic " + record.topic()
                        + " not present in metadata after 0 ms.");
                callback.onCompletion(null, missing);
                CompletableFuture<RecordMetadata> failed = new CompletableFuture<>();
                failed.completeExceptionally(missing);
                return failed;
            }
            sendingThreads.add(Thread.currentThread());
            return super.send(record, callback);
        }
    }

    private MetadataProducer metadataProducer() {
        Node node = new Node(0, "127.0.0.1", 1);
        MetadataProducer metadataProducer = new MetadataProducer(new Cluster("test", List.of(node),
                List.of(new PartitionInfo(TOPIC, 0, node, new Node[] {node}, new Node[] {node})), Set.of(), Set.of()));
        producer = metadataProducer;
        return metadataProducer;
    }

    /** A started publisher whose producer has then lost the topic's metadata, waiting up to {@code wait} for it. */
    private MetadataProducer startedWithoutMetadata(Duration wait) throws Exception {
        MetadataProducer metadata = metadataProducer();
        start(new KafkaRawWebhookPublisher.Limits(100, 1 << 20, 1 << 20, wait), known());
        metadata.metadataMissing.set(true);
        return metadata;
    }

    @Test
    void sendsOnThePublishingThreadWhileTheTopicsMetadataIsThere() throws Exception {
        MetadataProducer metadata = metadataProducer();
        start(new KafkaRawWebhookPublisher.Limits(100, 1 << 20, 1 << 20), known());

        Future<Void> published = publisher.publish("k", record(10));

        assertThat(metadata.history()).as("sent before publish returned").hasSize(1);
        assertThat(metadata.sendingThreads).containsExactly(Thread.currentThread());
        assertThat(metadata.completeNext()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(published::succeeded);
        assertThat(publisher.pending()).isZero();
    }

    @Test
    void aRecordThatMeetsMissingMetadataIsSentOnceItArrivesAndLaterPublishesQueueBehindIt() throws Exception {
        MetadataProducer metadata = startedWithoutMetadata(Duration.ofSeconds(30));

        List<Future<Void>> published = new ArrayList<>();
        for (String key : List.of("a", "b", "c")) {
            published.add(publisher.publish(key, record(10)));
        }
        assertThat(metadata.history()).isEmpty();
        assertThat(published).noneMatch(Future::isComplete);
        metadata.metadataMissing.set(false);
        // Metadata is back: a publish now must still go after the three that waited for it.
        published.add(publisher.publish("d", record(10)));

        await().atMost(Duration.ofSeconds(10)).until(() -> metadata.history().size() == 4);
        assertThat(metadata.history()).extracting(ProducerRecord::key).containsExactly("a", "b", "c", "d");
        assertThat(metadata.sendingThreads.get(0)).isNotSameAs(Thread.currentThread());
        while (metadata.completeNext()) {
            // acknowledge every record
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> published.stream().allMatch(Future::succeeded));
        assertThat(publisher.pending()).isZero();
        assertThat(publisher.pendingBytes()).isZero();
    }

    @Test
    void failsAPublishWhoseMetadataDoesNotArriveWithinTheWaitAndSendsNothing() throws Exception {
        MetadataProducer metadata = startedWithoutMetadata(Duration.ofMillis(50));

        Throwable refused = failure(publisher.publish("k", record(10)));

        assertThat(refused).isInstanceOf(PublishRejectedException.class)
                .hasMessageContaining("no metadata of topic " + TOPIC + " within 50 ms");
        assertThat(metadata.history()).isEmpty();
        assertThat(publisher.pending()).isZero();
        assertThat(publisher.pendingBytes()).isZero();
    }

    @Test
    void aTimeoutReportedLaterByTheNetworkThreadFailsThePublishWithoutASecondSend() throws Exception {
        start(new KafkaRawWebhookPublisher.Limits(100, 1 << 20, 1 << 20), known());

        Future<Void> published = publisher.publish("k", record(10));
        assertThat(producer.history()).hasSize(1);
        TimeoutException expired = new TimeoutException("Expiring 1 record(s): 30000 ms has passed since batch creation");
        Thread network = new Thread(() -> producer.errorNext(expired));
        network.start();
        network.join(10_000);

        assertThat(failure(published)).isSameAs(expired);
        assertThat(producer.history()).hasSize(1);
        assertThat(publisher.pending()).isZero();
    }
}
