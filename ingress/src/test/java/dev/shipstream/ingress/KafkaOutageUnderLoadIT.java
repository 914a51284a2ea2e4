package dev.shipstream.ingress;

import static dev.shipstream.ingress.TestRequests.appleSignature;
import static dev.shipstream.ingress.TestRequests.post;
import static dev.shipstream.ingress.TestRequests.sendAsync;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shipstream.ingress.publish.RawWebhookProducers;
import dev.shipstream.ingress.verify.WebhookSecret;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Topics;
import dev.shipstream.schemas.serde.AvroDeserializer;
import dev.shipstream.schemas.serde.AvroSerdeConfig;
import dev.shipstream.testsupport.KafkaPlatform;
import dev.shipstream.testsupport.KafkaPlatformExtension;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A broker outage under sustained load, on the real broker: the publisher's pending-bytes bound (a quarter of the
 * producer's {@code buffer.memory}, here 4 MiB) fills before the producer's buffer does, so requests get 503 at once
 * and no event loop is ever blocked in {@code send} (the blocked-thread checker is set to 200 ms); after the broker
 * is back, every request that was answered 200 is in the topic.
 */
@ExtendWith(KafkaPlatformExtension.class)
class KafkaOutageUnderLoadIT {

    private static final String SECRET = "canary-it-outage-load-8c2e";
    private static final String TOPIC = Topics.WEBHOOKS_RAW.name();
    private static final int BODY_BYTES = 16 * 1024;
    private static final int CONCURRENCY = 32;

    @Test
    void everyEventLoopStaysFreeAndEvery200IsStoredAcrossAnOutage(KafkaPlatform platform) throws Exception {
        KafkaConsumer<String, RawWebhook> consumer = consumer(platform);
        Map<WebhookSource, Long> limits = new EnumMap<>(WebhookSource.class);
        for (WebhookSource source : WebhookSource.values()) {
            limits.put(source, 64L * 1024);
        }
        IngressConfig config = new IngressConfig("127.0.0.1", 0, 1, limits, Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofSeconds(2), IngressConfig.DEFAULT_MAX_PENDING_PUBLISHES,
                platform.bootstrapServers(), platform.schemaRegistryUrl(), Map.of(), false, List.of(
                new EndpointConfig(WebhookSource.APP_STORE_CONNECT, "default", List.of(WebhookSecret.of("v1", SECRET)),
                        List.of())));
        // A small buffer so that the outage fills it within seconds at this load.
        Map<String, Object> overrides = Map.of(ProducerConfig.BUFFER_MEMORY_CONFIG, Integer.toString(4 << 20));
        Set<String> accepted = ConcurrentHashMapSet.create();
        AtomicInteger unavailable = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        try (BlockedEventLoops loops = new BlockedEventLoops()) {
            IngressServer server = IngressServer.start(loops.vertx(), config, RawWebhookProducers.create(
                            loops.vertx(), config, IngressServer.recordEnvelope(config), overrides))
                    .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            Load load = new Load(server.port(), accepted, unavailable, other);
            load.start();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> accepted.size() >= 100);
                int unavailableBefore = unavailable.get();
                platform.stopBroker();
                try {
                    // A blocked event loop answers slowly: stop waiting as soon as one is reported.
                    await().atMost(Duration.ofSeconds(30)).until(() -> unavailable.get() >= unavailableBefore + 500
                            || !loops.reports().isEmpty());
                } finally {
                    platform.startBroker();
                }
                int acceptedAfterRestart = accepted.size();
                await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= acceptedAfterRestart + 100
                        || !loops.reports().isEmpty());
            } finally {
                load.stop();
                server.close();
            }
            loops.assertNoneBlocked();
        }

        assertThat(other.get()).as("answers other than 200 and 503").isZero();
        Set<String> stored = new HashSet<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            consumer.poll(Duration.ofMillis(500)).forEach(r -> stored.add(r.value().getRequestId()));
            return stored.containsAll(accepted);
        });
        consumer.close();
    }

    private static KafkaConsumer<String, RawWebhook> consumer(KafkaPlatform platform) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, platform.schemaRegistryUrl());
        props.put(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true);
        AvroDeserializer<RawWebhook> values = new AvroDeserializer<>();
        values.configure(props, false);
        KafkaConsumer<String, RawWebhook> consumer = new KafkaConsumer<>(props, new StringDeserializer(), values);
        List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    /** Keeps {@link #CONCURRENCY} signed webhook requests in flight until stopped, and sorts their answers. */
    private static final class Load {
        private final HttpRequest request;
        private final Set<String> accepted;
        private final AtomicInteger unavailable;
        private final AtomicInteger other;
        private final Semaphore inFlight = new Semaphore(CONCURRENCY);
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger transportErrors = new AtomicInteger();
        private final Thread thread = new Thread(this::run, "outage-load");

        Load(int port, Set<String> accepted, AtomicInteger unavailable, AtomicInteger other) {
            String head = "{\"data\":{\"type\":\"webhookPingCreated\",\"id\":\"outage\",\"pad\":\"";
            byte[] body = (head + "p".repeat(BODY_BYTES - head.length() - 3) + "\"}}")
                    .getBytes(StandardCharsets.UTF_8);
            this.request = post(port, "/webhooks/app-store-connect/default", body,
                    "Content-Type", "application/json", "x-apple-signature", appleSignature(SECRET, body));
            this.accepted = accepted;
            this.unavailable = unavailable;
            this.other = other;
        }

        void start() {
            thread.start();
        }

        private void run() {
            while (running.get()) {
                inFlight.acquireUninterruptibly();
                sendAsync(request).whenComplete((response, error) -> {
                    if (error != null) {
                        transportErrors.incrementAndGet();
                    } else if (response.statusCode() == 200) {
                        accepted.add(response.headers().firstValue("X-Request-Id").orElseThrow());
                    } else if (response.statusCode() == 503) {
                        unavailable.incrementAndGet();
                    } else {
                        other.incrementAndGet();
                    }
                    inFlight.release();
                });
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
            // Every request still in flight has been answered once all permits are back.
            assertThat(inFlight.tryAcquire(CONCURRENCY, 30, TimeUnit.SECONDS)).isTrue();
            // Transport errors are not counted against the ingress: the client may reuse a keep-alive connection in
            // the instant the server closes it as idle. They promise nothing, like a 503, and must stay rare.
            assertThat(transportErrors.get()).isLessThan(CONCURRENCY);
        }
    }

    private static final class ConcurrentHashMapSet {
        static Set<String> create() {
            return java.util.concurrent.ConcurrentHashMap.newKeySet();
        }
    }
}
