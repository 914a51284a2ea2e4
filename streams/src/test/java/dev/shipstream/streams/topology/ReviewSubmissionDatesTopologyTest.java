package dev.shipstream.streams.topology;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.EnrichmentStatus;
import dev.shipstream.schemas.ReviewCycle;
import dev.shipstream.schemas.ReviewOutcome;
import dev.shipstream.schemas.Source;
import dev.shipstream.schemas.SubmittedAtSource;
import dev.shipstream.schemas.keys.EntityKeys;
import dev.shipstream.streams.enrich.EnrichmentExtras;
import dev.shipstream.streams.enrich.EnrichmentSettings;
import dev.shipstream.streams.enrich.EnrichmentStage;
import dev.shipstream.streams.enrich.TestKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed article's timeline through the whole pipeline with enrichment configured against WireMock standing in for
 * App Store Connect on 127.0.0.1: the resubmission whose {@code WAITING_FOR_REVIEW} webhook the article lacks is
 * filled from the API's review submissions, marked as such; a listing that fails neither holds nor loses an event.
 */
class ReviewSubmissionDatesTopologyTest {

    private static final String VERSION_PATH = "/v1/appStoreVersions/xxx-xx-xx-xx-xxx";
    private static final String SUBMISSIONS_PATH = "/v1/reviewSubmissions";
    private static final Instant RECEIVED = Instant.parse("2026-01-02T03:00:00Z");

    @TempDir
    Path stateDir;
    @TempDir
    Path keyDir;

    private WireMockServer appStoreConnect;
    private EnrichmentStage enrichment;
    private PipelineDriver pipeline;
    private int sent;

    @BeforeEach
    void startAppStoreConnect() {
        appStoreConnect = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        appStoreConnect.start();
        appStoreConnect.stubFor(get(urlPathEqualTo(VERSION_PATH)).withQueryParam("include", equalTo("app,build"))
                .willReturn(json(200, fixture("asc-api/app-store-version-with-app-and-build.json"))));
    }

    private void startPipeline() {
        Path key = TestKeys.writeP8(keyDir, TestKeys.p256());
        enrichment = EnrichmentStage.fromEnvironment(Map.of(
                EnrichmentSettings.KEY_ID_ENV, "TESTKEY123",
                EnrichmentSettings.ISSUER_ID_ENV, "57246542-96fe-1a63-e053-0824d011072a",
                EnrichmentSettings.PRIVATE_KEY_FILE_ENV, key.toString(),
                EnrichmentSettings.API_URL_ENV, baseUrl()), new SimpleMeterRegistry());
        pipeline = new PipelineDriver(PipelineSettings.defaults(PipelineDriver.APPLICATION_ID), stateDir, enrichment);
    }

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (enrichment != null) {
            enrichment.close();
        }
        appStoreConnect.stop();
    }

    @Test
    void theSeedArticlesMissedResubmissionIsFilledFromTheApiAndMarkedSo() {
        answerSubmissionsInTwoPages();
        startPipeline();

        seedArticle().forEach(this::send);

        Map<Integer, ReviewCycle> cycles = pipeline.latestPerCycle();
        assertThat(cycles).hasSize(2);
        ReviewCycle withdrawn = cycles.get(1);
        assertThat(withdrawn.getSubmittedAt()).isEqualTo("2025-12-18T03:41:21.179Z");
        assertThat(withdrawn.getSubmittedAtSource()).as("the observed webhook wins over the API's 03:41:20.902")
                .isEqualTo(SubmittedAtSource.OBSERVED);
        ReviewCycle approved = cycles.get(2);
        assertThat(approved.getOutcome()).isEqualTo(ReviewOutcome.APPROVED);
        assertThat(approved.getObserved()).doesNotContain("WAITING_FOR_REVIEW");
        assertThat(approved.getSubmittedAt()).isEqualTo("2025-12-18T05:12:33.456Z");
        assertThat(approved.getSubmittedAtSource()).isEqualTo(SubmittedAtSource.APP_STORE_CONNECT_API);
        assertThat(approved.getWaitMs()).isEqualTo(60_796_582L);
        assertThat(approved.getReviewMs()).isEqualTo(1_708_747L);
        assertThat(approved.getTotalMs()).isEqualTo(62_505_329L);

        DeliveryEvent inReview = eventsById().get("seed-article-event-5");
        assertThat(inReview.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.ENRICHED);
        assertThat(inReview.getExtras()).containsEntry(EnrichmentExtras.REVIEW_SUBMITTED_DATE,
                "2025-12-18T05:12:33.456Z").containsEntry(EnrichmentExtras.REVIEW_SUBMISSION_ID,
                "8f1c2a3b-0003-4000-8000-000000000003");
        // Both pages once, for the first event past a submission; later events of the app use the cached list,
        // fetched after they happened.
        appStoreConnect.verify(1, getRequestedFor(urlPathEqualTo(SUBMISSIONS_PATH))
                .withQueryParam("filter[app]", equalTo("1234567890"))
                .withQueryParam("include", equalTo("appStoreVersionForReview"))
                .withQueryParam("limit", equalTo("200"))
                .withQueryParam("cursor", absent()));
        appStoreConnect.verify(1, getRequestedFor(urlPathEqualTo(SUBMISSIONS_PATH))
                .withQueryParam("cursor", equalTo("Mg")));
    }

    @Test
    void theResubmissionsWebhookArrivingLateReplacesTheApiDateAndReEmitsTheCycle() {
        answerSubmissionsInTwoPages();
        startPipeline();
        seedArticle().forEach(this::send);
        pipeline.reviewCycles.readValuesToList();

        send("""
                {"data":{"type":"appStoreVersionAppVersionStateUpdated","id":"late-resubmission","version":1,
                 "attributes":{"newValue":"WAITING_FOR_REVIEW","oldValue":"READY_FOR_REVIEW",
                 "timestamp":"2025-12-18T05:12:34.001Z"},
                 "relationships":{"instance":{"data":{"type":"appStoreVersions","id":"xxx-xx-xx-xx-xxx"}}}}}""");

        List<ReviewCycle> corrected = pipeline.reviewCycles.readValuesToList();
        assertThat(corrected).singleElement().satisfies(cycle -> {
            assertThat(cycle.getCycle()).isEqualTo(2);
            assertThat(cycle.getSubmittedAt()).isEqualTo("2025-12-18T05:12:34.001Z");
            assertThat(cycle.getSubmittedAtSource()).isEqualTo(SubmittedAtSource.OBSERVED);
            assertThat(cycle.getWaitMs()).isEqualTo(60_796_037L);
        });
    }

    @Test
    void aRateLimitedListingNeitherHoldsNorLosesTheEvent() {
        appStoreConnect.stubFor(get(urlPathEqualTo(SUBMISSIONS_PATH))
                .willReturn(json(429, fixture("asc-api/error-429.json"))));
        startPipeline();

        send(seedArticle().get(4));

        List<DeliveryEvent> events = pipeline.events.readValuesToList();
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.getEventId()).isEqualTo("seed-article-event-5");
            assertThat(event.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.ENRICHED);
            assertThat(event.getVersionString()).isEqualTo("1.101.0");
            assertThat(event.getExtras()).doesNotContainKey(EnrichmentExtras.REVIEW_SUBMITTED_DATE);
            assertThat(event.getExtras().get(EnrichmentExtras.REVIEW_SUBMISSION_UNAVAILABLE))
                    .startsWith("review submissions: HTTP 429 RATE_LIMIT_EXCEEDED");
        });
        assertThat(pipeline.reviewCycles.readValuesToList()).singleElement().satisfies(cycle -> {
            assertThat(cycle.getReviewStartedAt()).isEqualTo("2025-12-18T22:05:50.038Z");
            assertThat(cycle.getSubmittedAt()).isNull();
            assertThat(cycle.getSubmittedAtSource()).isNull();
            assertThat(cycle.getWaitMs()).isNull();
        });
    }

    @Test
    void aFailingListingLeavesTheSubmissionUnknownAndTheCyclesAsWithoutEnrichment() {
        appStoreConnect.stubFor(get(urlPathEqualTo(SUBMISSIONS_PATH)).willReturn(aResponse().withStatus(503)));
        startPipeline();

        seedArticle().forEach(this::send);
        // A 5xx pauses every lookup briefly (as for the entity lookups), so later events of the version wait for
        // their own lookup behind it; none waits for the listing, and within the maximum hold all go out.
        List<DeliveryEvent> events = new java.util.ArrayList<>(pipeline.events.readValuesToList());
        for (int second = 0; second < 900 && events.size() < 7; second++) {
            pipeline.driver.advanceWallClockTime(java.time.Duration.ofSeconds(1));
            events.addAll(pipeline.events.readValuesToList());
        }

        assertThat(events).extracting(DeliveryEvent::getEventId).containsExactly("seed-article-event-1",
                "seed-article-event-2", "seed-article-event-3", "seed-article-event-4", "seed-article-event-5",
                "seed-article-event-6", "seed-article-event-7");
        assertThat(events.get(4).getExtras().get(EnrichmentExtras.REVIEW_SUBMISSION_UNAVAILABLE))
                .startsWith("review submissions: HTTP 503");
        ReviewCycle approved = pipeline.latestPerCycle().get(2);
        assertThat(approved.getSubmittedAt()).isNull();
        assertThat(approved.getTotalMs()).isNull();
        assertThat(approved.getReviewMs()).isEqualTo(1_708_747L);
    }

    private void answerSubmissionsInTwoPages() {
        appStoreConnect.stubFor(get(urlPathEqualTo(SUBMISSIONS_PATH)).withQueryParam("cursor", absent())
                .willReturn(json(200, fixture("asc-api/review-submissions-page-1.json")
                        .replace("{{base}}", baseUrl()))));
        appStoreConnect.stubFor(get(urlPathEqualTo(SUBMISSIONS_PATH)).withQueryParam("cursor", equalTo("Mg"))
                .willReturn(json(200, fixture("asc-api/review-submissions-page-2.json")
                        .replace("{{base}}", baseUrl()))));
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + appStoreConnect.port();
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withHeader("X-Rate-Limit", "user-hour-lim:3500;user-hour-rem:3499;").withBody(body);
    }

    private void send(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        pipeline.raw.pipeInput(EntityKeys.keyOf(Source.APP_STORE_CONNECT, body),
                Fixtures.raw(Source.APP_STORE_CONNECT, body), RECEIVED.plusSeconds(sent++));
    }

    private Map<String, DeliveryEvent> eventsById() {
        Map<String, DeliveryEvent> byId = new TreeMap<>();
        pipeline.events.readValuesToList().forEach(event -> byId.put(event.getEventId(), event));
        return byId;
    }

    private static List<String> seedArticle() {
        return List.of("1-ready-for-review", "2-waiting-for-review", "3-developer-rejected",
                        "4-prepare-for-submission", "5-in-review", "6-pending-developer-release",
                        "7-ready-for-distribution").stream()
                .map(name -> fixture("review/seed-article/" + name + ".json")).toList();
    }

    private static String fixture(String name) {
        try (InputStream in = ReviewSubmissionDatesTopologyTest.class.getResourceAsStream("/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
