package dev.shipstream.streams.enrich;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

class AppStoreConnectClientTest {

    private static final String TOKEN = "test-token";
    private static final String RATE_LIMIT = "user-hour-lim:3500;user-hour-rem:3499;";

    private WireMockServer server;
    private SimpleMeterRegistry meters;
    private AppStoreConnectClient client;
    private final AtomicInteger invalidations = new AtomicInteger();

    @BeforeEach
    void start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        meters = new SimpleMeterRegistry();
        client = client(Duration.ofSeconds(2), 4_000);
    }

    private AppStoreConnectClient client(Duration requestTimeout, int crashLogMaxChars) {
        EnrichmentSettings settings = EnrichmentSettings.builder()
                .apiUrl(URI.create("http://127.0.0.1:" + server.port()))
                .connectTimeout(Duration.ofMillis(500))
                .requestTimeout(requestTimeout)
                .crashLogMaxChars(crashLogMaxChars)
                .build();
        return new AppStoreConnectClient(settings, () -> TOKEN, invalidations::incrementAndGet, meters);
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop();
    }

    private void answer(String path, String include, int status, String body) {
        var request = get(urlPathEqualTo(path));
        if (include != null) {
            request = request.withQueryParam("include", equalTo(include));
        }
        server.stubFor(request.willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withHeader("X-Rate-Limit", RATE_LIMIT)
                .withBody(body)));
    }

    @Test
    void looksUpTheVersionWithItsAppAndBuild() {
        answer("/v1/appStoreVersions/xxx-xxx-xxx-xxx", "app,build", 200,
                Fixtures.apiResponse("app-store-version-with-app-and-build.json"));

        ApiResult result = client.lookup("appStoreVersions", "xxx-xxx-xxx-xxx");

        assertThat(result.kind()).isEqualTo(ApiResult.Kind.FOUND);
        EntityDetails details = result.details().orElseThrow();
        assertThat(details.versionString()).isEqualTo("1.101.0");
        assertThat(details.buildNumber()).isEqualTo("3");
        assertThat(details.appId()).isEqualTo("1234567890");
        assertThat(details.appName()).isEqualTo("MyApp");
        assertThat(details.bundleId()).isEqualTo("com.example.myapp");
        assertThat(details.platform()).isEqualTo("IOS");
        assertThat(details.apiState()).isEqualTo("READY_FOR_DISTRIBUTION");
        assertThat(result.rateLimit()).hasValueSatisfying(limit -> assertThat(limit.remaining()).isEqualTo(3499));
        server.verify(getRequestedFor(urlPathEqualTo("/v1/appStoreVersions/xxx-xxx-xxx-xxx"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN)));
    }

    @Test
    void reportsTheItms90683ErrorOfTheFailedBuildUpload() {
        answer("/v1/buildUploads/xx-xx-xx-xx-xxx", "build", 200, Fixtures.apiResponse("build-upload-failed.json"));

        ApiResult result = client.lookup("buildUploads", "xx-xx-xx-xx-xxx");

        EntityDetails details = result.details().orElseThrow();
        assertThat(details.apiState()).isEqualTo("FAILED");
        assertThat(details.versionString()).isEqualTo("1.101.0");
        assertThat(details.buildNumber()).isEqualTo("3");
        assertThat(details.errors()).singleElement().satisfies(error -> {
            assertThat(error.code()).isEqualTo("90683");
            assertThat(error.message()).startsWith("Missing purpose string in Info.plist.")
                    .contains("NSMicrophoneUsageDescription");
        });
    }

    @Test
    void reportsNoErrorForTheCompletedBuildUpload() {
        answer("/v1/buildUploads/xx-xx-xx-xxx-xx", "build", 200, Fixtures.apiResponse("build-upload-complete.json"));

        EntityDetails details = client.lookup("buildUploads", "xx-xx-xx-xxx-xx").details().orElseThrow();

        assertThat(details.apiState()).isEqualTo("COMPLETE");
        assertThat(details.buildNumber()).isEqualTo("1");
        assertThat(details.errors()).isEmpty();
    }

    @Test
    void followsTheBetaDetailToItsBuildByIdNotByLink() {
        String id = "ad7e6298-2570-4ca6-b3cc-f81788e40bdc";
        answer("/v1/buildBetaDetails/" + id, "build", 200, Fixtures.apiResponse("build-beta-detail.json"));
        answer("/v1/builds/b0a1c2d3-0000-4000-8000-000000000002", "preReleaseVersion,app", 200,
                Fixtures.apiResponse("build-with-prerelease-and-app.json"));

        EntityDetails details = client.lookup("buildBetaDetails", id).details().orElseThrow();

        assertThat(details.versionString()).isEqualTo("2.3.0");
        assertThat(details.buildNumber()).isEqualTo("1045");
        assertThat(details.appName()).isEqualTo("MyApp");
        assertThat(details.apiState()).isEqualTo("BETA_APPROVED");
        assertThat(details.extras()).containsEntry(EnrichmentExtras.INTERNAL_BUILD_STATE, "IN_BETA_TESTING");
    }

    @Test
    void collectsCrashFeedbackWithTesterDeviceAndABoundedCrashLog() {
        client.close();
        client = client(Duration.ofSeconds(2), 40);
        String id = "AK7UjG-qL5QxXf3gIOGjbpQ";
        answer("/v1/betaFeedbackCrashSubmissions/" + id, "build,tester", 200,
                Fixtures.apiResponse("beta-feedback-crash-submission.json"));
        answer("/v1/betaFeedbackCrashSubmissions/" + id + "/crashLog", null, 200,
                Fixtures.apiResponse("crash-log.json"));

        EntityDetails details = client.lookup("betaFeedbackCrashSubmissions", id).details().orElseThrow();

        assertThat(details.buildNumber()).isEqualTo("1045");
        assertThat(details.bundleId()).isEqualTo("com.example.myapp");
        assertThat(details.extras())
                .containsEntry(EnrichmentExtras.TESTER_EMAIL, "tester@example.com")
                .containsEntry(EnrichmentExtras.TESTER_NAME, "Ada Tester")
                .containsEntry(EnrichmentExtras.DEVICE_MODEL, "iPhone15_2")
                .containsEntry(EnrichmentExtras.OS_VERSION, "18.4.1")
                .containsEntry(EnrichmentExtras.FEEDBACK_COMMENT, "Crashed when I opened the settings tab")
                .containsEntry(EnrichmentExtras.CRASH_LOG, "Incident Identifier: 5B1F3C2A-0000-4000-")
                .containsEntry(EnrichmentExtras.CRASH_LOG_TRUNCATED, "true");
    }

    @Test
    void keepsCrashFeedbackWhenItHasNoCrashLog() {
        String id = "AK7UjG-qL5QxXf3gIOGjbpQ";
        answer("/v1/betaFeedbackCrashSubmissions/" + id, "build,tester", 200,
                Fixtures.apiResponse("beta-feedback-crash-submission.json"));
        answer("/v1/betaFeedbackCrashSubmissions/" + id + "/crashLog", null, 404, "{\"errors\":[]}");

        ApiResult result = client.lookup("betaFeedbackCrashSubmissions", id);

        assertThat(result.kind()).isEqualTo(ApiResult.Kind.FOUND);
        assertThat(result.details().orElseThrow().extras()).doesNotContainKey(EnrichmentExtras.CRASH_LOG);
    }

    @Test
    void copiesOnlyWebScreenshotUrlsAndNeverFetchesThem() {
        String id = "AOkwUQ9Ze-mgsnd1LE4Okz0";
        answer("/v1/betaFeedbackScreenshotSubmissions/" + id, "build,tester", 200,
                Fixtures.apiResponse("beta-feedback-screenshot-submission.json"));

        EntityDetails details = client.lookup("betaFeedbackScreenshotSubmissions", id).details().orElseThrow();

        assertThat(details.extras())
                .containsEntry(EnrichmentExtras.SCREENSHOT_URLS, "https://tf-feedback.itunes.apple.com/eimg/a1.png");
        assertThat(server.getAllServeEvents()).hasSize(1);
    }

    @Test
    void classifiesA429WithRetryAfter() {
        server.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "30")
                .withHeader("X-Rate-Limit", "user-hour-lim:3500;user-hour-rem:0;")
                .withBody(Fixtures.apiResponse("error-429.json"))));

        ApiResult result = client.lookup("appStoreVersions", "v1");

        assertThat(result.kind()).isEqualTo(ApiResult.Kind.RATE_LIMITED);
        assertThat(result.retryAfter()).contains(Duration.ofSeconds(30));
        assertThat(result.reason()).isEqualTo("HTTP 429 RATE_LIMIT_EXCEEDED: The request rate limit has been reached.");
        assertThat(result.rateLimit()).hasValueSatisfying(limit -> assertThat(limit.remaining()).isZero());
    }

    @Test
    void classifiesA429WithoutRetryAfter() {
        server.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(429)
                .withBody(Fixtures.apiResponse("error-429.json"))));

        ApiResult result = client.lookup("appStoreVersions", "v1");

        assertThat(result.kind()).isEqualTo(ApiResult.Kind.RATE_LIMITED);
        assertThat(result.retryAfter()).isEmpty();
    }

    @Test
    void classifiesA500AsTransient() {
        server.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(500)));

        ApiResult result = client.lookup("buildUploads", "u1");

        assertThat(result.kind()).isEqualTo(ApiResult.Kind.TRANSIENT);
        assertThat(result.reason()).isEqualTo("HTTP 500");
        assertThat(meters.counter(AppStoreConnectClient.CALLS_METRIC, "resource", "buildUploads", "status", "500")
                .count()).isEqualTo(1.0);
    }

    @Test
    void givesUpOnAResponseSlowerThanTheTimeout() {
        client.close();
        client = client(Duration.ofMillis(300), 4_000);
        server.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(5_000)
                .withBody(Fixtures.apiResponse("build-upload-failed.json"))));

        long started = System.nanoTime();
        ApiResult result = client.lookup("buildUploads", "u1");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result.kind()).isEqualTo(ApiResult.Kind.TRANSIENT);
        assertThat(result.reason()).isEqualTo("timed out after 300 ms");
        assertThat(took).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void classifiesA401AsUnauthorizedAndDropsTheToken() {
        server.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(401)
                .withBody(Fixtures.apiResponse("error-401.json"))));

        ApiResult result = client.lookup("appStoreVersions", "v1");

        assertThat(result.kind()).isEqualTo(ApiResult.Kind.UNAUTHORIZED);
        assertThat(result.httpStatus()).isEqualTo(401);
        assertThat(result.reason())
                .isEqualTo("HTTP 401 NOT_AUTHORIZED: Authentication credentials are missing or invalid.")
                .doesNotContain(TOKEN);
        assertThat(invalidations).hasValue(1);
    }

    @Test
    void classifiesA404AsNotFoundYet() {
        server.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(404)));

        assertThat(client.lookup("appStoreVersions", "v1").kind()).isEqualTo(ApiResult.Kind.NOT_FOUND);
    }

    @Test
    void doesNotFollowARedirectToAnotherHost() {
        server.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "http://127.0.0.2:1/steal")));

        ApiResult result = client.lookup("appStoreVersions", "v1");

        assertThat(result.kind()).isEqualTo(ApiResult.Kind.REJECTED);
        assertThat(result.httpStatus()).isEqualTo(302);
    }

    @Test
    void refusesIdsThatCouldChangeThePathOrQuery() {
        assertThat(client.lookup("appStoreVersions", "../apps/1").kind()).isEqualTo(ApiResult.Kind.REJECTED);
        assertThat(client.lookup("appStoreVersions", "v1?include=x").kind()).isEqualTo(ApiResult.Kind.REJECTED);
        assertThat(client.lookup("appStoreVersions", "https://evil.example/x").kind())
                .isEqualTo(ApiResult.Kind.REJECTED);
        server.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void refusesDotOnlyIdsThatWouldNameTheCollectionOrItsParent() {
        for (String id : new String[] {".", "..", "..."}) {
            ApiResult result = client.lookup("appStoreVersions", id);

            assertThat(result.kind()).as(id).isEqualTo(ApiResult.Kind.REJECTED);
        }
        assertThat(client.lookup("appStoreVersions", "1.2").kind()).isNotEqualTo(ApiResult.Kind.REJECTED);
        server.verify(1, anyRequestedFor(anyUrl()));
        server.verify(1, getRequestedFor(urlPathEqualTo("/v1/appStoreVersions/1.2")));
    }

    @Test
    void hasNoLookupForOtherEntityTypes() {
        ApiResult result = client.lookup("backgroundAssetVersions", "b1");

        assertThat(result.kind()).isEqualTo(ApiResult.Kind.REJECTED);
        assertThat(result.reason()).isEqualTo("no App Store Connect lookup for entity type backgroundAssetVersions");
        server.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void classifiesARefusedConnectionAsTransient() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        client.close();
        client = new AppStoreConnectClient(EnrichmentSettings.builder()
                .apiUrl(URI.create("http://127.0.0.1:" + closedPort))
                .connectTimeout(Duration.ofMillis(500))
                .requestTimeout(Duration.ofSeconds(1))
                .build(), () -> TOKEN, invalidations::incrementAndGet, meters);

        ApiResult result = client.lookup("appStoreVersions", "v1");

        assertThat(result.kind()).isEqualTo(ApiResult.Kind.TRANSIENT);
        assertThat(result.reason()).startsWith("request failed (");
    }
    private void answerSubmissions(String cursor, int status, String body) {
        var request = get(urlPathEqualTo("/v1/reviewSubmissions"));
        request = cursor == null ? request.withQueryParam("cursor", com.github.tomakehurst.wiremock.client.WireMock.absent())
                : request.withQueryParam("cursor", equalTo(cursor));
        server.stubFor(request.willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withHeader("X-Rate-Limit", RATE_LIMIT)
                .withBody(body)));
    }

    private String page(String name, String base) {
        return Fixtures.apiResponse(name).replace("{{base}}", base);
    }

    @Test
    void listsEveryPageOfTheAppsReviewSubmissionsWithTheirVersions() {
        String base = "http://127.0.0.1:" + server.port();
        answerSubmissions(null, 200, page("review-submissions-page-1.json", base));
        answerSubmissions("Mg", 200, page("review-submissions-page-2.json", base));

        ReviewSubmissions result = client.reviewSubmissions("1234567890");

        assertThat(result.failure()).isNull();
        assertThat(result.submissions().orElseThrow()).containsExactly(
                new ReviewSubmission("8f1c2a3b-0001-4000-8000-000000000001", "xxx-xx-xx-xx-xxx",
                        java.time.Instant.parse("2025-12-18T03:41:20.902Z"), "COMPLETE"),
                new ReviewSubmission("8f1c2a3b-0002-4000-8000-000000000002", "yyy-yy-yy-yy-yyy",
                        java.time.Instant.parse("2025-12-18T10:00:00Z"), "WAITING_FOR_REVIEW"),
                new ReviewSubmission("8f1c2a3b-0003-4000-8000-000000000003", "xxx-xx-xx-xx-xxx",
                        java.time.Instant.parse("2025-12-18T05:12:33.456Z"), "COMPLETE"),
                new ReviewSubmission("8f1c2a3b-0004-4000-8000-000000000004", "xxx-xx-xx-xx-xxx", null,
                        "READY_FOR_REVIEW"));
        assertThat(result.rateLimit()).hasValueSatisfying(limit -> assertThat(limit.remaining()).isEqualTo(3499));
        server.verify(getRequestedFor(urlPathEqualTo("/v1/reviewSubmissions"))
                .withQueryParam("filter[app]", equalTo("1234567890"))
                .withQueryParam("include", equalTo("appStoreVersionForReview"))
                .withQueryParam("limit", equalTo("200"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN)));
    }

    @Test
    void doesNotFollowANextLinkToAnotherHost() {
        answerSubmissions(null, 200, page("review-submissions-page-1.json", "https://attacker.example"));

        ReviewSubmissions result = client.reviewSubmissions("1234567890");

        assertThat(result.failure().kind()).isEqualTo(ApiResult.Kind.REJECTED);
        assertThat(result.failure().reason()).contains("links.next");
        server.verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void refusesAListLongerThanItReadsRatherThanGiveAPartOfIt() {
        String base = "http://127.0.0.1:" + server.port();
        // Every page links to a next one.
        server.stubFor(get(urlPathEqualTo("/v1/reviewSubmissions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(page("review-submissions-page-1.json", base))));

        ReviewSubmissions result = client.reviewSubmissions("1234567890");

        assertThat(result.failure().kind()).isEqualTo(ApiResult.Kind.REJECTED);
        assertThat(result.failure().reason()).isEqualTo("more than 1000 review submissions; not all read");
        server.verify(AppStoreConnectClient.MAX_REVIEW_SUBMISSION_PAGES, anyRequestedFor(anyUrl()));
    }

    @Test
    void classifiesARateLimitedListing() {
        answerSubmissions(null, 429, Fixtures.apiResponse("error-429.json"));

        ReviewSubmissions result = client.reviewSubmissions("1234567890");

        assertThat(result.failure().kind()).isEqualTo(ApiResult.Kind.RATE_LIMITED);
        assertThat(result.failure().reason()).startsWith("HTTP 429 RATE_LIMIT_EXCEEDED");
    }

    @Test
    void refusesAnAppIdThatCouldChangeTheQuery() {
        ReviewSubmissions result = client.reviewSubmissions("123&filter[state]=x");

        assertThat(result.failure().kind()).isEqualTo(ApiResult.Kind.REJECTED);
        server.verify(0, anyRequestedFor(anyUrl()));
    }
}
