package dev.shipstream.streams.normalize;

import dev.shipstream.schemas.AppRef;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.EnrichmentStatus;
import dev.shipstream.schemas.Entity;
import dev.shipstream.schemas.EventCategory;
import dev.shipstream.schemas.GitRef;
import dev.shipstream.schemas.Links;
import dev.shipstream.schemas.Platform;
import dev.shipstream.schemas.Source;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static dev.shipstream.streams.normalize.Payloads.RECEIVED_AT;
import static dev.shipstream.streams.normalize.Payloads.REQUEST_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class AppflowNormalizerTest {

    private static final GitRef COMMIT = new GitRef(
            "e900ae1863482df4f9c24ee759d15a9250de77a7", "github \uD83E\uDD8A", "different-branch");

    private static DeliveryEvent json(String json) {
        return Payloads.eventOf(Payloads.normalize(Source.APPFLOW, json.getBytes()));
    }

    private static String reason(String json) {
        return Payloads.reasonOf(Payloads.normalize(Source.APPFLOW, json.getBytes()));
    }

    @Nested
    class Fixtures {

        @Test
        void packageAutomationFromIonicsDocs() {
            DeliveryEvent event = Payloads.event(Source.APPFLOW, "appflow/package-success.json");

            assertThat(event.getSource()).isEqualTo(Source.APPFLOW);
            assertThat(event.getEventId()).isEqualTo("2216322b-35be-4af2-aaad-2b4e57354f88:success");
            assertThat(event.getEventType()).isEqualTo("package");
            assertThat(event.getCategory()).isEqualTo(EventCategory.APPFLOW_BUILD);
            assertThat(event.getEntity()).isEqualTo(new Entity("build", "2216322b-35be-4af2-aaad-2b4e57354f88"));
            assertThat(event.getEntityKey()).isEqualTo("appflow:build:2216322b-35be-4af2-aaad-2b4e57354f88");
            assertThat(event.getPreviousState()).isNull();
            assertThat(event.getNewState()).isEqualTo("success");
            assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2018-08-24T14:56:45.986Z"));
            assertThat(event.getOccurredAtEstimated()).isFalse();
            assertThat(event.getReceivedAt()).isEqualTo(RECEIVED_AT);
            assertThat(event.getIngressRequestId()).isEqualTo(REQUEST_ID);
            assertThat(event.getPlatform()).isEqualTo(Platform.ANDROID);
            assertThat(event.getApp()).isEqualTo(new AppRef("abcd1234", "Awesome App", null));
            assertThat(event.getVersionString()).isNull();
            assertThat(event.getBuildNumber()).isNull();
            assertThat(event.getErrors()).isEmpty();
            assertThat(event.getGit()).isEqualTo(COMMIT);
            assertThat(event.getLinks()).isEqualTo(new Links(null, null, null));
            assertThat(event.getExtras()).containsOnly(
                    entry(ExtraKeys.JOB_TYPE, "package-android"),
                    entry(ExtraKeys.JOB_ID, "777"),
                    entry(ExtraKeys.BUILD_TYPE, "debug"),
                    entry(ExtraKeys.PROFILE, "debug"),
                    entry(ExtraKeys.ENVIRONMENT_NAME, "staging"),
                    entry(ExtraKeys.NATIVE_CONFIG_NAME, "staging"),
                    entry(ExtraKeys.AUTOMATION_ID, "777"),
                    entry(ExtraKeys.AUTOMATION_NAME, "my-awesome-automation"),
                    entry(ExtraKeys.APP_SLUG, "awesomeapp"),
                    entry(ExtraKeys.REF_TYPE, "branch"),
                    entry(ExtraKeys.BEFORE_SHA, "5161d6d939409f94d33c8cc549c4c89a861d0042"),
                    entry(ExtraKeys.CREATED_AT, "2018-08-24T14:49:01.462549Z"),
                    entry(ExtraKeys.STARTED_AT, "2018-08-24T14:49:08.556804Z"),
                    entry(ExtraKeys.FINISHED_AT, "2018-08-24T14:56:45.986317Z"));
            assertThat(event.getRawPayload()).isNull();
            assertThat(event.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.NOT_APPLICABLE);
        }

        @Test
        void signedDownloadUrlIsNotKeptAnywhere() {
            DeliveryEvent event = Payloads.event(Source.APPFLOW, "appflow/package-success.json");

            assertThat(Payloads.text("appflow/package-success.json"))
                    .contains("https://www.ionicjs.com/one-awesome-app");
            assertThat(event.toString()).doesNotContain("one-awesome-app");
        }

        @Test
        void deployAutomationFromIonicsDocs() {
            DeliveryEvent event = Payloads.event(Source.APPFLOW, "appflow/deploy-success.json");

            assertThat(event.getEventId()).isEqualTo("2216322b-35be-4af2-aaad-2b4e57354f88:success");
            assertThat(event.getEventType()).isEqualTo("deploy");
            assertThat(event.getCategory()).isEqualTo(EventCategory.APPFLOW_BUILD);
            assertThat(event.getEntityKey()).isEqualTo("appflow:build:2216322b-35be-4af2-aaad-2b4e57354f88");
            assertThat(event.getNewState()).isEqualTo("success");
            assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2018-08-24T14:56:45.986Z"));
            assertThat(event.getPlatform()).isEqualTo(Platform.WEB);
            assertThat(event.getApp()).isEqualTo(new AppRef("abcd1234", "Awesome App", null));
            assertThat(event.getGit()).isEqualTo(COMMIT);
            assertThat(event.getLinks()).isEqualTo(new Links(null, null, null));
            assertThat(event.getExtras()).containsOnly(
                    entry(ExtraKeys.JOB_TYPE, "snapshot"),
                    entry(ExtraKeys.JOB_ID, "101"),
                    entry(ExtraKeys.ENVIRONMENT_NAME, "staging"),
                    entry(ExtraKeys.AUTOMATION_ID, "777"),
                    entry(ExtraKeys.AUTOMATION_NAME, "my-awesome-automation"),
                    entry(ExtraKeys.CHANNEL_NAME, "threeve"),
                    entry(ExtraKeys.CHANNEL_ID, "24464de6-6684-46f4-831b-f66c379db096"),
                    entry(ExtraKeys.APP_SLUG, "awesomeapp"),
                    entry(ExtraKeys.REF_TYPE, "branch"),
                    entry(ExtraKeys.BEFORE_SHA, "5161d6d939409f94d33c8cc549c4c89a861d0042"),
                    entry(ExtraKeys.CREATED_AT, "2018-08-24T14:49:01.462549Z"),
                    entry(ExtraKeys.STARTED_AT, "2018-08-24T14:49:08.556804Z"),
                    entry(ExtraKeys.FINISHED_AT, "2018-08-24T14:56:45.986317Z"));
            assertThat(event.getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.NOT_APPLICABLE);
        }
    }

    @Nested
    class Quirks {

        @Test
        void malformedZuluPlusOffsetFromIonicsDocsIsRead() {
            DeliveryEvent event = json("""
                    {"id":"b1","state":"failed","finished":"2018-02-13T20:35:46.486541Z+00:00",
                    "started":"2018-02-13T20:30:00.1Z+00:00"}""");

            assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2018-02-13T20:35:46.486Z"));
            assertThat(event.getOccurredAtEstimated()).isFalse();
            assertThat(event.getExtras()).containsEntry(ExtraKeys.STARTED_AT, "2018-02-13T20:30:00.100Z");
        }

        @Test
        void explicitNonUtcOffsetIsHonoured() {
            DeliveryEvent event = json("{\"id\":\"b1\",\"state\":\"success\",\"finished\":\"2018-08-24T16:56:45.986317+02:00\"}");

            assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2018-08-24T14:56:45.986Z"));
        }

        @Test
        void missingFinishedUsesReceiveTime() {
            DeliveryEvent event = json("{\"id\":\"b1\",\"state\":\"canceled\",\"finished\":null}");

            assertThat(event.getOccurredAt()).isEqualTo(RECEIVED_AT);
            assertThat(event.getOccurredAtEstimated()).isTrue();
            assertThat(event.getEventType()).isEqualTo("build");
        }

        @Test
        void stateFallsBackToBuildInfo() {
            DeliveryEvent event = json("{\"id\":\"b1\",\"buildInfo\":{\"id\":5,\"state\":\"failed\",\"job_type\":\"package-ios\"}}");

            assertThat(event.getEventId()).isEqualTo("b1:failed");
            assertThat(event.getNewState()).isEqualTo("failed");
            assertThat(event.getEventType()).isEqualTo("package");
            assertThat(event.getPlatform()).isEqualTo(Platform.IOS);
        }

        @Test
        void buildInfoIdIsTheEntityWhenTheTopLevelIdIsMissing() {
            DeliveryEvent event = json("{\"state\":\"success\",\"buildInfo\":{\"id\":101,\"job_type\":\"snapshot\"}}");

            assertThat(event.getEntityKey()).isEqualTo("appflow:build:101");
            assertThat(event.getEventId()).isEqualTo("101:success");
        }

        @Test
        void artifactUrlsAreNotKeptButTheirTypesAre() {
            DeliveryEvent event = json("""
                    {"id":"b1","state":"success","downloadUrl":"https://signed.example/dl?token=abc",
                    "artifacts":[{"url":"https://signed.example/a.aab?token=abc","name":"a.aab","artifactType":"AAB"},
                    {"url":"https://signed.example/a.apk?token=abc","name":"a.apk","artifactType":"APK"}]}""");

            assertThat(event.getEventType()).isEqualTo("package");
            assertThat(event.getExtras()).containsEntry(ExtraKeys.ARTIFACT_TYPES, "AAB,APK");
            assertThat(event.getLinks().getArtifact()).isNull();
            assertThat(event.toString()).doesNotContain("token=abc");
        }
    }

    @Nested
    class Unparseable {

        @Test
        void missingId() {
            assertThat(reason("{\"state\":\"success\"}")).isEqualTo("missing id");
        }

        @Test
        void missingState() {
            assertThat(reason("{\"id\":\"b1\"}")).isEqualTo("missing state");
        }

        @Test
        void malformedEmptyAndArrayBodies() {
            assertThat(reason("{\"id\"")).isEqualTo("body is not valid JSON");
            assertThat(reason("")).isEqualTo("body is empty");
            assertThat(reason("[1]")).isEqualTo("body is not a JSON object");
        }
    }
}
