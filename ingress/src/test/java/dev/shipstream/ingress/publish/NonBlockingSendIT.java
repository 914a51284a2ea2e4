package dev.shipstream.ingress.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shipstream.ingress.BlockedEventLoops;
import dev.shipstream.testsupport.KafkaPlatform;
import dev.shipstream.testsupport.KafkaPlatformExtension;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The publisher sends on the event loop with a real {@code KafkaProducer} built with {@code max.block.ms=0}, on the
 * real broker: the producer reports missing metadata to the callback before {@code send} returns (what the publisher
 * relies on to never block), and a publish that meets it waits off the event loop and lands.
 */
@ExtendWith(KafkaPlatformExtension.class)
class NonBlockingSendIT {

    private static Map<String, Object> producerProps(KafkaPlatform platform) {
        return RawWebhookProducers.nonBlocking(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"));
    }

    @Test
    void aFreshProducerReportsMissingMetadataToTheCallbackBeforeSendReturns(KafkaPlatform platform) {
        String topic = platform.uniqueName("non-blocking-send");
        platform.createTopic(topic, 1);
        AtomicReference<Thread> reportedOn = new AtomicReference<>();
        AtomicReference<Exception> reported = new AtomicReference<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps(platform),
                new StringSerializer(), new ByteArraySerializer())) {
            long start = System.nanoTime();
            java.util.concurrent.Future<?> sent = producer.send(new ProducerRecord<>(topic, "k", new byte[] {1}),
                    (metadata, exception) -> {
                        reportedOn.set(Thread.currentThread());
                        reported.set(exception);
                    });

            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(100);
            assertThat(sent.isDone()).isTrue();
            assertThat(reportedOn.get()).as("reported before send returned, on its caller")
                    .isSameAs(Thread.currentThread());
            assertThat(reported.get()).isInstanceOf(TimeoutException.class).hasMessageContaining("metadata");
        }
    }

    @Test
    void aPublishBeforeTheTopicsMetadataIsKnownWaitsOffTheEventLoopAndLands(KafkaPlatform platform)
            throws Exception {
        String topic = platform.uniqueName("non-blocking-publish");
        platform.createTopic(topic, 1);
        try (BlockedEventLoops loops = new BlockedEventLoops()) {
            KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps(platform),
                    new StringSerializer(), new ByteArraySerializer());
            SchemaRegistration registration = new SchemaRegistration(topic + "-value", subject -> 7,
                    Duration.ofMillis(10), Duration.ofMillis(10), () -> { });
            registration.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> registration.id().isPresent());
            KafkaRawWebhookPublisher publisher = new KafkaRawWebhookPublisher(loops.vertx(), producer, topic,
                    new KafkaRawWebhookPublisher.Limits(100, 1 << 20, 1 << 20, Duration.ofSeconds(10)),
                    timeout -> true, registration);
            try {
                // The publish path's classes loaded and initialised here first (the Avro writer, the producer's record
                // classes): on a cold JVM on a busy two-core machine that took over 200 ms of the event loop's first
                // publish, which the checker below reported as blocking; it is to see waiting, not class loading.
                RawWebhookEncoder.encode(7, RawWebhookEncoderTest.record(new byte[64]));
                new ProducerRecord<>(topic, "class loading", new byte[0]).headers();
                // Not started: the producer has fetched no metadata of the topic yet.
                CompletableFuture<Future<Void>> publishing = new CompletableFuture<>();
                loops.vertx().runOnContext(v -> publishing.complete(
                        publisher.publish("asc:appStoreVersions:1", RawWebhookEncoderTest.record(new byte[64]))));
                publishing.get(10, TimeUnit.SECONDS).toCompletionStage().toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);

                assertThat(read(platform, topic)).extracting(ConsumerRecord::key)
                        .containsExactly("asc:appStoreVersions:1");
                assertThat(publisher.pending()).isZero();
                loops.assertNoneBlocked();
            } finally {
                publisher.close(Duration.ofSeconds(5)).toCompletionStage().toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static List<ConsumerRecord<String, byte[]>> read(KafkaPlatform platform, String topic) {
        List<ConsumerRecord<String, byte[]>> read = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                return !read.isEmpty();
            });
        }
        return read;
    }
}
