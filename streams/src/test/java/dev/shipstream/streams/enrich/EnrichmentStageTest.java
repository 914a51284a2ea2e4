package dev.shipstream.streams.enrich;

import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.EnrichmentStatus;
import dev.shipstream.schemas.ErrorOrigin;
import dev.shipstream.schemas.EventError;
import dev.shipstream.schemas.Platform;
import dev.shipstream.schemas.serde.AvroSerde;
import dev.shipstream.schemas.serde.SchemaRegistryClients;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class EnrichmentStageTest {

    private static final Instant START = Instant.parse("2026-01-02T03:04:05Z");
    private static final String IN = "events-in";
    private static final String OUT = "events-out";

    @TempDir
    Path stateDir;

    private final String scope = "enrich-" + UUID.randomUUID();
    private final AvroSerde<DeliveryEvent> serde = AvroSerde.specific(SchemaRegistryClients.mockScope(scope),
            Map.of("schema.registry.url", "mock://" + scope), false);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<String, DeliveryEvent> input;
    private TestOutputTopic<String, DeliveryEvent> output;

    private static EnrichmentSettings.Builder settings() {
        return EnrichmentSettings.builder()
                .maxHold(Duration.ofSeconds(30))
                .retryBackoff(Duration.ofSeconds(5))
                .retryBackoffMax(Duration.ofSeconds(60))
                .failurePause(Duration.ofSeconds(1))
                .failurePauseMax(Duration.ofSeconds(1))
                .rateLimitBackoff(Duration.ofSeconds(60))
                .authPause(Duration.ofSeconds(60))
                .punctuationInterval(Duration.ofSeconds(1));
    }

    private static ApiResult found(String versionString, String buildNumber) {
        return ApiResult.found(new EntityDetails(null, versionString, buildNumber, "1234567890", "MyApp",
                "com.example.myapp", "IOS", List.of(), Map.of()), Optional.of(
                new RateLimitHeader(OptionalLong.of(3500), 3400)));
    }

    private static ApiResult unavailable503() {
        return ApiResult.failure(ApiResult.Kind.TRANSIENT, 503, "HTTP 503");
    }

    private EnrichmentStage start(EnrichmentStage stage) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(IN, Consumed.with(Serdes.String(), serde))
                .process(stage.processorSupplier(), Named.as("enrich"))
                .to(OUT, Produced.with(Serdes.String(), serde));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "enrichment-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), props, START);
        input = driver.createInputTopic(IN, Serdes.String().serializer(), serde.serializer());
        output = driver.createOutputTopic(OUT, Serdes.String().deserializer(), serde.deserializer());
        return stage;
    }

    private EnrichmentStage start(FakeAppStoreConnectApi api, EnrichmentSettings settings) {
        return start(EnrichmentStage.of(settings, api, meters));
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
        serde.close();
        SchemaRegistryClients.dropMockScope(scope);
    }

    private void pipe(DeliveryEvent event) {
        input.pipeInput(event.getEntityKey(), event);
    }

    private double held() {
        return meters.get(EnrichmentMetrics.HELD_EVENTS).gauge().value();
    }

    @Test
    void enrichesAnEventAtOnceWhenTheApiAnswers() {
        FakeAppStoreConnectApi api = new FakeAppStoreConnectApi(id -> found("1.101.0", "3"));
        start(api, settings().build());

        pipe(TestEvents.appVersion("v1", "e1", "READY_FOR_DISTRIBUTION"));

        DeliveryEvent out = output.readValue();
        assertThat(out.getVersionString()).isEqualTo("1.101.0");
        assertThat(out.getBuildNumber()).isEqualTo("3");
        assertThat(out.getApp().getName()).isEqualTo("MyApp");
        assertThat(out.getApp().getBundleId()).isEqualTo("com.example.myapp");
        assertThat(out.getPlatform()).isEqualTo(Platform.IOS);
        assertThat(out.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.ENRICHED);
        assertThat(out.getEnrichment().getAttempts()).isEqualTo(1);
        assertThat(out.getEnrichment().getAt()).isEqualTo(START);
        assertThat(out.getNewState()).isEqualTo("READY_FOR_DISTRIBUTION");
        assertThat(output.isEmpty()).isTrue();
        assertThat(meters.counter(EnrichmentMetrics.OUTCOMES, "status", "ENRICHED").count()).isEqualTo(1.0);
        assertThat(meters.get(EnrichmentMetrics.BUDGET_REMAINING).gauge().value()).isEqualTo(3400.0);
    }

    @Test
    void addsTheBuildUploadErrorsAsEnrichmentErrors() {
        EntityDetails failed = new EntityDetails("FAILED", "1.101.0", "3", null, null, null, "IOS",
                List.of(new EntityDetails.Problem("90683", "Missing purpose string in Info.plist.")), Map.of());
        FakeAppStoreConnectApi api = new FakeAppStoreConnectApi(id -> ApiResult.found(failed, Optional.empty()));
        start(api, settings().build());

        pipe(TestEvents.buildUpload("u1", "e1", "FAILED"));

        assertThat(output.readValue().getErrors()).containsExactly(
                new EventError("90683", "Missing purpose string in Info.plist.", ErrorOrigin.ENRICHMENT));
    }

    @Test
    void holdsAnEventOnATransientFailureAndEmitsItEnrichedOnRetry() {
        FakeAppStoreConnectApi api = new FakeAppStoreConnectApi(id -> found("2.3.0", "1045"))
                .script("v1", unavailable503());
        start(api, settings().build());
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_id", "e1".getBytes(StandardCharsets.UTF_8));
        DeliveryEvent event = TestEvents.appVersion("v1", "e1", "WAITING_FOR_REVIEW");
        input.pipeInput(new TestRecord<>(event.getEntityKey(), event, headers, START.minusSeconds(7)));

        assertThat(output.isEmpty()).isTrue();
        assertThat(held()).isEqualTo(1.0);

        driver.advanceWallClockTime(Duration.ofSeconds(4));
        assertThat(output.isEmpty()).isTrue();

        driver.advanceWallClockTime(Duration.ofSeconds(1));
        TestRecord<String, DeliveryEvent> out = output.readRecord();
        assertThat(out.getValue().getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.ENRICHED);
        assertThat(out.getValue().getEnrichment().getAttempts()).isEqualTo(2);
        assertThat(out.getValue().getVersionString()).isEqualTo("2.3.0");
        assertThat(out.getRecordTime()).isEqualTo(START.minusSeconds(7));
        assertThat(new String(out.getHeaders().lastHeader("ce_id").value(), StandardCharsets.UTF_8))
                .isEqualTo("e1");
        assertThat(held()).isZero();
        assertThat(api.lookupsOf("v1")).isEqualTo(2);
    }

    @Test
    void keepsOneEntitysEventsInOrderWhileOtherEntitiesPass() {
        FakeAppStoreConnectApi api = new FakeAppStoreConnectApi(id -> found("1.0", "7"))
                .script("a", unavailable503());
        start(api, settings().build());

        pipe(TestEvents.appVersion("a", "a1", "WAITING_FOR_REVIEW"));
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        pipe(TestEvents.appVersion("b", "b1", "WAITING_FOR_REVIEW"));
        pipe(TestEvents.appVersion("a", "a2", "IN_REVIEW"));
        pipe(TestEvents.appVersion("a", "a3", "PENDING_DEVELOPER_RELEASE"));

        assertThat(output.readValuesToList()).extracting(DeliveryEvent::getEventId).containsExactly("b1");
        assertThat(held()).isEqualTo(3.0);

        driver.advanceWallClockTime(Duration.ofSeconds(3));

        List<DeliveryEvent> released = output.readValuesToList();
        assertThat(released).extracting(DeliveryEvent::getEventId).containsExactly("a1", "a2", "a3");
        assertThat(released).allSatisfy(e -> {
            assertThat(e.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.ENRICHED);
            assertThat(e.getBuildNumber()).isEqualTo("7");
        });
        assertThat(held()).isZero();
    }

    @Test
    void givesUpAfterTheMaximumHoldWithTheLastReason() {
        FakeAppStoreConnectApi api = new FakeAppStoreConnectApi(id -> unavailable503());
        start(api, settings().build());

        pipe(TestEvents.appVersion("v1", "e1", "IN_REVIEW"));
        for (int second = 1; second < 30; second++) {
            driver.advanceWallClockTime(Duration.ofSeconds(1));
            assertThat(output.isEmpty()).as("still held after %d s", second).isTrue();
        }
        driver.advanceWallClockTime(Duration.ofSeconds(1));

        DeliveryEvent out = output.readValue();
        assertThat(out.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.UNAVAILABLE);
        assertThat(out.getEnrichment().getReason()).isEqualTo("no App Store Connect details within 30 s: HTTP 503");
        // Tried at 0, 5 (+5) and 15 s (+10); the next try would have been at 35 s, after the hold.
        assertThat(api.lookupsOf("v1")).isEqualTo(3);
        assertThat(out.getEnrichment().getAttempts()).isEqualTo(3);
        assertThat(output.isEmpty()).isTrue();
        assertThat(meters.counter(EnrichmentMetrics.OUTCOMES, "status", "UNAVAILABLE").count()).isEqualTo(1.0);
    }

    @Test
    void doesNotRetryA401AndMakesNoLookupDuringTheAuthPause() {
        ApiResult refused = ApiResult.failure(ApiResult.Kind.UNAUTHORIZED, 401,
                "HTTP 401 NOT_AUTHORIZED: Authentication credentials are missing or invalid.");
        FakeAppStoreConnectApi api = new FakeAppStoreConnectApi(id -> found("1.0", "1")).script("v1", refused);
        start(api, settings().build());

        pipe(TestEvents.appVersion("v1", "e1", "IN_REVIEW"));
        DeliveryEvent first = output.readValue();
        assertThat(first.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.UNAVAILABLE);
        assertThat(first.getEnrichment().getReason()).isEqualTo("App Store Connect refused the API key: "
                + "HTTP 401 NOT_AUTHORIZED: Authentication credentials are missing or invalid.");
        assertThat(first.getEnrichment().getAttempts()).isEqualTo(1);

        driver.advanceWallClockTime(Duration.ofSeconds(30));
        pipe(TestEvents.appVersion("v2", "e2", "IN_REVIEW"));
        assertThat(output.readValue().getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.UNAVAILABLE);
        assertThat(api.lookups()).containsExactly("v1");
        assertThat(held()).isZero();

        driver.advanceWallClockTime(Duration.ofSeconds(31));
        pipe(TestEvents.appVersion("v3", "e3", "IN_REVIEW"));
        assertThat(output.readValue().getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.ENRICHED);
        assertThat(api.lookups()).containsExactly("v1", "v3");
        assertThat(meters.counter(EnrichmentMetrics.AUTH_FAILURES, "status", "401").count()).isEqualTo(1.0);
    }

    @Test
    void pausesEveryLookupAfterA429AndRetriesWhenRetryAfterHasPassed() {
        ApiResult limited = ApiResult.failure(ApiResult.Kind.RATE_LIMITED, 429, "HTTP 429 RATE_LIMIT_EXCEEDED",
                Optional.of(new RateLimitHeader(OptionalLong.of(3500), 2000)), Optional.of(Duration.ofSeconds(20)));
        FakeAppStoreConnectApi api = new FakeAppStoreConnectApi(id -> found("1.0", "1")).script("a", limited);
        start(api, settings().build());

        pipe(TestEvents.appVersion("a", "a1", "IN_REVIEW"));
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        pipe(TestEvents.appVersion("b", "b1", "IN_REVIEW"));
        driver.advanceWallClockTime(Duration.ofSeconds(17));

        assertThat(output.isEmpty()).isTrue();
        assertThat(api.lookups()).containsExactly("a");

        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(output.readValuesToList()).extracting(DeliveryEvent::getEventId).containsExactlyInAnyOrder("a1",
                "b1");
    }

    @Test
    void releasesTheOldestEventUnavailableWhenAnEntityHoldsTooMany() {
        FakeAppStoreConnectApi api = new FakeAppStoreConnectApi(id -> unavailable503());
        start(api, settings().maxHeldPerKey(2).build());

        pipe(TestEvents.appVersion("a", "a1", "WAITING_FOR_REVIEW"));
        pipe(TestEvents.appVersion("a", "a2", "IN_REVIEW"));
        assertThat(output.isEmpty()).isTrue();
        pipe(TestEvents.appVersion("a", "a3", "PENDING_DEVELOPER_RELEASE"));

        DeliveryEvent released = output.readValue();
        assertThat(released.getEventId()).isEqualTo("a1");
        assertThat(released.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.UNAVAILABLE);
        assertThat(released.getEnrichment().getReason()).startsWith("more than 2 events of this entity waiting");
        assertThat(held()).isEqualTo(2.0);
    }

    @Test
    void emitsAnEventUnavailableRatherThanDropItWhenTheStoreIsFull() {
        FakeAppStoreConnectApi api = new FakeAppStoreConnectApi(id -> unavailable503());
        start(api, settings().maxHeldTotal(1).failurePause(Duration.ofMillis(1)).failurePauseMax(Duration.ofMillis(1))
                .build());

        pipe(TestEvents.appVersion("a", "a1", "IN_REVIEW"));
        driver.advanceWallClockTime(Duration.ofMillis(10));
        pipe(TestEvents.appVersion("b", "b1", "IN_REVIEW"));

        DeliveryEvent out = output.readValue();
        assertThat(out.getEventId()).isEqualTo("b1");
        assertThat(out.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.UNAVAILABLE);
        assertThat(out.getEnrichment().getReason()).isEqualTo("more than 1 events waiting; HTTP 503");
        assertThat(held()).isEqualTo(1.0);
    }

    @Test
    void reusesACachedLookupOnlyForTheSameApiState() {
        EntityDetails processing = new EntityDetails("PROCESSING", "1.0", "3", null, null, null, null, List.of(),
                Map.of());
        EntityDetails failed = new EntityDetails("FAILED", "1.0", "3", null, null, null, null,
                List.of(new EntityDetails.Problem("90683", "Missing purpose string")), Map.of());
        FakeAppStoreConnectApi api = new FakeAppStoreConnectApi(id -> ApiResult.found(failed, Optional.empty()))
                .script("u1", ApiResult.found(processing, Optional.empty()));
        start(api, settings().build());

        pipe(TestEvents.buildUpload("u1", "e1", "PROCESSING"));
        pipe(TestEvents.buildUpload("u1", "e2", "PROCESSING"));
        pipe(TestEvents.buildUpload("u1", "e3", "FAILED"));

        List<DeliveryEvent> out = output.readValuesToList();
        assertThat(out.get(1).getEnrichment().getAttempts()).as("served from the cache").isZero();
        assertThat(out.get(2).getErrors()).extracting(EventError::getCode).containsExactly("90683");
        assertThat(api.lookupsOf("u1")).isEqualTo(2);
    }

    @Test
    void passesEventsWithoutALookupUntouched() {
        FakeAppStoreConnectApi api = new FakeAppStoreConnectApi(id -> found("1.0", "1"));
        start(api, settings().build());
        DeliveryEvent eas = TestEvents.easBuild("b-1");
        DeliveryEvent asset = TestEvents.backgroundAsset("ba-1");

        pipe(eas);
        pipe(asset);

        assertThat(output.readValuesToList()).containsExactly(eas, asset);
        assertThat(api.lookups()).isEmpty();
    }

    @Test
    void marksEventsNotConfiguredWithoutAnApiKey() {
        EnrichmentStage stage = start(EnrichmentStage.notConfigured());
        DeliveryEvent eas = TestEvents.easBuild("b-1");

        pipe(TestEvents.appVersion("v1", "e1", "IN_REVIEW"));
        pipe(eas);

        List<DeliveryEvent> out = output.readValuesToList();
        assertThat(out.get(0).getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.NOT_CONFIGURED);
        assertThat(out.get(0).getEnrichment().getReason()).isEqualTo(EnrichmentStage.NOT_CONFIGURED_REASON);
        assertThat(out.get(1)).isEqualTo(eas);
        assertThat(stage.processorSupplier().stores()).isEmpty();
    }

    @Test
    void namesItsStoresExplicitly() {
        EnrichmentStage stage = EnrichmentStage.of(settings().build(),
                new FakeAppStoreConnectApi(id -> found("1", "1")), meters);

        assertThat(stage.processorSupplier().stores()).extracting(b -> b.name())
                .containsExactlyInAnyOrder(EnrichmentStage.HELD_STORE, EnrichmentStage.SCHEDULE_STORE);
        assertThat(stage.processorSupplier().stores()).allSatisfy(b -> assertThat(b.loggingEnabled()).isTrue());
    }

    @Test
    void closesTheApi() {
        FakeAppStoreConnectApi api = new FakeAppStoreConnectApi(id -> found("1", "1"));

        EnrichmentStage.of(settings().build(), api, meters).close();

        assertThat(api.closed()).isTrue();
    }
    private static final String APP = "1234567890";

    private static ReviewSubmissions submissionsOf(ReviewSubmission... submissions) {
        return ReviewSubmissions.found(List.of(submissions), Optional.empty());
    }

    private static ReviewSubmission submission(String id, String versionId, Instant submittedDate) {
        return new ReviewSubmission(id, versionId, submittedDate, "COMPLETE");
    }

    private static DeliveryEvent appVersionAt(String versionId, String eventId, String newState, Instant occurredAt) {
        DeliveryEvent event = TestEvents.appVersion(versionId, eventId, newState);
        event.setOccurredAt(occurredAt);
        return event;
    }

    @Test
    void addsTheDateOfTheVersionsLatestSubmissionAtOrBeforeTheChange() {
        Instant occurred = TestEvents.OCCURRED;
        FakeAppStoreConnectApi api = new FakeAppStoreConnectApi(id -> found("1.0", "1"))
                .reviewSubmissions(app -> submissionsOf(
                        submission("s-first", "v1", occurred.minus(Duration.ofHours(30))),
                        submission("s-resubmitted", "v1", occurred.minus(Duration.ofHours(2))),
                        submission("s-other-version", "v2", occurred.minus(Duration.ofMinutes(10))),
                        submission("s-later", "v1", occurred.plusSeconds(1)),
                        new ReviewSubmission("s-draft", "v1", null, "READY_FOR_REVIEW")));
        start(api, settings().build());

        pipe(TestEvents.appVersion("v1", "e1", "IN_REVIEW"));

        DeliveryEvent out = output.readValue();
        assertThat(out.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.ENRICHED);
        assertThat(out.getExtras())
                .containsEntry(EnrichmentExtras.REVIEW_SUBMITTED_DATE, "2025-12-12T15:05:26Z")
                .containsEntry(EnrichmentExtras.REVIEW_SUBMISSION_ID, "s-resubmitted")
                .doesNotContainKey(EnrichmentExtras.REVIEW_SUBMISSION_UNAVAILABLE);
        assertThat(api.listings()).containsExactly(APP);
        assertThat(meters.counter(EnrichmentMetrics.REVIEW_SUBMISSION_DATES, "result", "found").count())
                .isEqualTo(1.0);
    }

    @Test
    void listsNothingForAChangeThatIsNotPastASubmission() {
        FakeAppStoreConnectApi api = new FakeAppStoreConnectApi(id -> found("1.0", "1"));
        start(api, settings().build());

        pipe(TestEvents.appVersion("v1", "e1", "WAITING_FOR_REVIEW"));
        pipe(TestEvents.buildUpload("u1", "e2", "FAILED"));

        assertThat(output.readValuesToList()).allSatisfy(out -> assertThat(out.getExtras())
                .doesNotContainKeys(EnrichmentExtras.REVIEW_SUBMITTED_DATE,
                        EnrichmentExtras.REVIEW_SUBMISSION_UNAVAILABLE));
        assertThat(api.listings()).isEmpty();
    }

    @Test
    void saysSoWhenNoSubmissionOfTheVersionFits() {
        FakeAppStoreConnectApi api = new FakeAppStoreConnectApi(id -> found("1.0", "1"))
                .reviewSubmissions(app -> submissionsOf(
                        submission("s-other-version", "v2", TestEvents.OCCURRED.minusSeconds(60))));
        start(api, settings().build());

        pipe(TestEvents.appVersion("v1", "e1", "PENDING_DEVELOPER_RELEASE"));

        assertThat(output.readValue().getExtras())
                .doesNotContainKey(EnrichmentExtras.REVIEW_SUBMITTED_DATE)
                .containsEntry(EnrichmentExtras.REVIEW_SUBMISSION_UNAVAILABLE,
                        "no review submission of this version submitted by 2025-12-12T17:05:26Z among the 1 of the app");
    }

    @Test
    void aRateLimitedListingLetsTheEventGoAtOnceWithTheReasonAndPausesTheBudget() {
        ApiResult limited = ApiResult.failure(ApiResult.Kind.RATE_LIMITED, 429, "HTTP 429 RATE_LIMIT_EXCEEDED",
                Optional.empty(), Optional.of(Duration.ofSeconds(20)));
        FakeAppStoreConnectApi api = new FakeAppStoreConnectApi(id -> found("1.0", "1"))
                .reviewSubmissions(app -> ReviewSubmissions.failed(limited));
        start(api, settings().build());

        pipe(TestEvents.appVersion("v1", "e1", "IN_REVIEW"));

        DeliveryEvent out = output.readValue();
        assertThat(out.getEventId()).isEqualTo("e1");
        assertThat(out.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.ENRICHED);
        assertThat(out.getExtras()).containsEntry(EnrichmentExtras.REVIEW_SUBMISSION_UNAVAILABLE,
                "review submissions: HTTP 429 RATE_LIMIT_EXCEEDED");
        assertThat(held()).isZero();
        assertThat(meters.counter(EnrichmentMetrics.REVIEW_SUBMISSION_DATES, "result", "unavailable").count())
                .isEqualTo(1.0);

        // The 429 paused every request, as one of a lookup does: the next version waits for its lookup.
        pipe(TestEvents.appVersion("v2", "e2", "IN_REVIEW"));
        assertThat(output.isEmpty()).isTrue();
        driver.advanceWallClockTime(Duration.ofSeconds(21));
        assertThat(output.readValue().getEventId()).isEqualTo("e2");
    }

    @Test
    void aForbiddenListingPausesNoLookupAndIsNotAskedAgainPerEvent() {
        ApiResult forbidden = ApiResult.failure(ApiResult.Kind.UNAUTHORIZED, 403, "HTTP 403 FORBIDDEN_ERROR");
        FakeAppStoreConnectApi api = new FakeAppStoreConnectApi(id -> found("1.0", "1"))
                .reviewSubmissions(app -> ReviewSubmissions.failed(forbidden));
        start(api, settings().build());

        pipe(TestEvents.appVersion("v1", "e1", "IN_REVIEW"));
        pipe(TestEvents.appVersion("v2", "e2", "IN_REVIEW"));

        List<DeliveryEvent> out = output.readValuesToList();
        assertThat(out).extracting(e -> e.getEnrichment().getStatus())
                .containsExactly(EnrichmentStatus.ENRICHED, EnrichmentStatus.ENRICHED);
        assertThat(out.get(1).getExtras()).containsEntry(EnrichmentExtras.REVIEW_SUBMISSION_UNAVAILABLE,
                "review submissions: HTTP 403 FORBIDDEN_ERROR");
        assertThat(api.lookups()).containsExactly("v1", "v2");
        assertThat(api.listings()).as("a refusal is remembered for the app, not asked again per event")
                .containsExactly(APP);
    }

    @Test
    void reusesAnAppsListOnlyForChangesThatHappenedBeforeItWasFetched() {
        FakeAppStoreConnectApi api = new FakeAppStoreConnectApi(id -> found("1.0", "1"))
                .reviewSubmissions(app -> submissionsOf(
                        submission("s1", "v1", TestEvents.OCCURRED.minusSeconds(60))));
        start(api, settings().build());

        pipe(TestEvents.appVersion("v1", "e1", "IN_REVIEW"));
        pipe(TestEvents.appVersion("v1", "e2", "PENDING_DEVELOPER_RELEASE"));
        assertThat(api.listings()).as("the list was fetched after both changes").hasSize(1);

        // A change after the fetch may follow a submission the list does not have yet.
        pipe(appVersionAt("v1", "e3", "REJECTED", START.plusSeconds(5)));

        assertThat(api.listings()).hasSize(2);
        assertThat(output.readValuesToList()).allSatisfy(out -> assertThat(out.getExtras())
                .containsEntry(EnrichmentExtras.REVIEW_SUBMITTED_DATE, "2025-12-12T17:04:26Z"));
    }
}
