package dev.shipstream.streams;

import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Source;
import dev.shipstream.schemas.Topics;
import dev.shipstream.schemas.keys.EntityKeys;
import dev.shipstream.schemas.serde.AvroSerializer;
import dev.shipstream.streams.query.SseReader;
import dev.shipstream.testsupport.KafkaPlatform;
import dev.shipstream.testsupport.KafkaPlatformExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static dev.shipstream.streams.RawWebhookFixtures.payload;
import static dev.shipstream.streams.RawWebhookFixtures.producer;
import static dev.shipstream.streams.RawWebhookFixtures.rawSerializer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the streams app on the real broker, one application id, the versions spread over every partition
 * of the raw topic: the same query to either instance gives the same answer, whether the version is held by the
 * instance asked or by the other one (forwarded), and a range query merges both instances' cycles into the same
 * pages. The cycle stream of either instance carries every version's changes.
 */
@ExtendWith(KafkaPlatformExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class QueryAcrossInstancesIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration BOUND = Duration.ofSeconds(120);
    private static final int PARTITIONS = 3;
    private static final int VERSIONS_PER_PARTITION = 2;
    private static final String PLACEHOLDER = "xxx-xx-xx-xx-xxx";
    private static final List<String> APPROVAL = List.of("waiting-for-review", "in-review",
            "pending-developer-release");

    @Test
    void eitherInstanceGivesTheSameAnswerForOneVersionAndForARange(KafkaPlatform platform, @TempDir Path stateA,
                                                                  @TempDir Path stateB) throws Exception {
        String raw = platform.uniqueName("query-raw");
        String events = platform.uniqueName("query-events");
        String dead = platform.uniqueName("query-dead");
        platform.createTopic(raw, PARTITIONS);
        platform.createTopic(events, PARTITIONS);
        platform.createTopic(dead, 1);
        // Analytics topics of this test only: on the shared broker other tests' cycles would join its aggregates.
        String cycles = platform.uniqueName("query-cycles");
        String metrics = platform.uniqueName("query-metrics");
        platform.createTopic(cycles, Topics.REVIEW_CYCLES.partitions());
        platform.createTopic(metrics, Topics.DELIVERY_METRICS.partitions());
        String applicationId = platform.uniqueName("query-streams");
        List<String> versions = versionsOnEveryPartition();

        try (StreamsApp a = StreamsApp.start(settings(platform, applicationId, raw, events, dead, stateA)
                     .withAnalyticsTopics(cycles, metrics), Map.of());
             StreamsApp b = StreamsApp.start(settings(platform, applicationId, raw, events, dead, stateB)
                     .withAnalyticsTopics(cycles, metrics), Map.of());
             KafkaProducer<String, byte[]> producer = producer(platform);
             AvroSerializer<RawWebhook> serializer = rawSerializer(platform);
             SseReader streamA = SseReader.open(a.httpPort(), "/api/v1/review-cycles/stream");
             SseReader streamB = SseReader.open(b.httpPort(), "/api/v1/review-cycles/stream")) {
            await("both instances RUNNING").atMost(BOUND).until(() ->
                    a.state() == KafkaStreams.State.RUNNING && b.state() == KafkaStreams.State.RUNNING);
            await("both streams connected").atMost(BOUND).until(() ->
                    streamA.headers().contains("text/event-stream") && streamB.headers().contains("text/event-stream"));
            for (String versionId : versions) {
                for (String state : APPROVAL) {
                    byte[] body = webhook(state, versionId);
                    String key = EntityKeys.keyOf(Source.APP_STORE_CONNECT, body);
                    producer.send(new ProducerRecord<>(raw, key, serializer.serialize(raw, rawWebhook(body))))
                            .get();
                }
            }

            // One version, asked of both: the same approved cycle, whichever instance holds it.
            for (String versionId : versions) {
                String path = "/api/v1/versions/" + versionId + "/review-cycles";
                await("an approved cycle of " + versionId + " from both instances").atMost(BOUND)
                        .pollInterval(Duration.ofMillis(200)).until(() -> approved(get(a, path, null))
                                && approved(get(b, path, null)));
                HttpResponse<String> fromA = get(a, path, null);
                HttpResponse<String> fromB = get(b, path, null);
                assertThat(new JsonObject(fromB.body())).isEqualTo(new JsonObject(fromA.body()));
                JsonObject cycle = new JsonObject(fromA.body()).getJsonArray("cycles").getJsonObject(0);
                assertThat(cycle.getString("submittedAt")).isEqualTo("2025-12-18T03:41:21.179Z");
                assertThat(cycle.getString("decidedAt")).isEqualTo("2025-12-18T22:34:18.785Z");
                assertThat(cycle.getLong("totalMs")).isEqualTo(67_977_606L);
            }
            // Each instance streams every version's changes, also those of the partitions the other one holds.
            for (SseReader stream : List.of(streamA, streamB)) {
                await("an APPROVED change of every version on a stream").atMost(BOUND)
                        .until(() -> approvedIn(stream).containsAll(versions));
                assertThat(stream.events()).allSatisfy(event -> {
                    assertThat(event.name()).isEqualTo("review-cycle");
                    assertThat(event.id()).matches(Pattern.quote(cycles) + "-[0-9]+-[0-9]+");
                });
            }
            assertThat(get(a, "/api/v1/versions/never-seen/review-cycles", null).statusCode()).isEqualTo(404);
            assertThat(get(b, "/api/v1/versions/never-seen/review-cycles", null).statusCode()).isEqualTo(404);

            // A range, paged, asked of both: the same pages, holding every version's cycle once.
            String range = "/api/v1/review-cycles?from=2025-12-18T00:00:00Z&to=2025-12-19T00:00:00Z&limit=4";
            // 503 + Retry-After while a partition moves (the assignor may still move tasks after the first
            // rebalance); a client retries, and so does this test, within a bound.
            List<List<JsonObject>> answers = new ArrayList<>();
            await("every page from both instances").atMost(BOUND).pollInterval(Duration.ofMillis(500)).until(() -> {
                answers.clear();
                pages(a, range).ifPresent(answers::add);
                pages(b, range).ifPresent(answers::add);
                return answers.size() == 2;
            });
            List<JsonObject> pagesA = answers.get(0);
            List<JsonObject> pagesB = answers.get(1);
            assertThat(pagesB).isEqualTo(pagesA);
            List<String> listed = new ArrayList<>();
            pagesA.forEach(page -> page.getJsonArray("cycles")
                    .forEach(row -> listed.add(((JsonObject) row).getString("versionId"))));
            assertThat(listed).containsExactlyElementsOf(versions.stream().sorted().toList());

            String all = range.replace("limit=4", "limit=100");
            List<HttpResponse<String>> csv = new ArrayList<>();
            await("the listing as CSV from both instances").atMost(BOUND).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        csv.clear();
                        csv.add(get(a, all + "&format=csv", null));
                        csv.add(get(b, all, "text/csv"));
                        return csv.stream().noneMatch(response -> response.statusCode() == 503);
                    });
            HttpResponse<String> csvA = csv.get(0);
            HttpResponse<String> csvB = csv.get(1);
            assertThat(csvA.statusCode()).isEqualTo(200);
            assertThat(csvA.headers().firstValue("content-type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/csv"));
            assertThat(csvB.body()).isEqualTo(csvA.body());
            assertThat(csvA.body().split("\r\n")).hasSize(1 + versions.size());

            // The aggregates of the decided cycles: every instance's sketches merged, the same from either one.
            String metric = "/api/v1/metrics/REVIEW_TOTAL?from=2025-12-01T00:00:00Z&to=2026-01-01T00:00:00Z";
            List<HttpResponse<String>> totals = new ArrayList<>();
            await("every decided cycle in the REVIEW_TOTAL aggregate of both instances").atMost(BOUND)
                    .pollInterval(Duration.ofMillis(500)).until(() -> {
                        totals.clear();
                        totals.add(get(a, metric, null));
                        totals.add(get(b, metric, null));
                        return totals.stream().allMatch(response -> measured(response) == versions.size());
                    });
            assertThat(new JsonObject(totals.get(1).body())).isEqualTo(new JsonObject(totals.get(0).body()));
            // Only this test's cycles (no app: the fixtures are not enriched): its analytics topics are its own.
            List<JsonObject> rows = rows(totals.get(0));
            assertThat(rows).hasSize(1);
            JsonObject row = rows.get(0);
            assertThat(row.getString("app")).isNull();
            assertThat(row.getString("bucketStart")).isEqualTo("2025-12-18T00:00:00.000Z");
            assertThat(row.getString("metric")).isEqualTo("REVIEW_TOTAL");
            assertThat(row.getLong("count")).isEqualTo((long) versions.size());
            // Every cycle took the same time, so every statistic is that time exactly.
            for (String field : List.of("minMs", "p50Ms", "p90Ms", "p95Ms", "maxMs")) {
                assertThat(row.getLong(field)).as(field).isEqualTo(67_977_606L);
            }
            assertThat(row.getDouble("meanMs")).isEqualTo(67_977_606.0);

            HttpResponse<String> weekCsvA = get(a, metric + "&bucket=week&format=csv", null);
            HttpResponse<String> weekCsvB = get(b, metric + "&bucket=week", "text/csv");
            assertThat(weekCsvA.statusCode()).as(weekCsvA.body()).isEqualTo(200);
            assertThat(weekCsvB.body()).isEqualTo(weekCsvA.body());
            assertThat(weekCsvA.body().split("\r\n")[0]).isEqualTo(
                    "bucketStart,metric,app,platform,count,measured,minMs,p50Ms,p90Ms,p95Ms,maxMs,meanMs");
            assertThat(weekCsvA.body().split("\r\n")).hasSize(2).endsWith(
                    "2025-12-15T00:00:00.000Z,REVIEW_TOTAL,,," + versions.size() + "," + versions.size()
                            + ",67977606,67977606,67977606,67977606,67977606,67977606");

            // The rolling 30 days before 2025-12-20: the day sketches of both instances merged into one row.
            String rolling = "/api/v1/metrics/REVIEW_TOTAL?bucket=rolling30&to=2025-12-20T00:00:00Z";
            HttpResponse<String> rollingA = get(a, rolling, null);
            HttpResponse<String> rollingB = get(b, rolling, null);
            assertThat(rollingA.statusCode()).as(rollingA.body()).isEqualTo(200);
            assertThat(new JsonObject(rollingB.body())).isEqualTo(new JsonObject(rollingA.body()));
            assertThat(rows(rollingA)).singleElement().satisfies(rolled -> {
                assertThat(rolled.getString("bucketStart")).isEqualTo("2025-11-20T00:00:00.000Z");
                assertThat(rolled.getLong("count")).isEqualTo((long) versions.size());
                assertThat(rolled.getLong("p95Ms")).isEqualTo(67_977_606L);
            });

            // The fixtures name no app: an app's review times are no rows, from either instance alike.
            String times = "/api/v1/apps/no-such-app/review-times?from=2025-12-01T00:00:00Z&to=2026-01-01T00:00:00Z";
            HttpResponse<String> timesA = get(a, times, null);
            HttpResponse<String> timesB = get(b, times, null);
            assertThat(timesA.statusCode()).as(timesA.body()).isEqualTo(200);
            assertThat(new JsonObject(timesB.body())).isEqualTo(new JsonObject(timesA.body()))
                    .isEqualTo(new JsonObject().put("rows", new JsonArray()));
        }
    }

    /** The measured count of the one aggregate row, or -1 when there is not exactly one or the answer is not 200. */
    private static long measured(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            return -1;
        }
        List<JsonObject> rows = rows(response);
        return rows.size() != 1 ? -1 : rows.get(0).getLong("measured");
    }

    private static List<JsonObject> rows(HttpResponse<String> response) {
        List<JsonObject> rows = new ArrayList<>();
        new JsonObject(response.body()).getJsonArray("rows").forEach(row -> rows.add((JsonObject) row));
        return rows;
    }

    private static List<String> approvedIn(SseReader stream) {
        return stream.events().stream().map(event -> new JsonObject(event.data()))
                .filter(change -> "APPROVED".equals(change.getString("outcome")))
                .map(change -> change.getString("versionId")).toList();
    }

    private static boolean approved(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            return false;
        }
        JsonArray cycles = new JsonObject(response.body()).getJsonArray("cycles");
        return cycles.size() == 1 && "APPROVED".equals(cycles.getJsonObject(0).getString("outcome"));
    }

    /** Every page of a listing, following nextCursor; empty if a page was 503 (a partition was moving). */
    private static Optional<List<JsonObject>> pages(StreamsApp app, String first) throws Exception {
        List<JsonObject> pages = new ArrayList<>();
        String path = first;
        while (path != null) {
            HttpResponse<String> response = get(app, path, null);
            if (response.statusCode() == 503) {
                assertThat(response.headers().firstValue("Retry-After")).isPresent();
                return Optional.empty();
            }
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonObject page = new JsonObject(response.body());
            pages.add(page);
            String next = page.getString("nextCursor");
            path = next == null ? null : first + "&cursor=" + next;
            assertThat(pages).hasSizeLessThan(10);
        }
        return Optional.of(pages);
    }

    /** Version ids whose keys fall on every partition of the raw topic, so that both instances hold some. */
    private static List<String> versionsOnEveryPartition() {
        Map<Integer, Integer> perPartition = new HashMap<>();
        List<String> versions = new ArrayList<>();
        while (versions.size() < PARTITIONS * VERSIONS_PER_PARTITION) {
            String versionId = UUID.randomUUID().toString();
            byte[] key = ("asc:appStoreVersions:" + versionId).getBytes(StandardCharsets.UTF_8);
            // The default partitioner's choice for a keyed record.
            int partition = Utils.toPositive(Utils.murmur2(key)) % PARTITIONS;
            if (perPartition.merge(partition, 1, Integer::sum) <= VERSIONS_PER_PARTITION) {
                versions.add(versionId);
            }
        }
        return versions;
    }

    private static byte[] webhook(String state, String versionId) {
        String fixture = new String(payload("asc/appStoreVersionAppVersionStateUpdated-" + state + ".json"),
                StandardCharsets.UTF_8);
        // The first placeholder is the notification's id, the others the version's.
        return fixture.replaceFirst(PLACEHOLDER, UUID.randomUUID().toString()).replace(PLACEHOLDER, versionId)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static RawWebhook rawWebhook(byte[] body) {
        RawWebhook webhook = RawWebhookFixtures.webhook("asc/appStoreVersionAppVersionStateUpdated-in-review.json");
        webhook.setBody(ByteBuffer.wrap(body));
        webhook.setReceivedAt(Instant.now());
        return webhook;
    }

    private static StreamsSettings settings(KafkaPlatform platform, String applicationId, String raw, String events,
                                            String dead, Path stateDir) {
        return new StreamsSettings(platform.bootstrapServers(), platform.schemaRegistryUrl(), applicationId, stateDir,
                Duration.ofDays(7), Duration.ofMillis(100), raw, events, dead, 1, 1, "127.0.0.1", 0);
    }

    private static HttpResponse<String> get(StreamsApp app, String path, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
                .timeout(Duration.ofSeconds(10));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

}
