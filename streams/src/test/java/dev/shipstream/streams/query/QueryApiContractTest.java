package dev.shipstream.streams.query;

import dev.shipstream.streams.http.StatusServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import dev.shipstream.schemas.Platform;
import dev.shipstream.schemas.ReviewOutcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The query API's contract on the streams app's HTTP server, without Kafka Streams: the OpenAPI document is served as
 * it is in the repository, requests it rejects are RFC 9457 problems naming the parameter, and an API that has no
 * Kafka Streams to ask answers 503 with Retry-After instead of guessing.
 */
class QueryApiContractTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private Vertx vertx;
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = StatusServer.start(vertx, "127.0.0.1", 0, () -> true, () -> false, registry,
                        new ReviewCycleApi(vertx, "shipstream-review-histories", "shipstream.webhooks.raw"))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        registry.close();
    }

    @Test
    void servesTheOpenApiDocumentOfTheRepository() throws Exception {
        HttpResponse<String> response = get("/api/openapi.yaml", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/yaml");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("openapi.yaml")) {
            assertThat(response.body()).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertThat(response.body()).startsWith("openapi: 3.1.0");
    }

    @Test
    void theDocumentsEnumsAreThoseOfTheAvroContracts() throws Exception {
        Map<String, Object> document;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("openapi.yaml")) {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        }
        JsonObject json = new JsonObject(document);
        JsonArray parameters = json.getJsonObject("paths").getJsonObject("/api/v1/review-cycles")
                .getJsonObject("get").getJsonArray("parameters");
        JsonObject platform = parameters.stream().map(JsonObject.class::cast)
                .filter(p -> "platform".equals(p.getString("name"))).findFirst().orElseThrow();

        assertThat(platform.getJsonObject("schema").getJsonArray("enum").getList())
                .containsExactlyElementsOf(Arrays.stream(Platform.values()).map(Enum::name).toList());
        assertThat(json.getJsonObject("components").getJsonObject("schemas").getJsonObject("Outcome")
                .getJsonArray("enum").getList())
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(ReviewOutcome.values()).map(Enum::name).toList());
    }

    @Test
    void aLimitBelowTheMinimumIsAProblemNamingLimit() throws Exception {
        HttpResponse<String> response = get("/api/v1/review-cycles?from=2025-12-01T00:00:00Z"
                + "&to=2026-01-01T00:00:00Z&limit=0", null);

        assertProblem(response, 400, "limit");
    }

    @Test
    void aMissingFromIsAProblemNamingFrom() throws Exception {
        assertProblem(get("/api/v1/review-cycles?to=2026-01-01T00:00:00Z", null), 400, "from");
    }

    @Test
    void anUnknownOutcomeIsAProblemNamingOutcome() throws Exception {
        assertProblem(get("/api/v1/review-cycles?from=2025-12-01T00:00:00Z&to=2026-01-01T00:00:00Z"
                + "&outcome=MAYBE", null), 400, "outcome");
    }

    @Test
    void aTimeWithoutAnOffsetIsAProblemNamingIt() throws Exception {
        assertProblem(get("/api/v1/review-cycles?from=2025-12-01T00:00:00&to=2026-01-01T00:00:00Z", null),
                400, "from");
    }

    @Test
    void aRangeThatEndsBeforeItStartsIsAProblemNamingTo() throws Exception {
        assertProblem(get("/api/v1/review-cycles?from=2026-01-01T00:00:00Z&to=2025-12-01T00:00:00Z", null),
                400, "to");
    }

    @Test
    void aCursorThisApiDidNotGiveIsAProblemNamingCursor() throws Exception {
        assertProblem(get("/api/v1/review-cycles?from=2025-12-01T00:00:00Z&to=2026-01-01T00:00:00Z"
                + "&cursor=bm90LWEtY3Vyc29y", null), 400, "cursor");
    }

    @Test
    void withoutKafkaStreamsTheAnswerIs503WithRetryAfter() throws Exception {
        HttpResponse<String> version = get("/api/v1/versions/123/review-cycles", null);
        HttpResponse<String> range = get("/api/v1/review-cycles?from=2025-12-01T00:00:00Z&to=2026-01-01T00:00:00Z",
                "text/csv");

        for (HttpResponse<String> response : java.util.List.of(version, range)) {
            assertProblem(response, 503, null);
            assertThat(response.headers().firstValue("retry-after")).hasValue("1");
        }
    }

    @Test
    void aBucketThatIsNeitherDayNorWeekIsAProblemNamingBucket() throws Exception {
        assertProblem(get("/api/v1/metrics/REVIEW_TOTAL?from=2025-12-01T00:00:00Z&to=2026-01-01T00:00:00Z"
                + "&bucket=month", null), 400, "bucket");
        assertProblem(get("/api/v1/apps/123/review-times?from=2025-12-01T00:00:00Z&to=2026-01-01T00:00:00Z"
                + "&bucket=month", null), 400, "bucket");
    }

    @Test
    void anUnknownMetricIsAProblemNamingMetric() throws Exception {
        assertProblem(get("/api/v1/metrics/HAPPINESS?from=2025-12-01T00:00:00Z&to=2026-01-01T00:00:00Z", null),
                400, "metric");
    }

    @Test
    void aMetricRangeThatEndsBeforeItStartsIsAProblemNamingTo() throws Exception {
        assertProblem(get("/api/v1/metrics/REVIEW_TOTAL?from=2026-01-01T00:00:00Z&to=2025-12-01T00:00:00Z", null),
                400, "to");
        assertProblem(get("/api/v1/apps/123/review-times?from=2026-01-01T00:00:00Z&to=2025-12-01T00:00:00Z", null),
                400, "to");
    }

    @Test
    void aReviewTimesQueryWithoutFromIsAProblemNamingFrom() throws Exception {
        assertProblem(get("/api/v1/apps/123/review-times?to=2026-01-01T00:00:00Z", null), 400, "from");
    }

    @Test
    void anUnknownPlatformOfAMetricIsAProblemNamingPlatform() throws Exception {
        assertProblem(get("/api/v1/metrics/REVIEW_TOTAL?from=2025-12-01T00:00:00Z&to=2026-01-01T00:00:00Z"
                + "&platform=AMIGA", null), 400, "platform");
    }

    @Test
    void withoutKafkaStreamsTheAggregatesAre503WithRetryAfter() throws Exception {
        HttpResponse<String> times = get("/api/v1/apps/123/review-times?from=2025-12-01T00:00:00Z"
                + "&to=2026-01-01T00:00:00Z&bucket=week", null);
        HttpResponse<String> metric = get("/api/v1/metrics/EAS_BUILD_TIME?from=2025-12-01T00:00:00Z"
                + "&to=2026-01-01T00:00:00Z&format=csv", null);

        for (HttpResponse<String> response : java.util.List.of(times, metric)) {
            assertProblem(response, 503, null);
            assertThat(response.headers().firstValue("retry-after")).hasValue("1");
        }
    }

    @Test
    void theMetricPathEnumIsTheMetricNames() throws Exception {
        Map<String, Object> document;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("openapi.yaml")) {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        }
        JsonObject metric = new JsonObject(document).getJsonObject("paths").getJsonObject("/api/v1/metrics/{metric}")
                .getJsonObject("get").getJsonArray("parameters").stream().map(JsonObject.class::cast)
                .filter(p -> "metric".equals(p.getString("name"))).findFirst().orElseThrow();

        assertThat(metric.getJsonObject("schema").getJsonArray("enum").getList()).containsExactlyElementsOf(
                Arrays.stream(dev.shipstream.streams.metrics.MetricName.values()).map(Enum::name).toList());
    }

    private static void assertProblem(HttpResponse<String> response, int status, String parameter) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        JsonObject problem = new JsonObject(response.body());
        assertThat(problem.getInteger("status")).isEqualTo(status);
        assertThat(problem.getString("title")).isNotBlank();
        assertThat(problem.getString("parameter")).isEqualTo(parameter);
    }

    private HttpResponse<String> get(String path, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort()
                + path)).timeout(Duration.ofSeconds(10));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
