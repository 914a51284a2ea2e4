package dev.shipstream.streams.normalize;

import dev.shipstream.schemas.AuthScheme;
import dev.shipstream.schemas.Authentication;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Source;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Test fixtures: the payloads under {@code src/test/resources/payloads} wrapped as the ingress would publish them. */
final class Payloads {

    static final Instant RECEIVED_AT = Instant.parse("2026-01-02T03:04:05.678Z");
    static final String REQUEST_ID = "req-7f3a";

    static final List<String> ASC = List.of(
            "asc/alternativeDistributionPackageAvailableUpdated.json",
            "asc/alternativeDistributionPackageVersionCreated.json",
            "asc/alternativeDistributionTerritoryAvailabilityUpdated.json",
            "asc/appStoreVersionAppVersionStateUpdated-apple-doc.json",
            "asc/appStoreVersionAppVersionStateUpdated-developer-rejected.json",
            "asc/appStoreVersionAppVersionStateUpdated-in-review.json",
            "asc/appStoreVersionAppVersionStateUpdated-pending-developer-release.json",
            "asc/appStoreVersionAppVersionStateUpdated-prepare-for-submission.json",
            "asc/appStoreVersionAppVersionStateUpdated-ready-for-distribution.json",
            "asc/appStoreVersionAppVersionStateUpdated-ready-for-review.json",
            "asc/appStoreVersionAppVersionStateUpdated-waiting-for-review.json",
            "asc/backgroundAssetVersionAppStoreReleaseStateUpdated-relative-link.json",
            "asc/backgroundAssetVersionExternalBetaReleaseStateUpdated-rejected.json",
            "asc/backgroundAssetVersionInternalBetaReleaseCreated.json",
            "asc/backgroundAssetVersionStateUpdated-failed.json",
            "asc/betaFeedbackCrashSubmissionCreated.json",
            "asc/betaFeedbackScreenshotSubmissionCreated.json",
            "asc/buildBetaDetailExternalBuildStateUpdated-beta-approved.json",
            "asc/buildUploadStateUpdated-apple-doc.json",
            "asc/buildUploadStateUpdated-complete.json",
            "asc/buildUploadStateUpdated-failed.json",
            "asc/webhookPingCreated-article.json",
            "asc/webhookPingCreated-community.json");
    static final List<String> EAS = List.of("eas/build-errored.json", "eas/submit-errored.json");
    static final List<String> APPFLOW = List.of("appflow/package-success.json", "appflow/deploy-success.json");

    private Payloads() {
    }

    /** Every fixture with the source whose route would receive it. */
    static Map<String, Source> all() {
        LinkedHashMap<String, Source> all = new LinkedHashMap<>();
        ASC.forEach(p -> all.put(p, Source.APP_STORE_CONNECT));
        EAS.forEach(p -> all.put(p, Source.EAS));
        APPFLOW.forEach(p -> all.put(p, Source.APPFLOW));
        return all;
    }

    static byte[] bytes(String path) {
        try (InputStream in = Payloads.class.getResourceAsStream("/payloads/" + path)) {
            assertThat(in).as("fixture %s", path).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String path) {
        return new String(bytes(path), StandardCharsets.UTF_8);
    }

    static RawWebhook raw(Source source, byte[] body) {
        return RawWebhook.newBuilder()
                .setSource(source)
                .setEndpointId("default")
                .setReceivedAt(RECEIVED_AT)
                .setRequestId(REQUEST_ID)
                .setBody(ByteBuffer.wrap(body))
                .setAuthentication(new Authentication(AuthScheme.HMAC_SHA256, "s1"))
                .build();
    }

    static RawWebhook raw(Source source, String json) {
        return raw(source, json.getBytes(StandardCharsets.UTF_8));
    }

    static Normalization normalize(Source source, byte[] body) {
        return new Normalizers().normalize(raw(source, body));
    }

    /** Normalises a fixture and insists that it worked. */
    static DeliveryEvent event(Source source, String path) {
        return eventOf(normalize(source, bytes(path)));
    }

    static DeliveryEvent eventOf(Normalization normalization) {
        assertThat(normalization).isInstanceOf(Normalization.Normalized.class);
        return ((Normalization.Normalized) normalization).event();
    }

    static String reasonOf(Normalization normalization) {
        assertThat(normalization).isInstanceOf(Normalization.Unparseable.class);
        return ((Normalization.Unparseable) normalization).reason();
    }
}
