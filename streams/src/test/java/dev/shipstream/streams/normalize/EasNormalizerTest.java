package dev.shipstream.streams.normalize;

import dev.shipstream.schemas.AppRef;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.EnrichmentStatus;
import dev.shipstream.schemas.Entity;
import dev.shipstream.schemas.ErrorOrigin;
import dev.shipstream.schemas.EventCategory;
import dev.shipstream.schemas.EventError;
import dev.shipstream.schemas.GitRef;
import dev.shipstream.schemas.Links;
import dev.shipstream.schemas.Platform;
import dev.shipstream.schemas.Source;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static dev.shipstream.streams.normalize.Payloads.RECEIVED_AT;
import static dev.shipstream.streams.normalize.Payloads.REQUEST_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class EasNormalizerTest {

    private static DeliveryEvent json(String json) {
        return Payloads.eventOf(Payloads.normalize(Source.EAS, json.getBytes()));
    }

    private static String reason(String json) {
        return Payloads.reasonOf(Payloads.normalize(Source.EAS, json.getBytes()));
    }

    @Nested
    class Fixtures {

        @Test
        void erroredBuildFromExposDocs() {
            DeliveryEvent event = Payloads.event(Source.EAS, "eas/build-errored.json");

            assertThat(event.getSource()).isEqualTo(Source.EAS);
            assertThat(event.getEventId()).isEqualTo("147a3212-49fd-446f-b4e3-a6519acf264a:errored");
            assertThat(event.getEventType()).isEqualTo("build");
            assertThat(event.getCategory()).isEqualTo(EventCategory.EAS_BUILD);
            assertThat(event.getEntity()).isEqualTo(new Entity("build", "147a3212-49fd-446f-b4e3-a6519acf264a"));
            assertThat(event.getEntityKey()).isEqualTo("eas:build:147a3212-49fd-446f-b4e3-a6519acf264a");
            assertThat(event.getPreviousState()).isNull();
            assertThat(event.getNewState()).isEqualTo("errored");
            assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2021-11-24T09:57:42.715Z"));
            assertThat(event.getOccurredAtEstimated()).isFalse();
            assertThat(event.getReceivedAt()).isEqualTo(RECEIVED_AT);
            assertThat(event.getIngressRequestId()).isEqualTo(REQUEST_ID);
            assertThat(event.getPlatform()).isEqualTo(Platform.ANDROID);
            assertThat(event.getApp())
                    .isEqualTo(new AppRef("bc0a82de-65a5-4497-ad86-54ff1f53edf7", "example", "com.expo.example"));
            assertThat(event.getVersionString()).isEqualTo("1.0.2");
            assertThat(event.getBuildNumber()).isEqualTo("123");
            assertThat(event.getErrors()).containsExactly(
                    new EventError("UNKNOWN_ERROR", "Unknown error. Please see logs.", ErrorOrigin.PAYLOAD));
            assertThat(event.getLinks()).isEqualTo(new Links(
                    "https://expo.dev/accounts/dsokal/projects/example/builds/147a3212-49fd-446f-b4e3-a6519acf264a",
                    null,
                    "https://expo.dev/artifacts/eas/wyodu9tua2ZuKKiaJ1Nbkn.aab"));
            assertThat(event.getGit())
                    .isEqualTo(new GitRef("564b61ebdd403d28b5dc616a12ce160b91585b5b", "Add home screen", null));
            assertThat(event.getExtras()).containsOnly(
                    entry(ExtraKeys.ACCOUNT_NAME, "dsokal"),
                    entry(ExtraKeys.PROJECT_NAME, "example"),
                    entry(ExtraKeys.INITIATING_USER_ID, "d1041496-1a59-423a-8caf-479bb978203a"),
                    entry(ExtraKeys.PARENT_ID, "75ac0be7-0d90-46d5-80ec-9423fa0aaa6b"),
                    entry(ExtraKeys.LOGS_S3_KEY_PREFIX, "production/f9609423-5072-4ea2-a0a5-c345eedf2c2a"),
                    entry(ExtraKeys.BUILD_PROFILE, "production"),
                    entry(ExtraKeys.DISTRIBUTION, "store"),
                    entry(ExtraKeys.WORKFLOW, "managed"),
                    entry(ExtraKeys.CHANNEL, "default"),
                    entry(ExtraKeys.RELEASE_CHANNEL, "default"),
                    entry(ExtraKeys.RUNTIME_VERSION, "1.0.2"),
                    entry(ExtraKeys.SDK_VERSION, "41.0.0"),
                    entry(ExtraKeys.CLI_VERSION, "0.37.0"),
                    entry(ExtraKeys.REACT_NATIVE_VERSION, "0.60.0"),
                    entry(ExtraKeys.BUILD_MESSAGE, "release build"),
                    entry(ExtraKeys.RUN_FROM_CI, "false"),
                    entry(ExtraKeys.GIT_WORKING_TREE_DIRTY, "false"),
                    entry(ExtraKeys.PRIORITY, "high"),
                    entry(ExtraKeys.RESOURCE_CLASS, "android-n2-1.3-12"),
                    entry(ExtraKeys.CREATED_AT, "2021-11-24T09:53:01.155Z"),
                    entry(ExtraKeys.ENQUEUED_AT, "2021-11-24T09:53:01.155Z"),
                    entry(ExtraKeys.STARTED_AT, "2021-11-24T09:54:11.155Z"),
                    entry(ExtraKeys.FINISHED_AT, "2021-11-24T09:57:42.715Z"));
            assertThat(event.getRawPayload()).isNull();
            assertThat(event.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.NOT_APPLICABLE);
        }

        @Test
        void erroredSubmissionFromExposDocs() {
            DeliveryEvent event = Payloads.event(Source.EAS, "eas/submit-errored.json");

            assertThat(event.getEventId()).isEqualTo("0374430d-7776-44ad-be7d-8513629adc54:errored");
            assertThat(event.getEventType()).isEqualTo("submit");
            assertThat(event.getCategory()).isEqualTo(EventCategory.EAS_SUBMISSION);
            assertThat(event.getEntityKey()).isEqualTo("eas:submit:0374430d-7776-44ad-be7d-8513629adc54");
            assertThat(event.getNewState()).isEqualTo("errored");
            assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2021-11-24T10:17:32.822Z"));
            assertThat(event.getOccurredAtEstimated()).isFalse();
            assertThat(event.getPlatform()).isEqualTo(Platform.ANDROID);
            assertThat(event.getApp()).isEqualTo(new AppRef("23c0e405-d282-4399-b280-5689c3e1ea85", "example", null));
            assertThat(event.getVersionString()).isNull();
            assertThat(event.getBuildNumber()).isNull();
            assertThat(event.getErrors()).containsExactly(new EventError(
                    "SUBMISSION_SERVICE_ANDROID_OLD_VERSION_CODE_ERROR", "Android version code needs to be updated",
                    ErrorOrigin.PAYLOAD));
            assertThat(event.getLinks()).isEqualTo(new Links(
                    "https://expo.dev/accounts/dsokal/projects/example/builds/0374430d-7776-44ad-be7d-8513629adc54",
                    "https://submission-service-logs.s3-us-west-1.amazonaws.com/production/"
                            + "submission_728aa20b-f7a9-4da7-9b64-39911d427b19.txt",
                    "http://archive.url/abc.apk"));
            assertThat(event.getGit()).isNull();
            assertThat(event.getExtras()).containsOnly(
                    entry(ExtraKeys.ACCOUNT_NAME, "dsokal"),
                    entry(ExtraKeys.PROJECT_NAME, "example"),
                    entry(ExtraKeys.INITIATING_USER_ID, "7bee4c21-3eaa-4011-a0fd-3678b6537f47"),
                    entry(ExtraKeys.PARENT_ID, "75ac0be7-0d90-46d5-80ec-9423fa0aaa6b"),
                    entry(ExtraKeys.TURTLE_BUILD_ID, "8c84111e-6d39-449c-9895-071d85fd3e61"),
                    entry(ExtraKeys.CREATED_AT, "2021-11-24T10:15:32.822Z"),
                    entry(ExtraKeys.FINISHED_AT, "2021-11-24T10:17:32.822Z"));
            assertThat(event.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.NOT_APPLICABLE);
        }
    }

    @Nested
    class Quirks {

        @Test
        void finishedIosBuildHasNoErrorAndMapsPlatform() {
            DeliveryEvent event = json("""
                    {"id":"b1","status":"finished","platform":"ios","artifacts":{"buildUrl":"https://x/a.ipa"},
                    "metadata":{"appIdentifier":"com.example.app"},"completedAt":"2024-01-01T00:00:00Z"}""");

            assertThat(event.getEventId()).isEqualTo("b1:finished");
            assertThat(event.getPlatform()).isEqualTo(Platform.IOS);
            assertThat(event.getErrors()).isEmpty();
            assertThat(event.getApp().getBundleId()).isEqualTo("com.example.app");
        }

        @Test
        void sameBuildWithAnotherStatusIsAnotherEventOfTheSameEntity() {
            DeliveryEvent canceled = json("{\"id\":\"b1\",\"status\":\"canceled\",\"artifacts\":{}}");
            DeliveryEvent finished = json("{\"id\":\"b1\",\"status\":\"finished\",\"artifacts\":{}}");

            assertThat(canceled.getEventId()).isNotEqualTo(finished.getEventId());
            assertThat(canceled.getEntityKey()).isEqualTo(finished.getEntityKey()).isEqualTo("eas:build:b1");
        }

        @Test
        void epochMillisecondMetricsStandInForMissingIsoTimes() {
            DeliveryEvent event = json("""
                    {"id":"b1","status":"finished","metrics":{"buildEndTimestamp":1637747861168,
                    "buildStartTimestamp":1637747834445,"buildEnqueuedTimestamp":1637747792476}}""");

            assertThat(event.getCategory()).isEqualTo(EventCategory.EAS_BUILD);
            assertThat(event.getOccurredAt()).isEqualTo(Instant.ofEpochMilli(1637747861168L));
            assertThat(event.getOccurredAtEstimated()).isFalse();
            assertThat(event.getExtras()).contains(
                    entry(ExtraKeys.STARTED_AT, "2021-11-24T09:57:14.445Z"),
                    entry(ExtraKeys.ENQUEUED_AT, "2021-11-24T09:56:32.476Z"),
                    entry(ExtraKeys.FINISHED_AT, "2021-11-24T09:57:41.168Z"));
        }

        @Test
        void updatedAtIsUsedWhenCompletedAtIsNull() {
            DeliveryEvent event = json("""
                    {"id":"s1","status":"canceled","submissionInfo":{},"completedAt":null,
                    "updatedAt":"2021-11-24T10:17:32+01:00"}""");

            assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2021-11-24T09:17:32Z"));
        }

        @Test
        void noTimestampAtAllUsesReceiveTime() {
            DeliveryEvent event = json("{\"id\":\"s1\",\"status\":\"finished\",\"turtleBuildId\":\"b1\"}");

            assertThat(event.getCategory()).isEqualTo(EventCategory.EAS_SUBMISSION);
            assertThat(event.getOccurredAt()).isEqualTo(RECEIVED_AT);
            assertThat(event.getOccurredAtEstimated()).isTrue();
        }

        @Test
        void errorWithOnlyACodeStillReportsIt() {
            DeliveryEvent event = json("""
                    {"id":"b1","status":"errored","artifacts":{},"error":{"errorCode":"EAS_BUILD_TIMEOUT"}}""");

            assertThat(event.getErrors()).containsExactly(
                    new EventError("EAS_BUILD_TIMEOUT", "EAS_BUILD_TIMEOUT", ErrorOrigin.PAYLOAD));
        }

        @Test
        void unknownPlatformIsOtherNotDropped() {
            assertThat(json("{\"id\":\"b1\",\"status\":\"finished\",\"platform\":\"tizen\",\"metrics\":{}}")
                    .getPlatform()).isEqualTo(Platform.OTHER);
        }

        @Test
        void buildsAndSubmissionsAreToldApartByTheirFields() {
            assertThat(json("{\"id\":\"x\",\"status\":\"finished\",\"buildDetailsPageUrl\":\"u\"}").getEventType())
                    .isEqualTo("build");
            assertThat(json("{\"id\":\"x\",\"status\":\"finished\",\"metadata\":{\"buildProfile\":\"p\"}}")
                    .getEventType()).isEqualTo("build");
            assertThat(json("{\"id\":\"x\",\"status\":\"finished\",\"submissionDetailsPageUrl\":\"u\"}")
                    .getEventType()).isEqualTo("submit");
            assertThat(json("{\"id\":\"x\",\"status\":\"finished\",\"submissionInfo\":{}}").getEventType())
                    .isEqualTo("submit");
        }

        @Test
        void extrasOnlyHoldWhatWasSent() {
            DeliveryEvent event = json("{\"id\":\"b1\",\"status\":\"finished\",\"artifacts\":{}}");

            assertThat(event.getExtras()).isEqualTo(Map.of());
            assertThat(event.getApp()).isNull();
            assertThat(event.getGit()).isNull();
        }
    }

    @Nested
    class Unparseable {

        @Test
        void missingId() {
            assertThat(reason("{\"status\":\"finished\",\"artifacts\":{}}")).isEqualTo("missing id");
        }

        @Test
        void missingStatus() {
            assertThat(reason("{\"id\":\"b1\",\"artifacts\":{}}")).isEqualTo("missing status");
        }

        @Test
        void neitherBuildNorSubmit() {
            assertThat(reason("{\"id\":\"b1\",\"status\":\"finished\"}")).startsWith("neither build nor submit");
        }

        @Test
        void malformedEmptyAndArrayBodies() {
            assertThat(reason("{\"id\":")).isEqualTo("body is not valid JSON");
            assertThat(reason("")).isEqualTo("body is empty");
            assertThat(reason("[]")).isEqualTo("body is not a JSON object");
        }
    }
}
