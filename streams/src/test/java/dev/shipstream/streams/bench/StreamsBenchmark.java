package dev.shipstream.streams.bench;

import dev.shipstream.schemas.AuthScheme;
import dev.shipstream.schemas.Authentication;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Source;
import dev.shipstream.schemas.serde.AvroSerdeConfig;
import dev.shipstream.schemas.serde.AvroSerializer;
import dev.shipstream.streams.StreamsApp;
import dev.shipstream.streams.StreamsSettings;
import dev.shipstream.streams.e2e.FakeAppStoreConnect;
import dev.shipstream.streams.enrich.EnrichmentSettings;
import dev.shipstream.streams.enrich.TestKeys;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Benchmark of the streams app (not a test; run by {@code bench/streams.sh}): on a running broker and registry,
 * with topics of its own, it measures
 * <ol>
 *   <li>warm-up: the throughput run below with {@code -Dbench.streams.warmUpRecords} records (default 100,000) and an
 *       app instance of its own, so that the measured run does not time the JIT compiling the pipeline (on two cores
 *       the first seconds run at a tenth of the steady rate); printed, not counted;</li>
 *   <li>throughput: {@code records} raw webhooks written beforehand, then the time from the first to the last
 *       delivery event on the events topic (normalise + dedup + enrichment stage + exactly-once commits);</li>
 *   <li>latency at a steady {@code rate} per second for {@code seconds}: from the raw record's timestamp (the
 *       producer's send time, i.e. just before the ingress would get its acknowledgement) to the moment a
 *       read_committed consumer sees the delivery event (the event keeps the raw record's timestamp).</li>
 * </ol>
 * The first {@value #WARM_UP_SECONDS} s of the latency run are not counted (JIT, first transactions). The reading
 * consumer uses {@code fetch.max.wait.ms=}{@value #READER_FETCH_MAX_WAIT_MS}: with the default 500 ms a
 * read_committed fetch can park at the broker until the transaction commits and the wait ends, which measures the
 * subscriber's setting rather than the pipeline.
 *
 * <p>Arguments: bootstrapServers schemaRegistryUrl [records=200000] [rate=1000] [seconds=30] [commitIntervalMs=100]
 * [streamThreads=2].
 */
public final class StreamsBenchmark {

    private static final int PARTITIONS = 6;
    private static final int ENTITIES = 64;
    private static final int WARM_UP_SECONDS = 5;
    private static final int READER_FETCH_MAX_WAIT_MS = 50;
    private static int streamThreads = 2;
    private static Map<String, String> appEnvironment = Map.of();
    /** The run's own temporary directory (state stores, the test key), deleted when the run ends. */
    private static Path workDir;

    private StreamsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String registryUrl = args[1];
        int records = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        int rate = args.length > 3 ? Integer.parseInt(args[3]) : 1_000;
        int seconds = args.length > 4 ? Integer.parseInt(args[4]) : 30;
        long commitMs = args.length > 5 ? Long.parseLong(args[5]) : 100;
        streamThreads = args.length > 6 ? Integer.parseInt(args[6]) : 2;
        String run = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        System.out.printf("machine: %d CPU(s); commit.interval.ms=%d; stream threads=%d%n",
                Runtime.getRuntime().availableProcessors(), commitMs, streamThreads);

        workDir = Files.createTempDirectory("shipstream-" + run);
        try {
            run(bootstrap, registryUrl, run, records, rate, seconds, commitMs);
        } finally {
            // A run's state stores take tens of MB; its temporary directory must not outlive it.
            Utils.delete(workDir.toFile());
        }
    }

    private static void run(String bootstrap, String registryUrl, String run, int records, int rate, int seconds,
            long commitMs) throws Exception {
        String enrichment = System.getProperty("bench.streams.enrichment", "off");
        try (FakeAppStoreConnect api = "cached".equals(enrichment) ? new FakeAppStoreConnect() : null) {
            appEnvironment = api == null ? Map.of() : enrichmentServedFromCache(api);
            System.out.printf("enrichment: %s%n", api == null ? "not configured (status NOT_CONFIGURED, no lookup)"
                    : "configured against a local fake of the App Store Connect API; one lookup per version and app "
                    + "instance, every other event served from the cache");
            int warmUpRecords = Integer.getInteger("bench.streams.warmUpRecords", 100_000);
            if (warmUpRecords > 0) {
                measureThroughput(bootstrap, registryUrl, run + "-warm", warmUpRecords, commitMs, "warm-up");
            }
            measureThroughput(bootstrap, registryUrl, run + "-tp", records, commitMs, "throughput");
            measureLatency(bootstrap, registryUrl, run + "-lat", rate, seconds, commitMs);
            if (api != null) {
                System.out.printf("enrichment: %d requests reached the API fake%n", api.requestCount());
            }
        }
    }

    /**
     * The environment of an app whose App Store Connect lookups go to {@code api}, which answers every version with
     * the seed article's response: after the first event of each of the {@value #ENTITIES} versions, lookups are
     * served from the cache (its TTL, 10 minutes, outlasts a run). The cache answers only for an event whose new state
     * is the state the API reported, so the events say {@code READY_FOR_DISTRIBUTION} as the response does.
     */
    private static Map<String, String> enrichmentServedFromCache(FakeAppStoreConnect api) throws Exception {
        api.answerEveryAppStoreVersion(FakeAppStoreConnect.ok("app-store-version-with-app-and-build.json"));
        Path keyFile = TestKeys.writeP8(Files.createDirectory(workDir.resolve("key")), TestKeys.p256());
        return Map.of(EnrichmentSettings.API_URL_ENV, api.baseUrl(),
                EnrichmentSettings.KEY_ID_ENV, "BENCHKEY01",
                EnrichmentSettings.ISSUER_ID_ENV, "00000000-0000-4000-8000-00000000be0c",
                EnrichmentSettings.PRIVATE_KEY_FILE_ENV, keyFile.toString());
    }

    /**
     * Extra Kafka Streams properties for experiments, from {@code -Dbench.streams.overrides=key=value,key=value}
     * (e.g. {@code producer.compression.type=lz4}); none by default.
     */
    static Map<String, Object> overrides() {
        Map<String, Object> overrides = new java.util.LinkedHashMap<>();
        for (String pair : System.getProperty("bench.streams.overrides", "").split(",")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                overrides.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
            }
        }
        if (!overrides.isEmpty()) {
            System.out.println("overrides: " + overrides);
        }
        return overrides;
    }

    private static void measureThroughput(String bootstrap, String registryUrl, String run, int records,
                                          long commitMs, String label) throws Exception {
        StreamsSettings settings = settings(bootstrap, registryUrl, run, commitMs);
        createTopics(bootstrap, settings);
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap);
             AvroSerializer<RawWebhook> serializer = serializer(registryUrl)) {
            Acks acks = new Acks();
            for (int i = 0; i < records; i++) {
                send(producer, serializer, settings.rawTopic(), i, acks);
            }
            producer.flush();
            acks.requireAll(records);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, settings.eventsTopic());
             StreamsApp app = StreamsApp.start(settings, appEnvironment, overrides())) {
            long first = 0;
            long last = 0;
            int seen = 0;
            long warmedUpAt = 0;
            int seenWhenWarm = 0;
            long windowStart = 0;
            int windowSeen = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (seen < records && System.nanoTime() < deadline) {
                int batch = consumer.poll(Duration.ofMillis(200)).count();
                if (batch > 0) {
                    long now = System.nanoTime();
                    if (seen == 0) {
                        first = now;
                        windowStart = now;
                    }
                    last = now;
                    seen += batch;
                    if (warmedUpAt == 0 && now - first >= Duration.ofSeconds(WARM_UP_SECONDS).toNanos()) {
                        warmedUpAt = now;
                        seenWhenWarm = seen;
                    }
                    if (now - windowStart >= Duration.ofSeconds(5).toNanos()) {
                        System.out.printf("progress (%s): %d events, %.0f events/s in the last %.1f s%n", label, seen,
                                (seen - windowSeen) / ((now - windowStart) / 1e9), (now - windowStart) / 1e9);
                        windowStart = now;
                        windowSeen = seen;
                    }
                }
            }
            double secondsTaken = (last - first) / 1e9;
            String afterWarmUp;
            if (warmedUpAt == 0) {
                // A run shorter than the warm-up has nothing after it (not 0 events/s).
                afterWarmUp = "the run was shorter";
            } else {
                double secondsWarm = (last - warmedUpAt) / 1e9;
                afterWarmUp = String.format("%d events in %.2f s = %.0f events/s", seen - seenWhenWarm, secondsWarm,
                        (seen - seenWhenWarm) / Math.max(secondsWarm, 1e-9));
            }
            System.out.printf("%s: %d of %d events in %.2f s from first to last = %.0f events/s; after its "
                            + "first %d s: %s (state %s)%n",
                    label, seen, records, secondsTaken, seen / Math.max(secondsTaken, 1e-9), WARM_UP_SECONDS,
                    afterWarmUp, app.state());
        }
    }

    private static void measureLatency(String bootstrap, String registryUrl, String run, int rate, int seconds,
                                       long commitMs) throws Exception {
        StreamsSettings settings = settings(bootstrap, registryUrl, run, commitMs);
        createTopics(bootstrap, settings);
        int total = rate * seconds;
        long[] latencies = new long[total];
        int seen = 0;
        try (KafkaProducer<String, byte[]> producer = producer(bootstrap);
             AvroSerializer<RawWebhook> serializer = serializer(registryUrl);
             KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, settings.eventsTopic());
             StreamsApp app = StreamsApp.start(settings, appEnvironment, overrides())) {
            long waitUntil = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (app.state() != KafkaStreams.State.RUNNING || consumer.assignment().isEmpty()) {
                consumer.poll(Duration.ofMillis(100));
                if (System.nanoTime() > waitUntil) {
                    throw new IllegalStateException("streams app not running after 2 minutes: " + app.state());
                }
            }
            Acks acks = new Acks();
            long start = System.nanoTime();
            long intervalNanos = 1_000_000_000L / rate;
            int sent = 0;
            long deadline = start + Duration.ofSeconds(seconds + 60L).toNanos();
            while (seen < total && System.nanoTime() < deadline) {
                long due = (System.nanoTime() - start) / intervalNanos;
                while (sent < total && sent <= due) {
                    send(producer, serializer, settings.rawTopic(), sent++, acks);
                }
                acks.requireNoFailure();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(1))) {
                    if (seen < total) {
                        latencies[seen++] = System.currentTimeMillis() - record.timestamp();
                    }
                }
            }
        }
        int warmUp = Math.min(seen, rate * WARM_UP_SECONDS);
        long[] sorted = Arrays.copyOfRange(latencies, warmUp, seen);
        Arrays.sort(sorted);
        System.out.printf("latency at %d events/s for %d s: %d of %d events arrived; after %d s warm-up: p50 %d ms, "
                + "p99 %d ms, max %d ms%n", rate, seconds, seen, total, WARM_UP_SECONDS, percentile(sorted, 0.50),
                percentile(sorted, 0.99), sorted.length == 0 ? -1 : sorted[sorted.length - 1]);
    }

    static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? -1 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }

    private static StreamsSettings settings(String bootstrap, String registryUrl, String run, long commitMs)
            throws Exception {
        Path stateDir = Files.createDirectory(workDir.resolve(run));
        return new StreamsSettings(bootstrap, registryUrl, run, stateDir, Duration.ofDays(7),
                Duration.ofMillis(commitMs), run + ".raw", run + ".events", run + ".deadletter", 1, streamThreads,
                "127.0.0.1", 0);
    }

    private static void createTopics(String bootstrap, StreamsSettings settings) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(settings.rawTopic(), PARTITIONS, (short) 1),
                    new NewTopic(settings.eventsTopic(), PARTITIONS, (short) 1),
                    new NewTopic(settings.deadLetterTopic(), 1, (short) 1))).all().get();
        }
    }

    /**
     * The benchmark's own writes: every raw record must be acknowledged, or the run is void (an unacknowledged
     * record would make the throughput run wait for an event that cannot come).
     */
    static final class Acks implements Callback {
        private final AtomicInteger acknowledged = new AtomicInteger();
        private final AtomicReference<Exception> failure = new AtomicReference<>();

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            if (exception != null) {
                failure.compareAndSet(null, exception);
            } else {
                acknowledged.incrementAndGet();
            }
        }

        void requireNoFailure() {
            Exception first = failure.get();
            if (first != null) {
                throw new IllegalStateException("the benchmark's producer could not write a raw record", first);
            }
        }

        void requireAll(int records) {
            requireNoFailure();
            if (acknowledged.get() != records) {
                throw new IllegalStateException(acknowledged.get() + " of " + records + " raw records acknowledged");
            }
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, AvroSerializer<RawWebhook> serializer,
                             String topic, int i, Acks acks) {
        String version = new UUID(0, i % ENTITIES + 1).toString();
        String body = "{\"data\":{\"type\":\"appStoreVersionAppVersionStateUpdated\",\"id\":\"" + UUID.randomUUID()
                + "\",\"version\":1,\"attributes\":{\"newValue\":\"READY_FOR_DISTRIBUTION\","
                + "\"oldValue\":\"PENDING_DEVELOPER_RELEASE\","
                + "\"timestamp\":\"2025-12-18T05:01:47.118Z\"},\"relationships\":{\"instance\":{\"data\":{\"type\":"
                + "\"appStoreVersions\",\"id\":\"" + version + "\"}}}}}";
        RawWebhook webhook = RawWebhook.newBuilder()
                .setSource(Source.APP_STORE_CONNECT)
                .setEndpointId("default")
                .setReceivedAt(Instant.now())
                .setRequestId("bench-" + i)
                .setBody(ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)))
                .setAuthentication(new Authentication(AuthScheme.HMAC_SHA256, "s1"))
                .build();
        producer.send(new ProducerRecord<>(topic, "asc:appStoreVersions:" + version,
                serializer.serialize(topic, webhook)), acks);
    }

    static KafkaProducer<String, byte[]> producer(String bootstrap) {
        // One request in flight, as the ingress does: with several, a first batch refused while the new topic's
        // leader settles (NOT_LEADER_OR_FOLLOWER) is overtaken by the next one, and its retry then fails with
        // OUT_OF_ORDER_SEQUENCE_NUMBER for as long as the producer retries (seen here; KAFKA-14359).
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 1,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024),
                new StringSerializer(), new ByteArraySerializer());
    }

    static AvroSerializer<RawWebhook> serializer(String registryUrl) {
        AvroSerializer<RawWebhook> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registryUrl), false);
        return serializer;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String topic) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, topic + "-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, READER_FETCH_MAX_WAIT_MS),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
