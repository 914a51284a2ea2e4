package dev.shipstream.streams.bench;

import dev.shipstream.schemas.AuthScheme;
import dev.shipstream.schemas.Authentication;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Source;
import dev.shipstream.schemas.serde.AvroSerializer;
import dev.shipstream.streams.StreamsApp;
import dev.shipstream.streams.StreamsSettings;
import dev.shipstream.streams.query.ReviewCycleApi;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Benchmark of the analytics (not a test; run by {@code bench/analytics.sh}): on a running broker and registry, with
 * topics and application ids of its own, it measures
 * <ol>
 *   <li>throughput with analytics: {@code versions} App Store versions, each a whole review (submitted, in review,
 *       approved, released: four state events, so every event moves a review cycle and feeds the metrics), written
 *       beforehand; the time from the first delivery event to the moment the REVIEW_TOTAL aggregate has measured
 *       every version's cycle, which is the last stage of the pipeline (raw, events, review cycles, measurements,
 *       repartition, aggregates). After a warm-up run of its own (JIT), as {@link StreamsBenchmark} does;</li>
 *   <li>the state on disk per million cycles: the state directory after the app closed (RocksDB flushes on close),
 *       per store, divided by the number of cycles, extrapolated linearly from this bounded run;</li>
 *   <li>query latency on the loaded app: one version ({@code GET /api/v1/versions/{id}/review-cycles}) asked of
 *       the instance that holds it, and, with a second instance in the same group, asked of the instance that does
 *       not (forwarded); 10,000 decided cycles as CSV ({@code GET /api/v1/review-cycles?...&format=csv}) from one
 *       instance, then fanned out over two. Requests one after another from one client; both instances run in
 *       this process.</li>
 * </ol>
 *
 * <p>Arguments: bootstrapServers schemaRegistryUrl [versions=50000] [versionQueries=2000] [csvQueries=30]
 * [commitIntervalMs=200].
 */
public final class AnalyticsBenchmark {

    private static final int PARTITIONS = 6;
    private static final int CSV_CYCLES = 10_000;
    private static final List<String> STATES = List.of("PREPARE_FOR_SUBMISSION", "WAITING_FOR_REVIEW", "IN_REVIEW",
            "PENDING_DEVELOPER_RELEASE", "READY_FOR_DISTRIBUTION");
    /** Decisions one second apart from here, so that a range of 10,000 s holds 10,000 decided cycles. */
    private static final long FIRST_DECISION = Instant.parse("2025-12-01T00:00:00Z").toEpochMilli();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private AnalyticsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String registryUrl = args[1];
        int versions = args.length > 2 ? Integer.parseInt(args[2]) : 50_000;
        int versionQueries = args.length > 3 ? Integer.parseInt(args[3]) : 2_000;
        int csvQueries = args.length > 4 ? Integer.parseInt(args[4]) : 30;
        long commitMs = args.length > 5 ? Long.parseLong(args[5]) : 200;
        String run = "analytics-" + UUID.randomUUID().toString().substring(0, 8);
        System.out.printf("machine: %d CPU(s); commit.interval.ms=%d; 1 stream thread; enrichment not configured%n",
                Runtime.getRuntime().availableProcessors(), commitMs);
        Path workDir = Files.createTempDirectory("shipstream-" + run);
        try {
            run(bootstrap, registryUrl, run, versions, versionQueries, csvQueries, commitMs, workDir);
        } finally {
            // A run's state stores take 100 MB or more; its temporary directory must not outlive it.
            Utils.delete(workDir.toFile());
        }
    }

    private static void run(String bootstrap, String registryUrl, String run, int versions, int versionQueries,
            int csvQueries, long commitMs, Path workDir) throws Exception {
        int warmUpVersions = Integer.getInteger("bench.analytics.warmUpVersions", 12_500);
        if (warmUpVersions > 0) {
            StreamsSettings warm = settings(bootstrap, registryUrl, run + "-warm", commitMs,
                    Files.createDirectory(workDir.resolve("warm")));
            try (StreamsApp app = loaded(warm, warmUpVersions, "warm-up")) {
                System.out.printf("warm-up: done (state %s)%n", app.state());
            }
        }

        StreamsSettings settings = settings(bootstrap, registryUrl, run, commitMs,
                Files.createDirectory(workDir.resolve("a")));
        try (StreamsApp app = loaded(settings, versions, "throughput")) {
            System.out.printf("throughput: app state %s%n", app.state());
        }
        stateSize(settings.stateDir(), versions);

        try (StreamsApp a = StreamsApp.start(settings, Map.of(), twoInstances())) {
            awaitRunning(List.of(a));
            List<String> all = versionIds(versions);
            Random random = new Random(1);
            List<String> sample = Stream.generate(() -> all.get(random.nextInt(all.size()))).limit(versionQueries)
                    .toList();
            awaitAnswering(a, sample.get(0));
            latency("one version, local (1 instance)", a, sample, Map.of());
            csv("10,000 cycles as CSV (1 instance)", a, csvQueries);

            StreamsSettings second = settings(bootstrap, registryUrl, run, commitMs,
                    Files.createDirectory(workDir.resolve("b")));
            try (StreamsApp b = StreamsApp.start(second, Map.of(), twoInstances())) {
                awaitRunning(List.of(a, b));
                Map<Boolean, List<String>> byHolder = holders(a, all, versionQueries);
                System.out.printf("two instances: of %d versions probed, %d held by the instance asked, %d by the "
                        + "other%n", byHolder.get(true).size() + byHolder.get(false).size(), byHolder.get(true).size(),
                        byHolder.get(false).size());
                latency("one version, local (2 instances)", a, byHolder.get(true), Map.of());
                latency("one version, forwarded (2 instances)", a, byHolder.get(false), Map.of());
                csv("10,000 cycles as CSV (2 instances, fanned out)", a, csvQueries);
            }
        }
    }

    /**
     * The overrides of the two-instance part: Kafka Streams' assignor would otherwise leave every active task on the
     * instance that has the state until the newcomer has caught up as a warm-up replica (probing every 10 min), and
     * nothing would be forwarded; with any lag acceptable, half the tasks move at once and restore from the changelog.
     */
    private static Map<String, Object> twoInstances() {
        Map<String, Object> overrides = new HashMap<>(StreamsBenchmark.overrides());
        overrides.putIfAbsent("acceptable.recovery.lag", Long.toString(Long.MAX_VALUE));
        return overrides;
    }

    /** Writes the versions' events, starts an app and waits until every cycle is in the aggregates. */
    private static StreamsApp loaded(StreamsSettings settings, int versions, String label) throws Exception {
        createTopics(settings);
        int records = versions * 4;
        try (KafkaProducer<String, byte[]> producer = StreamsBenchmark.producer(settings.bootstrapServers());
             AvroSerializer<RawWebhook> serializer = StreamsBenchmark.serializer(settings.schemaRegistryUrl())) {
            StreamsBenchmark.Acks acks = new StreamsBenchmark.Acks();
            Random random = new Random(42);
            for (int v = 0; v < versions; v++) {
                String versionId = versionId(v);
                long decided = FIRST_DECISION + v * 1_000L;
                long review = 60_000L + random.nextInt(3_600_000);
                long wait = 600_000L + random.nextInt(86_400_000);
                long[] at = {decided - review - wait, decided - review, decided, decided + 3_600_000L};
                for (int s = 0; s < 4; s++) {
                    producer.send(new ProducerRecord<>(settings.rawTopic(), "asc:appStoreVersions:" + versionId,
                            serializer.serialize(settings.rawTopic(), webhook(versionId, STATES.get(s),
                                    STATES.get(s + 1), at[s], v * 4 + s))), acks);
                }
            }
            producer.flush();
            acks.requireAll(records);
        }
        String measured = "/api/v1/metrics/REVIEW_TOTAL?from=" + Instant.ofEpochMilli(FIRST_DECISION - 86_400_000L)
                + "&to=" + Instant.ofEpochMilli(FIRST_DECISION + versions * 1_000L + 86_400_000L);
        StreamsApp app = StreamsApp.start(settings, Map.of(), StreamsBenchmark.overrides());
        try (KafkaConsumer<byte[], byte[]> events = consumer(settings.bootstrapServers(), settings.eventsTopic())) {
            long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
            long first = 0;
            long eventsDone = 0;
            int seen = 0;
            long lastCheck = 0;
            long done = 0;
            while (done == 0 && System.nanoTime() < deadline) {
                int batch = seen < records ? events.poll(Duration.ofMillis(100)).count() : 0;
                long now = System.nanoTime();
                if (batch > 0 && seen == 0) {
                    first = now;
                }
                seen += batch;
                if (seen >= records && eventsDone == 0) {
                    eventsDone = now;
                }
                if (seen >= records && now - lastCheck > Duration.ofMillis(250).toNanos()) {
                    lastCheck = now;
                    if (measuredCount(app, measured) >= versions) {
                        done = System.nanoTime();
                    }
                } else if (seen >= records) {
                    Thread.sleep(50);
                }
            }
            if (done == 0) {
                throw new IllegalStateException(label + ": the aggregates did not measure every cycle in 15 min");
            }
            double whole = (done - first) / 1e9;
            System.out.printf("%s: %d events (%d versions, one cycle each) in %.2f s from the first event out to "
                    + "the last cycle in the aggregates = %.0f events/s with analytics; events topic alone: %.2f s "
                    + "= %.0f events/s%n", label, records, versions, whole, records / whole,
                    (eventsDone - first) / 1e9, records / ((eventsDone - first) / 1e9));
            return app;
        } catch (RuntimeException | Error e) {
            app.close();
            throw e;
        }
    }

    private static long measuredCount(StreamsApp app, String path) throws Exception {
        HttpResponse<String> response = get(app, path, null);
        if (response.statusCode() != 200) {
            return -1;
        }
        long measured = 0;
        for (Object row : new JsonObject(response.body()).getJsonArray("rows")) {
            measured += ((JsonObject) row).getLong("measured");
        }
        return measured;
    }

    private static void stateSize(Path stateDir, int cycles) throws IOException {
        Map<String, Long> perStore = new HashMap<>();
        long total = 0;
        try (Stream<Path> files = Files.walk(stateDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                long size = Files.size(file);
                total += size;
                String store = "other (checkpoints, locks)";
                for (Path part : stateDir.relativize(file)) {
                    if (part.toString().startsWith("shipstream-")) {
                        store = part.toString();
                        break;
                    }
                }
                perStore.merge(store, size, Long::sum);
            }
        }
        System.out.printf("state: %d cycles (%d events) left %.1f MB on disk after close = %.0f MB per million cycles"
                + " (extrapolated linearly from this run)%n", cycles, cycles * 4, total / 1e6,
                total / 1e6 * 1_000_000 / cycles);
        perStore.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).forEach(entry ->
                System.out.printf("state:   %s %.1f MB = %.0f MB per million cycles%n", entry.getKey(),
                        entry.getValue() / 1e6, entry.getValue() / 1e6 * 1_000_000 / cycles));
    }

    private static void awaitRunning(List<StreamsApp> apps) {
        Awaitility.await("every instance RUNNING").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> apps.stream().allMatch(app -> app.state() == KafkaStreams.State.RUNNING));
    }

    private static void awaitAnswering(StreamsApp app, String versionId) {
        Awaitility.await("an answer for version " + versionId).atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> get(app, "/api/v1/versions/" + versionId + "/review-cycles", null).statusCode() == 200);
    }

    /**
     * The sampled versions held by {@code app} (true) and by the other instance (false): a request marked as
     * forwarded is answered from local data only, 503 when the key is held elsewhere. Asked until every probe gets
     * 200 or 503 with both instances settled.
     */
    private static Map<Boolean, List<String>> holders(StreamsApp app, List<String> all, int count) throws Exception {
        Random random = new Random(2);
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            Map<Boolean, List<String>> held = new HashMap<>(Map.of(true, new ArrayList<>(), false, new ArrayList<>()));
            boolean settled = true;
            for (int i = 0; i < count; i++) {
                String versionId = all.get(random.nextInt(all.size()));
                int status = get(app, "/api/v1/versions/" + versionId + "/review-cycles",
                        Map.of(ReviewCycleApi.FORWARDED_HEADER, "1")).statusCode();
                if (status != 200 && status != 503) {
                    settled = false;
                }
                held.get(status == 200).add(versionId);
            }
            // Probing again after a rebalance in between must not count versions of a moving partition as remote.
            if (settled && held.get(true).size() > 0 && held.get(false).size() > 0
                    && held.get(false).stream().limit(20).allMatch(versionId -> answers(app, versionId))) {
                return held;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the two instances did not settle within 3 min");
            }
        }
    }

    private static boolean answers(StreamsApp app, String versionId) {
        try {
            return get(app, "/api/v1/versions/" + versionId + "/review-cycles", null).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static void latency(String label, StreamsApp app, List<String> versionIds, Map<String, String> headers)
            throws Exception {
        long[] nanos = new long[versionIds.size()];
        int failed = 0;
        for (int i = 0; i < versionIds.size(); i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = get(app, "/api/v1/versions/" + versionIds.get(i) + "/review-cycles",
                    headers);
            nanos[i] = System.nanoTime() - start;
            if (response.statusCode() != 200) {
                failed++;
            }
        }
        report(label, nanos, failed);
    }

    private static void csv(String label, StreamsApp app, int queries) throws Exception {
        String path = "/api/v1/review-cycles?from=" + Instant.ofEpochMilli(FIRST_DECISION) + "&to="
                + Instant.ofEpochMilli(FIRST_DECISION + CSV_CYCLES * 1_000L) + "&limit=" + CSV_CYCLES + "&format=csv";
        long[] nanos = new long[queries];
        int failed = 0;
        for (int i = 0; i < queries; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = get(app, path, null);
            nanos[i] = System.nanoTime() - start;
            if (response.statusCode() != 200 || response.body().split("\r\n").length != CSV_CYCLES + 1) {
                failed++;
            }
        }
        report(label, nanos, failed);
    }

    private static void report(String label, long[] nanos, int failed) {
        long[] micros = Arrays.stream(nanos).map(n -> n / 1_000).sorted().toArray();
        System.out.printf("query %s: %d requests, %d not 200 or incomplete; p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                label, micros.length, failed, StreamsBenchmark.percentile(micros, 0.50) / 1e3,
                StreamsBenchmark.percentile(micros, 0.99) / 1e3, micros[micros.length - 1] / 1e3);
    }

    private static HttpResponse<String> get(StreamsApp app, String path, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
                .timeout(Duration.ofSeconds(30));
        if (headers != null) {
            headers.forEach(request::header);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> versionIds(int versions) {
        List<String> ids = new ArrayList<>(versions);
        for (int v = 0; v < versions; v++) {
            ids.add(versionId(v));
        }
        return ids;
    }

    private static String versionId(int v) {
        return new UUID(0xa11, v + 1L).toString();
    }

    private static RawWebhook webhook(String versionId, String oldState, String newState, long at, int i) {
        String body = "{\"data\":{\"type\":\"appStoreVersionAppVersionStateUpdated\",\"id\":\"" + UUID.randomUUID()
                + "\",\"version\":1,\"attributes\":{\"newValue\":\"" + newState + "\",\"oldValue\":\"" + oldState
                + "\",\"timestamp\":\"" + Instant.ofEpochMilli(at) + "\"},\"relationships\":{\"instance\":{\"data\":"
                + "{\"type\":\"appStoreVersions\",\"id\":\"" + versionId + "\"}}}}}";
        return RawWebhook.newBuilder()
                .setSource(Source.APP_STORE_CONNECT)
                .setEndpointId("default")
                .setReceivedAt(Instant.now())
                .setRequestId("bench-" + i)
                .setBody(ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)))
                .setAuthentication(new Authentication(AuthScheme.HMAC_SHA256, "s1"))
                .build();
    }

    private static StreamsSettings settings(String bootstrap, String registryUrl, String run, long commitMs,
                                            Path stateDir) {
        return new StreamsSettings(bootstrap, registryUrl, run, stateDir, Duration.ofDays(7),
                Duration.ofMillis(commitMs), run + ".raw", run + ".events", run + ".deadletter", 1, 1,
                "127.0.0.1", 0).withAnalyticsTopics(run + ".review-cycles", run + ".delivery-metrics");
    }

    private static void createTopics(StreamsSettings settings) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                settings.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(settings.rawTopic(), PARTITIONS, (short) 1),
                    new NewTopic(settings.eventsTopic(), PARTITIONS, (short) 1),
                    new NewTopic(settings.deadLetterTopic(), 1, (short) 1),
                    new NewTopic(settings.reviewCyclesTopic(), PARTITIONS, (short) 1),
                    new NewTopic(settings.deliveryMetricsTopic(), PARTITIONS, (short) 1))).all().get();
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String topic) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, topic + "-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
