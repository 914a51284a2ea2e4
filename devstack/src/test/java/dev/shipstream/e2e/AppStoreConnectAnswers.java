package dev.shipstream.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

/**
 * What the App Store Connect API stub answers to the lookups the streams app's enrichment makes for a webhook's
 * linked resource, from the fixtures in {@code src/test/resources/e2e/asc-api/} (see the README there). The webhook
 * carries no reason, no version and no tester comment: these answers are where they come from.
 */
final class AppStoreConnectAnswers {

    /** The quota header Apple sends with every answer: plenty left, so the enrichment never holds back for it. */
    private static final String RATE_LIMIT = "user-hour-lim:3500;user-hour-rem:3499;";

    private AppStoreConnectAnswers() {
    }

    /** {@code GET /v1/buildUploads/{id}?include=build} answers with {@code fixture}. */
    static void buildUpload(WireMockServer api, String uploadId, String fixture) {
        api.stubFor(get(urlPathEqualTo("/v1/buildUploads/" + uploadId)).withQueryParam("include", equalTo("build"))
                .willReturn(ok(fixture)));
    }

    /** {@code GET /v1/appStoreVersions/{id}?include=app,build} answers with the version 1.101.0 of the fixture. */
    static void appStoreVersion(WireMockServer api, String versionId) {
        api.stubFor(get(urlPathEqualTo("/v1/appStoreVersions/" + versionId))
                .withQueryParam("include", equalTo("app,build"))
                .willReturn(ok("app-store-version-with-app-and-build.json")));
    }

    /** The crash submission (tester, device, comment) and its crash log. */
    static void crashFeedback(WireMockServer api, String submissionId) {
        String path = "/v1/betaFeedbackCrashSubmissions/" + submissionId;
        api.stubFor(get(urlPathEqualTo(path)).withQueryParam("include", equalTo("build,tester"))
                .willReturn(ok("beta-feedback-crash-submission.json")));
        api.stubFor(get(urlPathEqualTo(path + "/crashLog")).willReturn(ok("crash-log.json")));
    }

    private static ResponseDefinitionBuilder ok(String fixture) {
        String resource = "/e2e/asc-api/" + fixture;
        try (InputStream in = AppStoreConnectAnswers.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing");
            }
            return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                    .withHeader("X-Rate-Limit", RATE_LIMIT).withBody(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
