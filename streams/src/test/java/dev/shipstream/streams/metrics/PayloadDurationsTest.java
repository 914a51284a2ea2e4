package dev.shipstream.streams.metrics;

import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.Source;
import dev.shipstream.streams.normalize.ExtraKeys;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class PayloadDurationsTest {

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void easBuildFromExposDocsHasQueueAndBuildTime() {
        DeliveryEvent event = MetricFixtures.event(Source.EAS, "eas/build-errored.json");

        List<Measurement> measurements = PayloadDurations.of(event);

        String app = "bc0a82de-65a5-4497-ad86-54ff1f53edf7";
        long completed = at("2021-11-24T09:57:42.715Z");
        assertThat(measurements).containsExactly(
                new Measurement(MetricName.EAS_BUILD_QUEUE, app, "ANDROID", completed,
                        at("2021-11-24T09:54:11.155Z") - at("2021-11-24T09:53:01.155Z"), "errored"),
                new Measurement(MetricName.EAS_BUILD_TIME, app, "ANDROID", completed,
                        completed - at("2021-11-24T09:54:11.155Z"), "errored"));
    }

    @Test
    void easSubmissionFromExposDocsRunsFromCreationToCompletion() {
        DeliveryEvent event = MetricFixtures.event(Source.EAS, "eas/submit-errored.json");

        assertThat(PayloadDurations.of(event)).containsExactly(
                new Measurement(MetricName.EAS_SUBMISSION_TIME, "23c0e405-d282-4399-b280-5689c3e1ea85", "ANDROID",
                        at("2021-11-24T10:17:32.822Z"), 120_000L, "errored"));
    }

    @Test
    void appflowPackageBuildRunsFromStartToFinishInMilliseconds() {
        DeliveryEvent event = MetricFixtures.event(Source.APPFLOW, "appflow/package-success.json");

        assertThat(PayloadDurations.of(event)).containsExactly(
                new Measurement(MetricName.APPFLOW_BUILD_TIME, "abcd1234", "ANDROID",
                        at("2018-08-24T14:56:45.986Z"),
                        at("2018-08-24T14:56:45.986Z") - at("2018-08-24T14:49:08.556Z"), "success"));
    }

    @Test
    void missingStartCountsTheOutcomeWithoutADuration() {
        DeliveryEvent event = MetricFixtures.event(Source.EAS, "eas/build-errored.json");
        Map<String, String> extras = new HashMap<>(event.getExtras());
        extras.remove(ExtraKeys.STARTED_AT);
        event.setExtras(extras);

        assertThat(PayloadDurations.of(event))
                .extracting(Measurement::metric, Measurement::durationMs, Measurement::outcome)
                .containsExactly(
                        tuple(MetricName.EAS_BUILD_QUEUE, null, "errored"),
                        tuple(MetricName.EAS_BUILD_TIME, null, "errored"));
    }

    @Test
    void endBeforeStartIsNotMeasured() {
        DeliveryEvent event = MetricFixtures.event(Source.EAS, "eas/submit-errored.json");
        Map<String, String> extras = new HashMap<>(event.getExtras());
        extras.put(ExtraKeys.CREATED_AT, "2021-11-24T11:00:00Z");
        event.setExtras(extras);

        assertThat(PayloadDurations.of(event)).singleElement()
                .satisfies(m -> assertThat(m.durationMs()).isNull());
    }

    @Test
    void appStoreConnectEventsHaveNoPayloadDurations() {
        DeliveryEvent event = MetricFixtures.event(Source.APP_STORE_CONNECT,
                "asc/buildUploadStateUpdated-complete.json");

        assertThat(PayloadDurations.of(event)).isEmpty();
    }
}
