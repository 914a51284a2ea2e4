package dev.shipstream.streams.e2e;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import java.util.Comparator;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * WireMock standing in for the App Store Connect API on 127.0.0.1, answering the exact requests {@code
 * AppStoreConnectClient} makes with the seed article's responses ({@code src/test/resources/asc-api/}) or with the
 * failures a test scripts. Unmatched requests get WireMock's 404. Public for {@code bench/streams.sh}, whose
 * enrichment variant it serves.
 */
public final class FakeAppStoreConnect implements AutoCloseable {

    /** The quota header Apple sends with every answer: plenty left, so the budget never holds back for it. */
    static final String RATE_LIMIT = "user-hour-lim:3500;user-hour-rem:3499;";

    private final WireMockServer server;

    /** Starts the fake on a free port of 127.0.0.1. */
    public FakeAppStoreConnect() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
    }

    /** The base URL to configure as {@code SHIPSTREAM_ASC_API_URL}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** A lookup the client makes: the path and its {@code include} query. */
    record Lookup(String path, String include) {

        /** {@code GET /v1/appStoreVersions/{id}?include=app,build}. */
        static Lookup appStoreVersion(String id) {
            return new Lookup("/v1/appStoreVersions/" + id, "app,build");
        }

        /** {@code GET /v1/buildUploads/{id}?include=build}. */
        static Lookup buildUpload(String id) {
            return new Lookup("/v1/buildUploads/" + id, "build");
        }

        MappingBuilder mapping() {
            return get(urlPathEqualTo(path)).withQueryParam("include", equalTo(include));
        }
    }

    /** Answers {@code lookup} with {@code response}, every time. */
    StubMapping answer(Lookup lookup, ResponseDefinitionBuilder response) {
        return server.stubFor(lookup.mapping().willReturn(response));
    }

    /**
     * Answers every {@code GET /v1/appStoreVersions/{id}?include=app,build}, whatever the id, with {@code response}.
     */
    public void answerEveryAppStoreVersion(ResponseDefinitionBuilder response) {
        server.stubFor(get(urlPathMatching("/v1/appStoreVersions/[^/]+"))
                .withQueryParam("include", equalTo("app,build"))
                .willReturn(response));
    }

    /**
     * Answers {@code lookup} with the responses in turn, one per request, the last one from then on (a WireMock
     * scenario per lookup).
     */
    void answerInTurn(Lookup lookup, ResponseDefinitionBuilder... responses) {
        String scenario = lookup.path();
        for (int i = 0; i < responses.length; i++) {
            String state = i == 0 ? Scenario.STARTED : "answer-" + i;
            ScenarioMappingBuilder mapping = lookup.mapping().inScenario(scenario).whenScenarioStateIs(state)
                    .willReturn(responses[i]);
            if (i + 1 < responses.length) {
                mapping = mapping.willSetStateTo("answer-" + (i + 1));
            }
            server.stubFor(mapping);
        }
    }

    /** Stops answering with {@code stub}. */
    void remove(StubMapping stub) {
        server.removeStub(stub);
    }

    /** The requests received for {@code lookup}, oldest first. */
    List<LoggedRequest> requests(Lookup lookup) {
        return server.findAll(getRequestedFor(urlPathEqualTo(lookup.path()))).stream()
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate))
                .toList();
    }

    /** How many requests of any kind reached the fake. */
    public int requestCount() {
        return server.getAllServeEvents().size();
    }

    /** 200 with {@code asc-api/<fixture>} and the quota header. */
    public static ResponseDefinitionBuilder ok(String fixture) {
        return json(200, "/asc-api/" + fixture).withHeader("X-Rate-Limit", RATE_LIMIT);
    }

    /** 429 in Apple's format, with {@code Retry-After} in seconds when it is not null. */
    static ResponseDefinitionBuilder rateLimited(Integer retryAfterSeconds) {
        // No X-Rate-Limit: the 429 must back off by itself, "also when quota seems left" (issue 4).
        ResponseDefinitionBuilder response = json(429, "/asc-api/error-429.json");
        return retryAfterSeconds == null ? response
                : response.withHeader("Retry-After", Integer.toString(retryAfterSeconds));
    }

    /** 500 in Apple's error format. */
    static ResponseDefinitionBuilder serverError() {
        return json(500, "/e2e/error-500.json");
    }

    private static ResponseDefinitionBuilder json(int status, String resource) {
        return aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody(Webhooks.resource(resource));
    }

    @Override
    public void close() {
        server.stop();
    }
}
