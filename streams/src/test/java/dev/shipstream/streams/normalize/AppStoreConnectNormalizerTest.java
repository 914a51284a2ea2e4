package dev.shipstream.streams.normalize;

import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.EnrichmentStatus;
import dev.shipstream.schemas.Entity;
import dev.shipstream.schemas.EventCategory;
import dev.shipstream.schemas.Source;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.Map;

import static dev.shipstream.streams.normalize.Payloads.RECEIVED_AT;
import static dev.shipstream.streams.normalize.Payloads.REQUEST_ID;
import static org.assertj.core.api.Assertions.assertThat;

class AppStoreConnectNormalizerTest {

    private static final String ARTICLE_VERSION_LINK =
            "https://api.appstoreconnect.apple.com/v1/appStoreVersions/xxx-xx-xx-xx-xxx";

    private static DeliveryEvent fixture(String path) {
        return Payloads.event(Source.APP_STORE_CONNECT, path);
    }

    private static DeliveryEvent json(String json) {
        return Payloads.eventOf(Payloads.normalize(Source.APP_STORE_CONNECT, json.getBytes()));
    }

    private static String reason(String json) {
        return Payloads.reasonOf(Payloads.normalize(Source.APP_STORE_CONNECT, json.getBytes()));
    }

    /** The fields no App Store Connect payload carries: they stay empty until the enrichment fills them. */
    private static void assertNothingInvented(DeliveryEvent event) {
        assertThat(event.getSource()).isEqualTo(Source.APP_STORE_CONNECT);
        assertThat(event.getPlatform()).isNull();
        assertThat(event.getVersionString()).isNull();
        assertThat(event.getBuildNumber()).isNull();
        assertThat(event.getErrors()).isEmpty();
        assertThat(event.getGit()).isNull();
        assertThat(event.getLinks().getLogs()).isNull();
        assertThat(event.getLinks().getArtifact()).isNull();
        assertThat(event.getRawPayload()).isNull();
        assertThat(event.getReceivedAt()).isEqualTo(RECEIVED_AT);
        assertThat(event.getIngressRequestId()).isEqualTo(REQUEST_ID);
        assertThat(event.getEnrichment().getReason()).isNull();
        assertThat(event.getEnrichment().getAttempts()).isZero();
    }

    @Nested
    class Fixtures {

        @ParameterizedTest(name = "{0}")
        @CsvSource({
            "prepare-for-submission, DEVELOPER_REJECTED, PREPARE_FOR_SUBMISSION, 2025-12-18T05:01:47.118Z",
            "ready-for-review, PREPARE_FOR_SUBMISSION, READY_FOR_REVIEW, 2025-12-18T03:41:12.516Z",
            "waiting-for-review, READY_FOR_REVIEW, WAITING_FOR_REVIEW, 2025-12-18T03:41:21.179Z",
            "developer-rejected, WAITING_FOR_REVIEW, DEVELOPER_REJECTED, 2025-12-18T03:50:30.552Z",
            "in-review, WAITING_FOR_REVIEW, IN_REVIEW, 2025-12-18T22:05:50.038Z",
            "pending-developer-release, IN_REVIEW, PENDING_DEVELOPER_RELEASE, 2025-12-18T22:34:18.785Z",
            "ready-for-distribution, PENDING_DEVELOPER_RELEASE, READY_FOR_DISTRIBUTION, 2025-12-23T06:03:50.925Z",
        })
        void readsEveryAppVersionStateOfTheArticle(String name, String oldValue, String newValue, String timestamp) {
            DeliveryEvent event = fixture("asc/appStoreVersionAppVersionStateUpdated-" + name + ".json");

            assertThat(event.getEventId()).isEqualTo("xxx-xx-xx-xx-xxx");
            assertThat(event.getEventType()).isEqualTo("appStoreVersionAppVersionStateUpdated");
            assertThat(event.getCategory()).isEqualTo(EventCategory.APP_VERSION_STATE);
            assertThat(event.getEntity()).isEqualTo(new Entity("appStoreVersions", "xxx-xx-xx-xx-xxx"));
            assertThat(event.getEntityKey()).isEqualTo("asc:appStoreVersions:xxx-xx-xx-xx-xxx");
            assertThat(event.getPreviousState()).isEqualTo(oldValue);
            assertThat(event.getNewState()).isEqualTo(newValue);
            assertThat(event.getOccurredAt()).isEqualTo(Instant.parse(timestamp));
            assertThat(event.getOccurredAtEstimated()).isFalse();
            assertThat(event.getLinks().getDetails()).isEqualTo(ARTICLE_VERSION_LINK);
            assertThat(event.getApp()).isNull();
            assertThat(event.getExtras()).isEmpty();
            assertThat(event.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.PENDING);
            assertNothingInvented(event);
        }

        @Test
        void appleDocAppVersionStateWithoutLinks() {
            DeliveryEvent event = fixture("asc/appStoreVersionAppVersionStateUpdated-apple-doc.json");

            assertThat(event.getEventId()).isEqualTo("7c813492-9516-4c79-903e-224effdd57ac");
            assertThat(event.getCategory()).isEqualTo(EventCategory.APP_VERSION_STATE);
            assertThat(event.getEntityKey()).isEqualTo("asc:appStoreVersions:ad7e6298-2570-4ca6-b3cc-f81788e40bdc");
            assertThat(event.getPreviousState()).isEqualTo("PREPARE_FOR_SUBMISSION");
            assertThat(event.getNewState()).isEqualTo("READY_FOR_REVIEW");
            assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2025-04-16T05:00:52.745Z"));
            assertThat(event.getLinks().getDetails()).isNull();
            assertThat(event.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.PENDING);
            assertNothingInvented(event);
        }

        @Test
        void buildUploadCompleteFromTheArticleHasOldStateButNoTimestamp() {
            DeliveryEvent event = fixture("asc/buildUploadStateUpdated-complete.json");

            assertThat(event.getEventId()).isEqualTo("xxx-xx-xx-xx-xxx");
            assertThat(event.getEventType()).isEqualTo("buildUploadStateUpdated");
            assertThat(event.getCategory()).isEqualTo(EventCategory.BUILD_UPLOAD_STATE);
            assertThat(event.getEntity()).isEqualTo(new Entity("buildUploads", "xxx-xx-xx-xx-xxx"));
            assertThat(event.getEntityKey()).isEqualTo("asc:buildUploads:xxx-xx-xx-xx-xxx");
            assertThat(event.getPreviousState()).isEqualTo("PROCESSING");
            assertThat(event.getNewState()).isEqualTo("COMPLETE");
            assertThat(event.getOccurredAt()).isEqualTo(RECEIVED_AT);
            assertThat(event.getOccurredAtEstimated()).isTrue();
            assertThat(event.getLinks().getDetails())
                    .isEqualTo("https://api.appstoreconnect.apple.com/v1/buildUploads/xxx-xx-xx-xx-xxx");
            assertThat(event.getExtras()).isEmpty();
            assertThat(event.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.PENDING);
            assertNothingInvented(event);
        }

        @Test
        void buildUploadFailedFromTheArticleCarriesNoReason() {
            DeliveryEvent event = fixture("asc/buildUploadStateUpdated-failed.json");

            assertThat(event.getCategory()).isEqualTo(EventCategory.BUILD_UPLOAD_STATE);
            assertThat(event.getPreviousState()).isEqualTo("PROCESSING");
            assertThat(event.getNewState()).isEqualTo("FAILED");
            assertThat(event.getOccurredAtEstimated()).isTrue();
            // The ITMS error only comes from the API; the normaliser must not make one up.
            assertThat(event.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.PENDING);
            assertNothingInvented(event);
        }

        @Test
        void appleDocBuildUploadHasOnlyNewState() {
            DeliveryEvent event = fixture("asc/buildUploadStateUpdated-apple-doc.json");

            assertThat(event.getEntityKey()).isEqualTo("asc:buildUploads:ad7e6298-2570-4ca6-b3cc-f81788e40bdc");
            assertThat(event.getPreviousState()).isNull();
            assertThat(event.getNewState()).isEqualTo("COMPLETE");
            assertThat(event.getOccurredAt()).isEqualTo(RECEIVED_AT);
            assertThat(event.getOccurredAtEstimated()).isTrue();
            assertThat(event.getLinks().getDetails()).isNull();
            assertNothingInvented(event);
        }

        @Test
        void testFlightBuildStateUsesExternalBuildStateNames() {
            DeliveryEvent event = fixture("asc/buildBetaDetailExternalBuildStateUpdated-beta-approved.json");

            assertThat(event.getEventId()).isEqualTo("4a9eacca-e53f-4006-85db-aa18c515663a");
            assertThat(event.getEventType()).isEqualTo("buildBetaDetailExternalBuildStateUpdated");
            assertThat(event.getCategory()).isEqualTo(EventCategory.TESTFLIGHT_BUILD_STATE);
            assertThat(event.getEntityKey()).isEqualTo("asc:buildBetaDetails:ad7e6298-2570-4ca6-b3cc-f81788e40bdc");
            assertThat(event.getPreviousState()).isEqualTo("IN_BETA_REVIEW");
            assertThat(event.getNewState()).isEqualTo("BETA_APPROVED");
            assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2025-04-16T05:00:52.745Z"));
            assertThat(event.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.PENDING);
            assertNothingInvented(event);
        }

        @Test
        void crashFeedbackHasOpaqueIdAndNoState() {
            DeliveryEvent event = fixture("asc/betaFeedbackCrashSubmissionCreated.json");

            assertThat(event.getEventId()).isEqualTo("a4319bc8-ed16-460b-8de6-ba9734b55631");
            assertThat(event.getCategory()).isEqualTo(EventCategory.TESTFLIGHT_FEEDBACK);
            assertThat(event.getEntity()).isEqualTo(new Entity("betaFeedbackCrashSubmissions", "AK7UjG-qL5QxXf3gIOGjbpQ"));
            assertThat(event.getEntityKey()).isEqualTo("asc:betaFeedbackCrashSubmissions:AK7UjG-qL5QxXf3gIOGjbpQ");
            assertThat(event.getPreviousState()).isNull();
            assertThat(event.getNewState()).isNull();
            assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2025-05-16T20:53:20.729Z"));
            assertThat(event.getLinks().getDetails()).isEqualTo(
                    "https://api.appstoreconnect.apple.com/v1/betaFeedbackCrashSubmissions/AK7UjG-qL5QxXf3gIOGjbpQ");
            assertThat(event.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.PENDING);
            assertNothingInvented(event);
        }

        @Test
        void screenshotFeedbackWithTwoFractionalDigits() {
            DeliveryEvent event = fixture("asc/betaFeedbackScreenshotSubmissionCreated.json");

            assertThat(event.getCategory()).isEqualTo(EventCategory.TESTFLIGHT_FEEDBACK);
            assertThat(event.getEntityKey())
                    .isEqualTo("asc:betaFeedbackScreenshotSubmissions:AD8JvKbr0BK0Cj9OnM6WO6I");
            assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2025-05-08T01:29:36.160Z"));
            assertThat(event.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.PENDING);
            assertNothingInvented(event);
        }

        @Test
        void backgroundAssetStateWithoutDataWrapperOrVersion() {
            DeliveryEvent event = fixture("asc/backgroundAssetVersionStateUpdated-failed.json");

            assertThat(event.getEventId()).isEqualTo("4734e219-9977-470c-824a-59053380b7cd");
            assertThat(event.getCategory()).isEqualTo(EventCategory.BACKGROUND_ASSET);
            assertThat(event.getEntity())
                    .isEqualTo(new Entity("backgroundAssetVersions", "7012050b-e2a4-4a2c-bb98-f2b30cfdfaaf"));
            assertThat(event.getEntityKey())
                    .isEqualTo("asc:backgroundAssetVersions:7012050b-e2a4-4a2c-bb98-f2b30cfdfaaf");
            assertThat(event.getPreviousState()).isEqualTo("PROCESSING");
            assertThat(event.getNewState()).isEqualTo("FAILED");
            assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2025-12-05T14:30:45Z"));
            assertThat(event.getLinks().getDetails()).isEqualTo(
                    "https://api.appstoreconnect.apple.com/v1/backgroundAssetVersions/7012050b-e2a4-4a2c-bb98-f2b30cfdfaaf");
            assertThat(event.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.NOT_APPLICABLE);
            assertNothingInvented(event);
        }

        @Test
        void backgroundAssetInternalBetaReleaseHasOnlyATimestamp() {
            DeliveryEvent event = fixture("asc/backgroundAssetVersionInternalBetaReleaseCreated.json");

            assertThat(event.getCategory()).isEqualTo(EventCategory.BACKGROUND_ASSET);
            assertThat(event.getEntityKey()).isEqualTo(
                    "asc:backgroundAssetVersionInternalBetaReleases:1b2c3d4e-5f60-4718-92a3-b4c5d6e7f809");
            assertThat(event.getPreviousState()).isNull();
            assertThat(event.getNewState()).isNull();
            assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2025-12-05T14:31:02Z"));
            assertThat(event.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.NOT_APPLICABLE);
            assertNothingInvented(event);
        }

        @Test
        void backgroundAssetExternalBetaReleaseRejected() {
            DeliveryEvent event = fixture("asc/backgroundAssetVersionExternalBetaReleaseStateUpdated-rejected.json");

            assertThat(event.getCategory()).isEqualTo(EventCategory.BACKGROUND_ASSET);
            assertThat(event.getEntityKey()).isEqualTo(
                    "asc:backgroundAssetVersionExternalBetaReleases:2c3d4e5f-6071-4829-a3b4-c5d6e7f8091a");
            assertThat(event.getPreviousState()).isEqualTo("IN_REVIEW");
            assertThat(event.getNewState()).isEqualTo("REJECTED");
            assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2025-12-06T09:15:00.500Z"));
            assertNothingInvented(event);
        }

        @Test
        void backgroundAssetAppStoreReleaseKeepsRelativeLinkAsGiven() {
            DeliveryEvent event = fixture("asc/backgroundAssetVersionAppStoreReleaseStateUpdated-relative-link.json");

            assertThat(event.getCategory()).isEqualTo(EventCategory.BACKGROUND_ASSET);
            assertThat(event.getEntityKey()).isEqualTo(
                    "asc:backgroundAssetVersionAppStoreReleases:3d4e5f60-7182-493a-b4c5-d6e7f8091a2b");
            assertThat(event.getPreviousState()).isEqualTo("PROCESSING_FOR_DISTRIBUTION");
            assertThat(event.getNewState()).isEqualTo("READY_FOR_DISTRIBUTION");
            assertThat(event.getLinks().getDetails())
                    .isEqualTo("/v1/backgroundAssetVersionAppStoreReleases/3d4e5f60-7182-493a-b4c5-d6e7f8091a2b");
            assertNothingInvented(event);
        }

        @Test
        void alternativeDistributionPackageAvailableOnAnotherHost() {
            DeliveryEvent event = fixture("asc/alternativeDistributionPackageAvailableUpdated.json");

            assertThat(event.getEventId()).isEqualTo("da44e419-437b-4dbe-894c-2da570ffc4d1");
            assertThat(event.getCategory()).isEqualTo(EventCategory.ALTERNATIVE_DISTRIBUTION);
            assertThat(event.getEntityKey())
                    .isEqualTo("asc:alternativeDistributionPackages:2d2c0995-dc9b-455a-bbd8-316c0a1e893f");
            assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2025-07-11T17:47:14.498Z"));
            assertThat(event.getApp().getId()).isEqualTo("10795428705");
            assertThat(event.getLinks().getDetails()).isEqualTo("https://api-appstoreconnect.itunes.apple.com"
                    + "/v1/alternativeDistributionPackages/2d2c0995-dc9b-455a-bbd8-316c0a1e893f");
            assertThat(event.getExtras()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    ExtraKeys.AVAILABLE, "true",
                    ExtraKeys.TERRITORIES, "DNK,IRL,NLD,...",
                    ExtraKeys.MARKETPLACE_APP_ID, "10738627177"));
            assertThat(event.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.NOT_APPLICABLE);
            assertNothingInvented(event);
        }

        @Test
        void alternativeDistributionPackageVersionCreated() {
            DeliveryEvent event = fixture("asc/alternativeDistributionPackageVersionCreated.json");

            assertThat(event.getCategory()).isEqualTo(EventCategory.ALTERNATIVE_DISTRIBUTION);
            assertThat(event.getEntityKey()).isEqualTo(
                    "asc:alternativeDistributionPackageVersions:8e9f0a1b-2c3d-4e4f-8a5b-6c7d8e9f0a1b");
            assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2025-07-11T17:40:01.300Z"));
            assertThat(event.getApp().getId()).isEqualTo("10795428705");
            assertThat(event.getExtras()).containsEntry(ExtraKeys.MARKETPLACE_APP_ID, "10738627177")
                    .doesNotContainKeys(ExtraKeys.AVAILABLE, ExtraKeys.TERRITORIES);
            assertNothingInvented(event);
        }

        @Test
        void territoryAvailabilityWithoutInstanceIsAboutTheMarketplaceApp() {
            DeliveryEvent event = fixture("asc/alternativeDistributionTerritoryAvailabilityUpdated.json");

            assertThat(event.getCategory()).isEqualTo(EventCategory.ALTERNATIVE_DISTRIBUTION);
            assertThat(event.getEventId()).isEqualTo("c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f");
            // The same key the ingress gives the raw record, so the event stays on its entity's partition.
            assertThat(event.getEntity()).isEqualTo(new Entity("apps", "10738627177"));
            assertThat(event.getEntityKey()).isEqualTo("asc:apps:10738627177");
            assertThat(event.getLinks().getDetails()).isNull();
            assertThat(event.getExtras()).containsEntry(ExtraKeys.AVAILABLE, "false")
                    .containsEntry(ExtraKeys.TERRITORIES, "DNK,IRL");
            assertNothingInvented(event);
        }

        @Test
        void articlePingWithNineFractionalDigits() {
            DeliveryEvent event = fixture("asc/webhookPingCreated-article.json");

            assertThat(event.getEventId()).isEqualTo("65726e27-cb79-47f2-a3e4-c8ced9f356e8");
            assertThat(event.getEventType()).isEqualTo("webhookPingCreated");
            assertThat(event.getCategory()).isEqualTo(EventCategory.PING);
            assertThat(event.getEntityKey()).isEqualTo("asc:webhookPingCreated:65726e27-cb79-47f2-a3e4-c8ced9f356e8");
            assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2025-12-26T15:47:38.472Z"));
            assertThat(event.getOccurredAtEstimated()).isFalse();
            assertThat(event.getApp()).isNull();
            assertThat(event.getLinks().getDetails()).isNull();
            assertThat(event.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.NOT_APPLICABLE);
            assertNothingInvented(event);
        }

        @Test
        void communityPing() {
            DeliveryEvent event = fixture("asc/webhookPingCreated-community.json");

            assertThat(event.getCategory()).isEqualTo(EventCategory.PING);
            assertThat(event.getEntityKey()).isEqualTo("asc:webhookPingCreated:01234567-abcd-8901-dcba-987654321012");
            assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2025-06-09T10:09:30.123Z"));
            assertNothingInvented(event);
        }
    }

    @Nested
    class Quirks {

        @Test
        void buildUploadReadsNewValueWhereACommunityClientExpectsIt() {
            DeliveryEvent event = json("""
                    {"data":{"type":"buildUploadStateUpdated","id":"e1","attributes":{"oldValue":"PROCESSING",
                    "newValue":"FAILED"},"relationships":{"instance":{"data":{"type":"buildUploads","id":"b1"}}}}}""");

            assertThat(event.getPreviousState()).isEqualTo("PROCESSING");
            assertThat(event.getNewState()).isEqualTo("FAILED");
        }

        @Test
        void statePrefersNewValueOverOtherSpellings() {
            DeliveryEvent event = json("""
                    {"data":{"type":"appStoreVersionAppVersionStateUpdated","id":"e1","attributes":{
                    "newState":"B","newValue":"A","oldState":"Y","oldValue":"X"}}}""");

            assertThat(event.getNewState()).isEqualTo("A");
            assertThat(event.getPreviousState()).isEqualTo("X");
        }

        @Test
        void readsAStateAttributeNameAddedLater() {
            DeliveryEvent event = json("""
                    {"data":{"type":"buildBetaDetailInternalBuildStateUpdated","id":"e1","attributes":{
                    "newInternalBuildState":"IN_BETA_TESTING","oldInternalBuildState":"READY_FOR_BETA_TESTING"},
                    "relationships":{"instance":{"data":{"type":"buildBetaDetails","id":"d1"}}}}}""");

            assertThat(event.getCategory()).isEqualTo(EventCategory.UNKNOWN);
            assertThat(event.getNewState()).isEqualTo("IN_BETA_TESTING");
            assertThat(event.getPreviousState()).isEqualTo("READY_FOR_BETA_TESTING");
        }

        @Test
        void nullOrNonTextStatesAreAbsent() {
            DeliveryEvent event = json("""
                    {"data":{"type":"buildUploadStateUpdated","id":"e1","attributes":{"newState":{"state":"X"},
                    "oldState":null}}}""");

            assertThat(event.getNewState()).isNull();
            assertThat(event.getPreviousState()).isNull();
        }

        @Test
        void instanceWithDataWrapper() {
            DeliveryEvent event = json("""
                    {"data":{"type":"appStoreVersionAppVersionStateUpdated","id":"e1",
                    "relationships":{"instance":{"data":{"type":"appStoreVersions","id":"v1"}}}}}""");

            assertThat(event.getEntityKey()).isEqualTo("asc:appStoreVersions:v1");
        }

        @Test
        void instanceWithoutDataWrapper() {
            DeliveryEvent event = json("""
                    {"data":{"type":"appStoreVersionAppVersionStateUpdated","id":"e1",
                    "relationships":{"instance":{"type":"appStoreVersions","id":"v1"}}}}""");

            assertThat(event.getEntityKey()).isEqualTo("asc:appStoreVersions:v1");
        }

        @Test
        void instanceAbsentMakesTheEventItsOwnEntity() {
            DeliveryEvent event = json("""
                    {"data":{"type":"appStoreVersionAppVersionStateUpdated","id":"e1","attributes":{}}}""");

            assertThat(event.getEntity()).isEqualTo(new Entity("appStoreVersionAppVersionStateUpdated", "e1"));
            assertThat(event.getEntityKey()).isEqualTo("asc:appStoreVersionAppVersionStateUpdated:e1");
        }

        @Test
        void instanceWithNullDataOrMissingIdFallsBackToTheEvent() {
            DeliveryEvent nullData = json("""
                    {"data":{"type":"buildUploadStateUpdated","id":"e1","relationships":{"instance":{"data":null}}}}""");
            DeliveryEvent noId = json("""
                    {"data":{"type":"buildUploadStateUpdated","id":"e2",
                    "relationships":{"instance":{"data":{"type":"buildUploads"}}}}}""");

            assertThat(nullData.getEntityKey()).isEqualTo("asc:buildUploadStateUpdated:e1");
            assertThat(noId.getEntityKey()).isEqualTo("asc:buildUploadStateUpdated:e2");
        }

        @Test
        void linkOnAnotherHostIsKeptVerbatimAndNotFollowed() {
            DeliveryEvent event = json("""
                    {"data":{"type":"buildUploadStateUpdated","id":"e1","relationships":{"instance":{
                    "data":{"type":"buildUploads","id":"b1"},"links":{"self":"http://169.254.169.254/latest"}}}}}""");

            assertThat(event.getLinks().getDetails()).isEqualTo("http://169.254.169.254/latest");
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource({
            "2025-12-05T14:30:45Z, 2025-12-05T14:30:45Z",
            "2025-05-08T01:29:36.16Z, 2025-05-08T01:29:36.160Z",
            "2025-07-11T17:47:14.498347Z, 2025-07-11T17:47:14.498Z",
            "2025-12-26T15:47:38.472168681Z, 2025-12-26T15:47:38.472Z",
            "2025-12-18T13:01:47.118+08:00, 2025-12-18T05:01:47.118Z",
            "2025-12-17T21:01:47.9-08:00, 2025-12-18T05:01:47.900Z",
        })
        void timestampPrecisionAndOffsetsAreNormalisedToMillisecondsUtc(String sent, String expected) {
            DeliveryEvent event = json("""
                    {"data":{"type":"webhookPingCreated","id":"p1","attributes":{"timestamp":"%s"}}}"""
                    .formatted(sent));

            assertThat(event.getOccurredAt()).isEqualTo(Instant.parse(expected));
            assertThat(event.getOccurredAtEstimated()).isFalse();
        }

        @ParameterizedTest(name = "timestamp [{0}]")
        @ValueSource(strings = {"", "\"not a time\"", "null", "1734500000000", "\"2025-12-18T05:01:47\""})
        void unusableTimestampFallsBackToReceiveTimeMarkedEstimated(String timestampJson) {
            String attributes = timestampJson.isEmpty() ? "{}" : "{\"timestamp\":" + timestampJson + "}";
            DeliveryEvent event = json("""
                    {"data":{"type":"webhookPingCreated","id":"p1","attributes":%s}}""".formatted(attributes));

            assertThat(event.getOccurredAt()).isEqualTo(RECEIVED_AT);
            assertThat(event.getOccurredAtEstimated()).isTrue();
        }

        @Test
        void unparseableTimestampTextIsKeptInExtras() {
            DeliveryEvent event = json("""
                    {"data":{"type":"webhookPingCreated","id":"p1","attributes":{"timestamp":"yesterday"}}}""");

            assertThat(event.getExtras()).containsEntry(ExtraKeys.UNPARSED_TIMESTAMP, "yesterday");
        }

        @Test
        void pingWithoutAttributes() {
            DeliveryEvent event = json("""
                    {"data":{"type":"webhookPingCreated","id":"p1","version":1}}""");

            assertThat(event.getCategory()).isEqualTo(EventCategory.PING);
            assertThat(event.getOccurredAtEstimated()).isTrue();
        }

        @Test
        void unknownEventTypePassesThroughWithItsRawJson() {
            String body = """
                    {"data":{"type":"reviewSubmissionStateUpdated","id":"u1","attributes":{"newState":"COMPLETE",
                    "timestamp":"2026-03-01T00:00:00Z","extra":{"nested":[1,2]}},
                    "relationships":{"instance":{"data":{"type":"reviewSubmissions","id":"r1"}}}}}""";
            DeliveryEvent event = json(body);

            assertThat(event.getCategory()).isEqualTo(EventCategory.UNKNOWN);
            assertThat(event.getEventType()).isEqualTo("reviewSubmissionStateUpdated");
            assertThat(event.getEventId()).isEqualTo("u1");
            assertThat(event.getEntityKey()).isEqualTo("asc:reviewSubmissions:r1");
            assertThat(event.getNewState()).isEqualTo("COMPLETE");
            assertThat(event.getRawPayload()).isEqualTo(body);
            assertThat(event.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.NOT_APPLICABLE);
        }

        @Test
        void knownEventTypesDoNotKeepTheirRawJson() {
            assertThat(fixture("asc/buildUploadStateUpdated-complete.json").getRawPayload()).isNull();
        }

        @Test
        void everyListedEventTypeHasItsCategory() {
            assertThat(AppStoreConnectNormalizer.categoryOf("appStoreVersionAppVersionStateUpdated"))
                    .isEqualTo(EventCategory.APP_VERSION_STATE);
            assertThat(AppStoreConnectNormalizer.categoryOf("betaFeedbackScreenshotSubmissionCreated"))
                    .isEqualTo(EventCategory.TESTFLIGHT_FEEDBACK);
            assertThat(AppStoreConnectNormalizer.categoryOf("backgroundAssetVersionAppStoreReleaseStateUpdated"))
                    .isEqualTo(EventCategory.BACKGROUND_ASSET);
            assertThat(AppStoreConnectNormalizer.categoryOf("alternativeDistributionTerritoryAvailabilityUpdated"))
                    .isEqualTo(EventCategory.ALTERNATIVE_DISTRIBUTION);
            // The configuration enum spelling is not what a payload carries.
            assertThat(AppStoreConnectNormalizer.categoryOf("BUILD_UPLOAD_STATE_UPDATED"))
                    .isEqualTo(EventCategory.UNKNOWN);
        }

        @Test
        void numericIdsAreReadAsText() {
            DeliveryEvent event = json("""
                    {"data":{"type":"webhookPingCreated","id":12345}}""");

            assertThat(event.getEventId()).isEqualTo("12345");
        }
    }

    @Nested
    class Unparseable {

        @Test
        void malformedJson() {
            assertThat(reason("{\"data\":{\"type\":")).isEqualTo("body is not valid JSON");
        }

        @Test
        void trailingGarbageAfterTheObject() {
            assertThat(reason("{\"data\":{\"type\":\"webhookPingCreated\",\"id\":\"p1\"}} trailing"))
                    .isEqualTo("body is not valid JSON");
        }

        @Test
        void emptyBody() {
            assertThat(reason("")).isEqualTo("body is empty");
            assertThat(reason("   \n")).isEqualTo("body is empty");
        }

        @Test
        void jsonArray() {
            assertThat(reason("[{\"data\":{}}]")).isEqualTo("body is not a JSON object");
        }

        @Test
        void jsonScalar() {
            assertThat(reason("\"data\"")).isEqualTo("body is not a JSON object");
        }

        @Test
        void missingData() {
            assertThat(reason("{\"type\":\"webhookPingCreated\",\"id\":\"p1\"}")).isEqualTo("missing data");
            assertThat(reason("{\"data\":[]}")).isEqualTo("missing data");
        }

        @Test
        void missingDataType() {
            assertThat(reason("{\"data\":{\"id\":\"p1\"}}")).isEqualTo("missing data.type");
        }

        @Test
        void missingDataId() {
            assertThat(reason("""
                    {"data":{"type":"buildUploadStateUpdated","relationships":{"instance":{"data":
                    {"type":"buildUploads","id":"b1"}}}}}""")).isEqualTo("missing data.id");
            assertThat(reason("{\"data\":{\"type\":\"webhookPingCreated\",\"id\":\"  \"}}"))
                    .isEqualTo("missing data.id");
        }

        @Test
        void reasonNeverQuotesThePayload() {
            String secretish = "{\"data\":{\"type\":\"x\",\"id\":SECRET-VALUE-42";

            assertThat(reason(secretish)).doesNotContain("SECRET");
        }
    }
}
