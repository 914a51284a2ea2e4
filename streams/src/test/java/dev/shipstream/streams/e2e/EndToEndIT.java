package dev.shipstream.streams.e2e;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.EnrichmentStatus;
import dev.shipstream.schemas.ErrorOrigin;
import dev.shipstream.schemas.EventCategory;
import dev.shipstream.schemas.EventError;
import dev.shipstream.schemas.Source;
import dev.shipstream.streams.enrich.AppStoreConnectClient;
import dev.shipstream.streams.enrich.EnrichmentSettings;
import dev.shipstream.streams.enrich.TestKeys;
import dev.shipstream.streams.e2e.FakeAppStoreConnect.Lookup;
import dev.shipstream.testsupport.KafkaPlatform;
import dev.shipstream.testsupport.KafkaPlatformExtension;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole pipeline on the real broker: webhooks signed as each provider signs them are POSTed to the real ingress,
 * and come out of the real Kafka Streams app (started from its environment variables, exactly-once) on its events
 * topic, read read_committed; WireMock stands in for the App Store Connect API, answering with the seed article's
 * responses, or failing as each test scripts. Covers issue 4's integration test and "the same events arriving twice
 * produce one output record".
 *
 * <p>Every test uses ids of its own (event ids and entity ids are fresh UUIDs set into the fixtures), its own
 * application id, state directory, events and dead-letter topics, and its own WireMock; the ingress and the catalogue's
 * raw topic are shared. Where "once" is asserted, a later event of the same entity (so on the same partition, behind
 * everything before it) is awaited first: any duplicate of the earlier event would have been read before it.
 */
@ExtendWith(KafkaPlatformExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EndToEndIT {

    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);
    private static final String KEY_ID = "E2EKEY1234";
    private static final String ISSUER_ID = "57246542-96fe-1a63-e053-0824d011072a";

    private static final String VERSION_READY_FOR_REVIEW =
            "asc/appStoreVersionAppVersionStateUpdated-ready-for-review.json";
    private static final String VERSION_WAITING_FOR_REVIEW =
            "asc/appStoreVersionAppVersionStateUpdated-waiting-for-review.json";
    private static final String BUILD_UPLOAD_FAILED = "asc/buildUploadStateUpdated-failed.json";
    private static final String VERSION_RESPONSE = "app-store-version-with-app-and-build.json";
    private static final String BUILD_UPLOAD_FAILED_RESPONSE = "build-upload-failed.json";

    private Ingress ingress;
    private KeyPair apiKey;
    private Path apiKeyFile;
    private FakeAppStoreConnect api;

    @BeforeAll
    void startIngressAndMakeAnApiKey(KafkaPlatform platform, @TempDir Path keyDir) throws Exception {
        apiKey = TestKeys.p256();
        apiKeyFile = TestKeys.writeP8(keyDir, apiKey);
        ingress = new Ingress(platform);
    }

    @AfterAll
    void stopIngress() {
        if (ingress != null) {
            ingress.close();
        }
    }

    @BeforeEach
    void startApi() {
        api = new FakeAppStoreConnect();
    }

    @AfterEach
    void stopApi() {
        if (api != null) {
            api.close();
        }
    }

    /**
     * The enrichment configured against the fake, with timings short enough for a test: lookups time out after 1 s
     * (short, yet far above what a local answer takes on a loaded machine), held events are looked at every 100 ms
     * and retried after 200 ms (doubling up to 1 s), and the pauses after failures and 429s are short. Nothing is
     * given up within the test's bounds unless {@code maxHold} says so.
     */
    private Map<String, String> enrichment(Duration maxHold) {
        Map<String, String> env = new HashMap<>();
        env.put(EnrichmentSettings.API_URL_ENV, api.baseUrl());
        env.put(EnrichmentSettings.KEY_ID_ENV, KEY_ID);
        env.put(EnrichmentSettings.ISSUER_ID_ENV, ISSUER_ID);
        env.put(EnrichmentSettings.PRIVATE_KEY_FILE_ENV, apiKeyFile.toString());
        env.put(EnrichmentSettings.MAX_HOLD_MS_ENV, Long.toString(maxHold.toMillis()));
        env.put(EnrichmentSettings.CONNECT_TIMEOUT_MS_ENV, "500");
        env.put(EnrichmentSettings.REQUEST_TIMEOUT_MS_ENV, Long.toString(REQUEST_TIMEOUT.toMillis()));
        env.put(EnrichmentSettings.RETRY_BACKOFF_MS_ENV, "200");
        env.put(EnrichmentSettings.RETRY_BACKOFF_MAX_MS_ENV, "1000");
        env.put(EnrichmentSettings.FAILURE_PAUSE_MS_ENV, "200");
        env.put(EnrichmentSettings.FAILURE_PAUSE_MAX_MS_ENV, "1000");
        env.put(EnrichmentSettings.RATE_LIMIT_BACKOFF_MS_ENV, "300");
        env.put(EnrichmentSettings.RATE_LIMIT_BACKOFF_MAX_MS_ENV, "5000");
        env.put(EnrichmentSettings.PUNCTUATION_INTERVAL_MS_ENV, "100");
        return env;
    }

    private Map<String, String> enrichment() {
        return enrichment(Duration.ofMinutes(5));
    }

    @Test
    void signedAppStoreConnectWebhooksComeOutEnrichedFromTheApi(KafkaPlatform platform, @TempDir Path stateDir)
            throws Exception {
        // Given: the API knows the version and the failed build upload (the seed article's answers).
        String versionId = Webhooks.newId();
        String uploadId = Webhooks.newId();
        api.answer(Lookup.appStoreVersion(versionId), FakeAppStoreConnect.ok(VERSION_RESPONSE));
        api.answer(Lookup.buildUpload(uploadId), FakeAppStoreConnect.ok(BUILD_UPLOAD_FAILED_RESPONSE));
        String versionEvent = Webhooks.newId();
        String uploadEvent = Webhooks.newId();
        String versionKey = "asc:appStoreVersions:" + versionId;
        String uploadKey = "asc:buildUploads:" + uploadId;

        try (Pipeline pipeline = Pipeline.start(platform, stateDir, enrichment())) {
            // When: the article's version state change and failed build upload are posted, signed.
            HttpResponse<String> versionPosted = ingress.postAppStoreConnect(
                    Webhooks.appStoreConnect(VERSION_READY_FOR_REVIEW, versionEvent, versionId));
            HttpResponse<String> uploadPosted = ingress.postAppStoreConnect(
                    Webhooks.appStoreConnect(BUILD_UPLOAD_FAILED, uploadEvent, uploadId));
            assertThat(versionPosted.statusCode()).as(versionPosted.body()).isEqualTo(200);
            assertThat(uploadPosted.statusCode()).as(uploadPosted.body()).isEqualTo(200);

            // Then: the version comes out with its version string, build number and app, from the API.
            ConsumerRecord<String, DeliveryEvent> versionRecord = pipeline.awaitEvent(versionKey, versionEvent, BOUND);
            DeliveryEvent version = versionRecord.value();
            assertThat(version.getSource()).isEqualTo(Source.APP_STORE_CONNECT);
            assertThat(version.getCategory()).isEqualTo(EventCategory.APP_VERSION_STATE);
            assertThat(version.getEntityKey()).isEqualTo(versionKey);
            assertThat(version.getPreviousState()).isEqualTo("PREPARE_FOR_SUBMISSION");
            assertThat(version.getNewState()).isEqualTo("READY_FOR_REVIEW");
            assertThat(version.getIngressRequestId()).isEqualTo(Ingress.requestId(versionPosted));
            assertThat(version.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.ENRICHED);
            assertThat(version.getEnrichment().getAttempts()).isGreaterThanOrEqualTo(1);
            assertThat(version.getVersionString()).isEqualTo("1.101.0");
            assertThat(version.getBuildNumber()).isEqualTo("3");
            assertThat(version.getApp().getId()).isEqualTo("1234567890");
            assertThat(version.getApp().getName()).isEqualTo("MyApp");
            assertThat(version.getApp().getBundleId()).isEqualTo("com.example.myapp");
            assertThat(Pipeline.headers(versionRecord))
                    .containsEntry("ce_id", versionEvent)
                    .containsEntry("ce_source", "/shipstream/app-store-connect")
                    .containsEntry("ce_specversion", "1.0")
                    .containsKey("ce_type")
                    .containsKey("ce_time");

            // And: the failed build upload carries the ITMS-90683 error the API reports.
            DeliveryEvent upload = pipeline.awaitEvent(uploadKey, uploadEvent, BOUND).value();
            assertThat(upload.getCategory()).isEqualTo(EventCategory.BUILD_UPLOAD_STATE);
            assertThat(upload.getNewState()).isEqualTo("FAILED");
            assertThat(upload.getIngressRequestId()).isEqualTo(Ingress.requestId(uploadPosted));
            assertThat(upload.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.ENRICHED);
            assertThat(upload.getVersionString()).isEqualTo("1.101.0");
            assertThat(upload.getBuildNumber()).isEqualTo("3");
            assertThat(upload.getErrors()).filteredOn(e -> e.getOrigin() == ErrorOrigin.ENRICHMENT)
                    .singleElement()
                    .satisfies(error -> {
                        assertThat(error.getCode()).isEqualTo("90683");
                        assertThat(error.getMessage()).startsWith("Missing purpose string in Info.plist.")
                                .contains("NSMicrophoneUsageDescription");
                    });

            // And: the lookups carried an ES256 token of the configured key, for App Store Connect.
            List<LoggedRequest> versionLookups = api.requests(Lookup.appStoreVersion(versionId));
            assertThat(versionLookups).isNotEmpty();
            assertSignedByTheApiKey(versionLookups.get(0));
            assertThat(api.requests(Lookup.buildUpload(uploadId))).isNotEmpty();
        }
    }

    @Test
    void theSameWebhookPostedTwiceComesOutOnce(KafkaPlatform platform, @TempDir Path stateDir) {
        String versionId = Webhooks.newId();
        api.answer(Lookup.appStoreVersion(versionId), FakeAppStoreConnect.ok(VERSION_RESPONSE));
        String key = "asc:appStoreVersions:" + versionId;
        String repeated = Webhooks.newId();
        String later = Webhooks.newId();
        byte[] body = Webhooks.appStoreConnect(VERSION_READY_FOR_REVIEW, repeated, versionId);

        try (Pipeline pipeline = Pipeline.start(platform, stateDir, enrichment())) {
            // A provider retrying: the very same signed request twice, both accepted.
            HttpResponse<String> first = ingress.postAppStoreConnect(body);
            HttpResponse<String> second = ingress.postAppStoreConnect(body);
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
            assertThat(Ingress.requestId(second)).isNotEqualTo(Ingress.requestId(first));
            // Then the entity's next state change, which goes to the same partition after both.
            HttpResponse<String> next = ingress.postAppStoreConnect(
                    Webhooks.appStoreConnect(VERSION_WAITING_FOR_REVIEW, later, versionId));
            assertThat(next.statusCode()).as(next.body()).isEqualTo(200);

            pipeline.awaitEvent(key, later, BOUND);

            List<ConsumerRecord<String, DeliveryEvent>> records = pipeline.recordsOf(key);
            assertThat(records).extracting(r -> r.value().getEventId()).containsExactly(repeated, later);
            assertThat(records.get(0).value().getIngressRequestId()).isEqualTo(Ingress.requestId(first));
            assertThat(records).extracting(r -> r.value().getEnrichment().getStatus())
                    .containsOnly(EnrichmentStatus.ENRICHED);
        }
    }

    @Test
    void easAndAppflowWebhooksPassThroughWithoutLookups(KafkaPlatform platform, @TempDir Path stateDir) {
        String buildId = Webhooks.newId();
        String deployId = Webhooks.newId();
        String easKey = "eas:build:" + buildId;
        String appflowKey = "appflow:build:" + deployId;

        try (Pipeline pipeline = Pipeline.start(platform, stateDir, enrichment())) {
            HttpResponse<String> eas = ingress.postEas(Webhooks.eas("eas/build-errored.json", buildId));
            HttpResponse<String> appflow = ingress.postAppflow(
                    Webhooks.appflow("appflow/deploy-success.json", deployId));
            assertThat(eas.statusCode()).as(eas.body()).isEqualTo(200);
            assertThat(appflow.statusCode()).as(appflow.body()).isEqualTo(200);

            ConsumerRecord<String, DeliveryEvent> easRecord = pipeline.awaitEvent(easKey, buildId + ":errored", BOUND);
            DeliveryEvent build = easRecord.value();
            assertThat(build.getSource()).isEqualTo(Source.EAS);
            assertThat(build.getCategory()).isEqualTo(EventCategory.EAS_BUILD);
            assertThat(build.getIngressRequestId()).isEqualTo(Ingress.requestId(eas));
            assertThat(build.getVersionString()).isEqualTo("1.0.2");
            assertThat(build.getBuildNumber()).isEqualTo("123");
            assertThat(build.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.NOT_APPLICABLE);
            assertThat(build.getErrors()).extracting(EventError::getOrigin).containsOnly(ErrorOrigin.PAYLOAD);
            assertThat(Pipeline.headers(easRecord)).containsEntry("ce_source", "/shipstream/eas");

            ConsumerRecord<String, DeliveryEvent> appflowRecord =
                    pipeline.awaitEvent(appflowKey, deployId + ":success", BOUND);
            DeliveryEvent deploy = appflowRecord.value();
            assertThat(deploy.getSource()).isEqualTo(Source.APPFLOW);
            assertThat(deploy.getCategory()).isEqualTo(EventCategory.APPFLOW_BUILD);
            assertThat(deploy.getIngressRequestId()).isEqualTo(Ingress.requestId(appflow));
            assertThat(deploy.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.NOT_APPLICABLE);
            assertThat(Pipeline.headers(appflowRecord)).containsEntry("ce_source", "/shipstream/appflow");

            assertThat(api.requestCount()).as("lookups made for EAS and Appflow events").isZero();
        }
    }

    @Test
    void rateLimitsServerErrorsAndSlowAnswersAreRetriedUntilEnriched(KafkaPlatform platform,
                                                                     @TempDir Path stateDir) {
        String retryAfterId = Webhooks.newId();
        String rateLimitedId = Webhooks.newId();
        String serverErrorId = Webhooks.newId();
        String slowId = Webhooks.newId();
        Lookup retryAfter = Lookup.appStoreVersion(retryAfterId);
        Lookup rateLimited = Lookup.appStoreVersion(rateLimitedId);
        Lookup serverError = Lookup.appStoreVersion(serverErrorId);
        Lookup slow = Lookup.appStoreVersion(slowId);
        api.answerInTurn(retryAfter, FakeAppStoreConnect.rateLimited(2), FakeAppStoreConnect.ok(VERSION_RESPONSE));
        api.answerInTurn(rateLimited, FakeAppStoreConnect.rateLimited(null), FakeAppStoreConnect.ok(VERSION_RESPONSE));
        api.answerInTurn(serverError, FakeAppStoreConnect.serverError(), FakeAppStoreConnect.ok(VERSION_RESPONSE));
        int slowAnswerMillis = (int) REQUEST_TIMEOUT.multipliedBy(3).toMillis();
        api.answerInTurn(slow, FakeAppStoreConnect.ok(VERSION_RESPONSE).withFixedDelay(slowAnswerMillis),
                FakeAppStoreConnect.ok(VERSION_RESPONSE));
        Map<String, String> events = Map.of(
                retryAfterId, Webhooks.newId(),
                rateLimitedId, Webhooks.newId(),
                serverErrorId, Webhooks.newId(),
                slowId, Webhooks.newId());

        try (Pipeline pipeline = Pipeline.start(platform, stateDir, enrichment())) {
            events.forEach((versionId, eventId) -> {
                HttpResponse<String> posted = ingress.postAppStoreConnect(
                        Webhooks.appStoreConnect(VERSION_READY_FOR_REVIEW, eventId, versionId));
                assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
            });

            for (Map.Entry<String, String> event : events.entrySet()) {
                String versionId = event.getKey();
                DeliveryEvent out = pipeline.awaitEvent("asc:appStoreVersions:" + versionId, event.getValue(),
                        BOUND).value();
                assertThat(out.getEnrichment().getStatus()).as(versionId).isEqualTo(EnrichmentStatus.ENRICHED);
                assertThat(out.getEnrichment().getAttempts()).as(versionId).isGreaterThanOrEqualTo(2);
                assertThat(out.getVersionString()).as(versionId).isEqualTo("1.101.0");
                assertThat(out.getBuildNumber()).as(versionId).isEqualTo("3");
                assertThat(api.requests(Lookup.appStoreVersion(versionId))).as(versionId)
                        .hasSizeGreaterThanOrEqualTo(2);
            }

            // Retry-After: 2 was honoured. The pause starts just before the 429'd request was sent, so its gap to the
            // next request is at least the pause minus that request's own latency; 1.5 s leaves room for that.
            List<LoggedRequest> retryAfterRequests = api.requests(retryAfter);
            long gap = retryAfterRequests.get(1).getLoggedDate().getTime()
                    - retryAfterRequests.get(0).getLoggedDate().getTime();
            assertThat(gap).as("ms between the 429 with Retry-After: 2 and the retry").isGreaterThanOrEqualTo(1_500);

            MeterRegistry meters = pipeline.app().meterRegistry();
            assertThat(calls(meters, "429")).isGreaterThanOrEqualTo(2);
            assertThat(calls(meters, "500")).isGreaterThanOrEqualTo(1);
            assertThat(calls(meters, "timeout")).isGreaterThanOrEqualTo(1);
            assertThat(calls(meters, "200")).isGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void anEnrichmentPendingWhenTheAppStopsComesOutOnceEnrichedAfterARestart(KafkaPlatform platform,
                                                                             @TempDir Path stateDir) {
        String versionId = Webhooks.newId();
        Lookup lookup = Lookup.appStoreVersion(versionId);
        String key = "asc:appStoreVersions:" + versionId;
        String pending = Webhooks.newId();
        String later = Webhooks.newId();
        StubMapping failing = api.answer(lookup, FakeAppStoreConnect.serverError());

        try (Pipeline pipeline = Pipeline.start(platform, stateDir, enrichment())) {
            HttpResponse<String> posted = ingress.postAppStoreConnect(
                    Webhooks.appStoreConnect(VERSION_READY_FOR_REVIEW, pending, versionId));
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);

            // The event is held: looked up, failed, and retried from the hold at least once.
            await("the held event retried").atMost(BOUND)
                    .until(() -> api.requests(lookup).size() >= 2);
            pipeline.stopApp();
            pipeline.poll();
            assertThat(pipeline.recordsOf(key)).as("emitted while the API was failing").isEmpty();

            // The API recovers while the app is down; the app comes back with the same id and state directory.
            api.remove(failing);
            api.answer(lookup, FakeAppStoreConnect.ok(VERSION_RESPONSE));
            int requestsBeforeRestart = api.requests(lookup).size();
            pipeline.startApp();

            DeliveryEvent out = pipeline.awaitEvent(key, pending, BOUND).value();
            assertThat(out.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.ENRICHED);
            assertThat(out.getVersionString()).isEqualTo("1.101.0");
            assertThat(out.getBuildNumber()).isEqualTo("3");
            // The failed attempts before the restart count: the event came from the hold, not from a new read.
            assertThat(out.getEnrichment().getAttempts()).isGreaterThanOrEqualTo(2);
            assertThat(api.requests(lookup)).hasSizeGreaterThan(requestsBeforeRestart);

            HttpResponse<String> next = ingress.postAppStoreConnect(
                    Webhooks.appStoreConnect(VERSION_WAITING_FOR_REVIEW, later, versionId));
            assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
            pipeline.awaitEvent(key, later, BOUND);
            assertThat(pipeline.recordsOf(key)).extracting(r -> r.value().getEventId())
                    .containsExactly(pending, later);
        }
    }

    @Test
    void anEventWhoseLookupKeepsFailingGoesOutUnavailableAfterTheMaximumHold(KafkaPlatform platform,
                                                                              @TempDir Path stateDir) {
        String versionId = Webhooks.newId();
        Lookup lookup = Lookup.appStoreVersion(versionId);
        String key = "asc:appStoreVersions:" + versionId;
        String first = Webhooks.newId();
        String second = Webhooks.newId();
        api.answer(lookup, FakeAppStoreConnect.serverError());
        Duration maxHold = Duration.ofSeconds(3);

        try (Pipeline pipeline = Pipeline.start(platform, stateDir, enrichment(maxHold))) {
            HttpResponse<String> posted = ingress.postAppStoreConnect(
                    Webhooks.appStoreConnect(VERSION_READY_FOR_REVIEW, first, versionId));
            HttpResponse<String> next = ingress.postAppStoreConnect(
                    Webhooks.appStoreConnect(VERSION_WAITING_FOR_REVIEW, second, versionId));
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
            assertThat(next.statusCode()).as(next.body()).isEqualTo(200);

            pipeline.awaitEvent(key, second, BOUND);

            List<ConsumerRecord<String, DeliveryEvent>> records = pipeline.recordsOf(key);
            assertThat(records).extracting(r -> r.value().getEventId()).containsExactly(first, second);
            DeliveryEvent out = records.get(0).value();
            assertThat(out.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.UNAVAILABLE);
            assertThat(out.getEnrichment().getReason())
                    .contains("no App Store Connect details within 3 s")
                    .contains("HTTP 500");
            assertThat(out.getEnrichment().getAttempts()).isGreaterThanOrEqualTo(1);
            assertThat(out.getEnrichment().getAt().toEpochMilli() - out.getReceivedAt().toEpochMilli())
                    .as("ms held").isGreaterThanOrEqualTo(maxHold.toMillis() - 500);
            assertThat(out.getVersionString()).isNull();
            assertThat(records.get(1).value().getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.UNAVAILABLE);
            assertThat(api.requests(lookup)).hasSizeGreaterThanOrEqualTo(1);
        }
    }

    private static double calls(MeterRegistry meters, String status) {
        return meters.find(AppStoreConnectClient.CALLS_METRIC).tag("status", status).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private void assertSignedByTheApiKey(LoggedRequest request) {
        String authorization = request.getHeader("Authorization");
        assertThat(authorization).startsWith("Bearer ");
        try {
            SignedJWT jwt = SignedJWT.parse(authorization.substring("Bearer ".length()));
            assertThat(jwt.verify(new ECDSAVerifier((ECPublicKey) apiKey.getPublic())))
                    .as("token verifies with the key's public half").isTrue();
            assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
            assertThat(jwt.getHeader().getKeyID()).isEqualTo(KEY_ID);
            assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(ISSUER_ID);
            assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("appstoreconnect-v1");
            long lifetime = jwt.getJWTClaimsSet().getExpirationTime().getTime()
                    - jwt.getJWTClaimsSet().getIssueTime().getTime();
            assertThat(lifetime).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(20).toMillis());
        } catch (java.text.ParseException | com.nimbusds.jose.JOSEException e) {
            throw new AssertionError("the Authorization header is not an ES256 JWT: " + e, e);
        }
    }
}
