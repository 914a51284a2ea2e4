package dev.shipstream.streams.normalize;

import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.EnrichmentStatus;
import dev.shipstream.schemas.EventCategory;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NormalizersTest {

    private final Normalizers normalizers = new Normalizers();

    @Test
    void dispatchesBySource() {
        assertThat(Payloads.event(Source.APP_STORE_CONNECT, "asc/webhookPingCreated-article.json").getSource())
                .isEqualTo(Source.APP_STORE_CONNECT);
        assertThat(Payloads.event(Source.EAS, "eas/build-errored.json").getSource()).isEqualTo(Source.EAS);
        assertThat(Payloads.event(Source.APPFLOW, "appflow/package-success.json").getSource())
                .isEqualTo(Source.APPFLOW);
    }

    @Test
    void aPayloadOnTheWrongRouteIsUnparseableNotMisread() {
        byte[] eas = Payloads.bytes("eas/build-errored.json");

        assertThat(Payloads.reasonOf(Payloads.normalize(Source.APP_STORE_CONNECT, eas))).isEqualTo("missing data");
    }

    @Test
    void unknownSourceIsUnparseable() {
        assertThat(Payloads.reasonOf(normalizers.normalize(Payloads.raw(Source.UNKNOWN, "{}"))))
                .isEqualTo("source UNKNOWN is not supported");
    }

    @Test
    void missingWebhookOrPartsAreUnparseable() {
        RawWebhook noBody = Payloads.raw(Source.EAS, "{}");
        noBody.setBody(null);
        RawWebhook noReceivedAt = Payloads.raw(Source.APP_STORE_CONNECT,
                "{\"data\":{\"type\":\"webhookPingCreated\",\"id\":\"p\"}}");
        // The generated setter refuses null; a record built by hand or by a careless decoder may still hold one.
        noReceivedAt.put("receivedAt", null);
        RawWebhook noSource = Payloads.raw(Source.EAS, "{}");
        noSource.setSource(null);

        assertThat(Payloads.reasonOf(normalizers.normalize(null))).isEqualTo("webhook is missing");
        assertThat(Payloads.reasonOf(normalizers.normalize(noBody))).isEqualTo("body is missing");
        assertThat(Payloads.reasonOf(normalizers.normalize(noReceivedAt))).isEqualTo("receivedAt is missing");
        assertThat(Payloads.reasonOf(normalizers.normalize(noSource))).isEqualTo("source is missing");
    }

    @Test
    void aThrowingNormaliserIsContained() {
        Normalizer broken = raw -> {
            throw new IllegalStateException("boom with payload text");
        };
        Normalizers withBroken = new Normalizers(broken, broken, broken);

        assertThat(Payloads.reasonOf(withBroken.normalize(Payloads.raw(Source.EAS, "{}"))))
                .isEqualTo("normaliser failed: java.lang.IllegalStateException");
    }

    @Test
    void readingTheBodyLeavesTheBufferPositionAlone() {
        RawWebhook raw = Payloads.raw(Source.APP_STORE_CONNECT, Payloads.bytes("asc/webhookPingCreated-article.json"));
        ByteBuffer body = raw.getBody();
        int before = body.position();

        normalizers.normalize(raw);

        assertThat(body.position()).isEqualTo(before);
        assertThat(normalizers.normalize(raw)).isEqualTo(normalizers.normalize(raw));
    }

    @Test
    void enrichmentIsPendingExactlyForTheEventsTheEnricherLooksUp() {
        Map<String, EnrichmentStatus> expected = Map.of(
                "asc/appStoreVersionAppVersionStateUpdated-in-review.json", EnrichmentStatus.PENDING,
                "asc/buildUploadStateUpdated-failed.json", EnrichmentStatus.PENDING,
                "asc/buildBetaDetailExternalBuildStateUpdated-beta-approved.json", EnrichmentStatus.PENDING,
                "asc/betaFeedbackCrashSubmissionCreated.json", EnrichmentStatus.PENDING,
                "asc/backgroundAssetVersionStateUpdated-failed.json", EnrichmentStatus.NOT_APPLICABLE,
                "asc/alternativeDistributionPackageAvailableUpdated.json", EnrichmentStatus.NOT_APPLICABLE,
                "asc/webhookPingCreated-community.json", EnrichmentStatus.NOT_APPLICABLE);
        expected.forEach((path, status) -> {
            DeliveryEvent event = Payloads.event(Source.APP_STORE_CONNECT, path);

            assertThat(event.getEnrichment().getStatus()).as(path).isEqualTo(status);
            assertThat(Normalizers.needsEnrichment(event)).as(path).isEqualTo(status == EnrichmentStatus.PENDING);
        });
    }

    @ParameterizedTest
    @EnumSource(EventCategory.class)
    void onlyAppStoreConnectEventsAreEverEnriched(EventCategory category) {
        assertThat(Normalizers.needsEnrichment(Source.EAS, category)).isFalse();
        assertThat(Normalizers.needsEnrichment(Source.APPFLOW, category)).isFalse();
        assertThat(Normalizers.needsEnrichment(Source.UNKNOWN, category)).isFalse();
    }

    @Test
    void everyFixtureBecomesAnEventThatSurvivesAnAvroRoundTrip() throws Exception {
        for (Map.Entry<String, Source> fixture : Payloads.all().entrySet()) {
            DeliveryEvent event = Payloads.event(fixture.getValue(), fixture.getKey());

            ByteBuffer encoded = DeliveryEvent.getEncoder().encode(event);

            assertThat(DeliveryEvent.getDecoder().decode(encoded)).as(fixture.getKey()).isEqualTo(event);
        }
    }

    @Test
    void noEventNeedsNoEnrichment() {
        assertThat(Normalizers.needsEnrichment((DeliveryEvent) null)).isFalse();
    }
}
