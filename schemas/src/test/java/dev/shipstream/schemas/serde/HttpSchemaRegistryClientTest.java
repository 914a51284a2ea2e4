package dev.shipstream.schemas.serde;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okForContentType;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HttpSchemaRegistryClientTest {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String SCHEMA = TestSchemas.parse(TestSchemas.PING_V1).toString();
    private static final String SCHEMA_BODY = "{\"schema\": " + quoted(SCHEMA) + "}";

    @RegisterExtension
    static WireMockExtension registry = WireMockExtension.newInstance()
            .options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort())
            .build();

    private HttpSchemaRegistryClient client;

    @BeforeEach
    void startClient() {
        client = client(registry.baseUrl(), 2, Duration.ofSeconds(5));
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    private static HttpSchemaRegistryClient client(String url, int maxRetries, Duration requestTimeout) {
        return new HttpSchemaRegistryClient(List.of(url), new HttpSchemaRegistryClient.Options(
                Duration.ofSeconds(2), requestTimeout, maxRetries, Duration.ofMillis(10), Duration.ofMillis(40)));
    }

    @Test
    void registersWithThePathBodyAndMediaTypeOfTheRestApi() {
        registry.stubFor(post("/subjects/orders-value/versions").willReturn(json("{\"id\": 7}")));

        assertThat(client.register("orders-value", SCHEMA)).isEqualTo(7);

        registry.verify(postRequestedFor(urlEqualTo("/subjects/orders-value/versions"))
                .withHeader("Content-Type", equalTo(CONTENT_TYPE))
                .withHeader("Accept", equalTo(CONTENT_TYPE
                        + ", application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5"))
                .withRequestBody(equalToJson(SCHEMA_BODY)));
    }

    @Test
    void percentEncodesTheSubjectAsOnePathSegment() {
        registry.stubFor(post(urlEqualTo("/subjects/my%20orders%2Bv2%3Aa%C3%A9-value/versions"))
                .willReturn(json("{\"id\": 3}")));

        assertThat(client.register("my orders+v2:aé-value", SCHEMA)).isEqualTo(3);
        assertThat(HttpSchemaRegistryClient.segment("a/b*c~d.e_f-g")).isEqualTo("a%2Fb%2Ac~d.e_f-g");
    }

    @Test
    void looksUpASchemaUnderASubject() {
        registry.stubFor(post("/subjects/orders-value").willReturn(json(
                "{\"subject\": \"orders-value\", \"version\": 2, \"id\": 9, \"schema\": " + quoted(SCHEMA) + "}")));

        assertThat(client.lookup("orders-value", SCHEMA))
                .isEqualTo(new RegisteredSchema("orders-value", 2, 9, SCHEMA));
        registry.verify(postRequestedFor(urlEqualTo("/subjects/orders-value"))
                .withRequestBody(equalToJson(SCHEMA_BODY)));
    }

    @Test
    void fetchesASchemaById() {
        registry.stubFor(get("/schemas/ids/9").willReturn(json("{\"schema\": " + quoted(SCHEMA) + "}")));

        assertThat(client.schemaById(9)).isEqualTo(SCHEMA);
    }

    @Test
    void fetchesTheLatestAndANumberedVersion() {
        String answer = "{\"subject\": \"orders-value\", \"version\": %d, \"id\": %d, \"schema\": " + quoted(SCHEMA)
                + "}";
        registry.stubFor(get("/subjects/orders-value/versions/latest").willReturn(json(answer.formatted(3, 12))));
        registry.stubFor(get("/subjects/orders-value/versions/1").willReturn(json(answer.formatted(1, 4))));

        assertThat(client.latest("orders-value")).isEqualTo(new RegisteredSchema("orders-value", 3, 12, SCHEMA));
        assertThat(client.version("orders-value", 1)).isEqualTo(new RegisteredSchema("orders-value", 1, 4, SCHEMA));
    }

    @Test
    void listsVersionsAndSubjects() {
        registry.stubFor(get("/subjects/orders-value/versions").willReturn(json("[2, 1, 3]")));
        registry.stubFor(get("/subjects").willReturn(json("[\"a-value\", \"b-key\"]")));

        assertThat(client.versions("orders-value")).containsExactly(1, 2, 3);
        assertThat(client.subjects()).containsExactly("a-value", "b-key");
    }

    @Test
    void checksCompatibilityAgainstTheLatestVersion() {
        registry.stubFor(post("/compatibility/subjects/orders-value/versions/latest")
                .willReturn(json("{\"is_compatible\": false}")));
        registry.stubFor(post("/compatibility/subjects/new-value/versions/latest").willReturn(
                error(404, 40401, "Subject 'new-value' not found.")));

        assertThat(client.isCompatible("orders-value", SCHEMA)).isFalse();
        assertThat(client.isCompatible("new-value", SCHEMA)).isTrue();
        registry.verify(postRequestedFor(urlEqualTo("/compatibility/subjects/orders-value/versions/latest"))
                .withRequestBody(equalToJson(SCHEMA_BODY)));
    }

    @Test
    void readsTheSubjectLevelAndFallsBackToTheGlobalOne() {
        registry.stubFor(get("/config/orders-value").willReturn(json("{\"compatibilityLevel\": \"FULL\"}")));
        registry.stubFor(get("/config/other-value").willReturn(
                error(404, 40408, "Subject 'other-value' does not have subject-level compatibility configured")));
        registry.stubFor(get("/config").willReturn(json("{\"compatibilityLevel\": \"FORWARD_TRANSITIVE\"}")));

        assertThat(client.compatibility("orders-value")).isEqualTo(CompatibilityLevel.FULL);
        assertThat(client.compatibility("other-value")).isEqualTo(CompatibilityLevel.FORWARD_TRANSITIVE);
        assertThat(client.globalCompatibility()).isEqualTo(CompatibilityLevel.FORWARD_TRANSITIVE);
    }

    @Test
    void setsSubjectAndGlobalLevels() {
        registry.stubFor(put("/config/orders-value").willReturn(json("{\"compatibility\": \"FULL\"}")));
        registry.stubFor(put("/config").willReturn(json("{\"compatibility\": \"NONE\"}")));

        client.setCompatibility("orders-value", CompatibilityLevel.FULL);
        client.setGlobalCompatibility(CompatibilityLevel.NONE);

        registry.verify(putRequestedFor(urlEqualTo("/config/orders-value"))
                .withHeader("Content-Type", equalTo(CONTENT_TYPE))
                .withRequestBody(equalToJson("{\"compatibility\": \"FULL\"}")));
        registry.verify(putRequestedFor(urlEqualTo("/config"))
                .withRequestBody(equalToJson("{\"compatibility\": \"NONE\"}")));
    }

    @Test
    void parsesConfluentErrorBodies() {
        registry.stubFor(get("/subjects/missing-value/versions/latest")
                .willReturn(error(404, 40401, "Subject 'missing-value' not found.")));
        registry.stubFor(post("/subjects/orders-value/versions").willReturn(error(409, 409,
                "Schema being registered is incompatible with an earlier schema for subject \"orders-value\"")));
        registry.stubFor(post("/subjects/bad-value/versions").willReturn(error(422, 42201, "Invalid schema")));

        assertRegistryError(() -> client.latest("missing-value"), 404, 40401,
                "Schema registry at " + registry.baseUrl() + " answered 404 (error code 40401) to "
                        + "GET /subjects/missing-value/versions/latest: Subject 'missing-value' not found.");
        assertRegistryError(() -> client.register("orders-value", SCHEMA), 409, 409,
                "Schema registry at " + registry.baseUrl() + " answered 409 (error code 409) to "
                        + "POST /subjects/orders-value/versions: Schema being registered is incompatible with an "
                        + "earlier schema for subject \"orders-value\"");
        assertRegistryError(() -> client.register("bad-value", SCHEMA), 422, 42201,
                "Schema registry at " + registry.baseUrl() + " answered 422 (error code 42201) to "
                        + "POST /subjects/bad-value/versions: Invalid schema");
    }

    @Test
    void keepsABodyThatIsNotConfluentsInTheMessage() {
        registry.stubFor(get("/schemas/ids/1").willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "text/html").withBody("<html>no registry here</html>")));

        assertRegistryError(() -> client.schemaById(1), 404, -1, "Schema registry at " + registry.baseUrl()
                + " answered 404 to GET /schemas/ids/1: <html>no registry here</html>");
    }

    @Test
    void retriesA5xxAnswerAndSucceeds() {
        registry.stubFor(onFirstCall(post("/subjects/orders-value/versions"))
                .willReturn(error(500, 50001, "Error in the backend data store")));
        registry.stubFor(onSecondCall(post("/subjects/orders-value/versions")).willReturn(json("{\"id\": 5}")));

        assertThat(client.register("orders-value", SCHEMA)).isEqualTo(5);
        registry.verify(2, postRequestedFor(urlEqualTo("/subjects/orders-value/versions")));
    }

    @Test
    void givesUpOn5xxAfterTheLastRetry() {
        registry.stubFor(get("/schemas/ids/1").willReturn(error(503, 50003, "Error while forwarding the request")));

        assertRegistryError(() -> client.schemaById(1), 503, 50003, "Schema registry at " + registry.baseUrl()
                + " answered 503 (error code 50003) to GET /schemas/ids/1: Error while forwarding the request"
                + " (after 3 attempts)");
        registry.verify(3, getRequestedFor(urlEqualTo("/schemas/ids/1")));
    }

    @Test
    void neverRetriesA4xxAnswerOtherThan429() {
        registry.stubFor(get("/schemas/ids/1").willReturn(error(404, 40403, "Schema 1 not found")));
        registry.stubFor(post("/subjects/bad-value/versions").willReturn(error(422, 42201, "Invalid schema")));

        assertThatThrownBy(() -> client.schemaById(1)).isInstanceOf(SchemaRegistryException.class);
        assertThatThrownBy(() -> client.register("bad-value", SCHEMA)).isInstanceOf(SchemaRegistryException.class);

        registry.verify(1, getRequestedFor(urlEqualTo("/schemas/ids/1")));
        registry.verify(1, postRequestedFor(urlEqualTo("/subjects/bad-value/versions")));
    }

    @Test
    void retriesA429AnswerLikeA5xx() {
        registry.stubFor(onFirstCall(get("/schemas/ids/2")).willReturn(error(429, 42901, "Too many requests")));
        registry.stubFor(onSecondCall(get("/schemas/ids/2")).willReturn(json("{\"schema\": \"\\\"int\\\"\"}")));

        assertThat(client.schemaById(2)).isEqualTo("\"int\"");
        registry.verify(2, getRequestedFor(urlEqualTo("/schemas/ids/2")));
    }

    @Test
    void tellsAnUnavailableRegistryFromAnUnknownOrRefusedSchema() throws IOException {
        registry.stubFor(get("/schemas/ids/1").willReturn(error(503, 50003, "Error while forwarding the request")));
        registry.stubFor(get("/schemas/ids/2").willReturn(error(429, 42901, "Too many requests")));
        registry.stubFor(get("/schemas/ids/3").willReturn(json("{\"schema\": \"\\\"int\\\"\"}")
                .withFixedDelay(3_000)));
        registry.stubFor(get("/schemas/ids/4").willReturn(error(404, 40403, "Schema 4 not found")));
        registry.stubFor(post("/subjects/bad-value/versions").willReturn(error(422, 42201, "Invalid schema")));
        registry.stubFor(post("/subjects/orders-value/versions").willReturn(error(409, 409, "Incompatible")));

        try (HttpSchemaRegistryClient impatient = client(registry.baseUrl(), 1, Duration.ofMillis(300));
             HttpSchemaRegistryClient unreachable = client("http://127.0.0.1:" + closedPort(), 1,
                     Duration.ofSeconds(2))) {
            assertUnavailable(() -> client.schemaById(1), 503);
            assertUnavailable(() -> client.schemaById(2), 429);
            assertUnavailable(() -> impatient.schemaById(3), -1);
            assertUnavailable(() -> unreachable.schemaById(1), -1);

            assertPermanent(() -> client.schemaById(4), 404);
            assertPermanent(() -> client.register("bad-value", SCHEMA), 422);
            assertPermanent(() -> client.register("orders-value", SCHEMA), 409);
        }
    }

    private static void assertUnavailable(Runnable call, int status) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(SchemaRegistryUnavailableException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(status);
            assertThat(e.isTransient()).isTrue();
            assertThat(SchemaRegistryUnavailableException.findIn(
                    new RuntimeException("wrapped", new RuntimeException("twice", e)))).contains(e);
        });
    }

    private static void assertPermanent(Runnable call, int status) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
            assertThat(e).isNotInstanceOf(SchemaRegistryUnavailableException.class);
            assertThat(e.httpStatus()).isEqualTo(status);
            assertThat(e.isTransient()).isFalse();
            assertThat(SchemaRegistryUnavailableException.findIn(new RuntimeException("wrapped", e))).isEmpty();
        });
    }

    @Test
    void failsARequestThatExceedsTheRequestTimeoutWithoutRetrying() {
        registry.stubFor(get("/schemas/ids/1").willReturn(json("{\"schema\": \"\\\"int\\\"\"}")
                .withFixedDelay(3_000)));
        try (HttpSchemaRegistryClient impatient = client(registry.baseUrl(), 2, Duration.ofMillis(300))) {
            long start = System.nanoTime();

            assertThatThrownBy(() -> impatient.schemaById(1))
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                        assertThat(e.isUnreachable()).isTrue();
                        assertThat(e.isTransient()).isTrue();
                    })
                    .hasMessage("Schema registry at " + registry.baseUrl() + " did not answer GET /schemas/ids/1 "
                            + "within the request timeout of 300 ms");

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_500));
            registry.verify(1, getRequestedFor(urlEqualTo("/schemas/ids/1")));
        }
    }

    @Test
    void reportsAnUnreachableRegistryAfterRetryingTheConnection() throws IOException {
        String closed = "http://127.0.0.1:" + closedPort();
        try (HttpSchemaRegistryClient unreachable = client(closed, 2, Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> unreachable.subjects())
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                        assertThat(e.isUnreachable()).isTrue();
                        assertThat(e.getCause()).isInstanceOf(java.net.ConnectException.class);
                    })
                    .hasMessageStartingWith("Schema registry unreachable: GET /subjects failed 3 times, last at "
                            + closed + " (could not connect: java.net.ConnectException");
        }
    }

    @Test
    void failsOverToTheNextUrl() throws IOException {
        registry.stubFor(get("/subjects").willReturn(json("[\"a-value\"]")));
        String closed = "http://127.0.0.1:" + closedPort();
        try (HttpSchemaRegistryClient twoUrls = new HttpSchemaRegistryClient(List.of(closed, registry.baseUrl()),
                new HttpSchemaRegistryClient.Options(Duration.ofSeconds(2), Duration.ofSeconds(2), 1,
                        Duration.ZERO, Duration.ZERO))) {
            assertThat(twoUrls.subjects()).containsExactly("a-value");
            assertThat(twoUrls.subjects()).containsExactly("a-value");
        }
        registry.verify(2, getRequestedFor(urlEqualTo("/subjects")));
    }

    @Test
    void keepsThePathOfTheBaseUrl() {
        registry.stubFor(get("/registry/subjects").willReturn(json("[]")));
        try (HttpSchemaRegistryClient prefixed = client(registry.baseUrl() + "/registry/", 0, Duration.ofSeconds(2))) {
            assertThat(prefixed.subjects()).isEmpty();
        }
    }

    @Test
    void rejectsAnAnswerWithoutTheExpectedFields() {
        registry.stubFor(post("/subjects/orders-value/versions").willReturn(json("{\"identifier\": 7}")));

        assertThatThrownBy(() -> client.register("orders-value", SCHEMA))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessage("Unexpected schema registry answer to POST /subjects/{subject}/versions: "
                        + "no integer 'id' in {\"identifier\":7}");
    }

    private static MappingBuilder onFirstCall(MappingBuilder mapping) {
        return mapping.inScenario("retry").whenScenarioStateIs(STARTED).willSetStateTo("failed once");
    }

    private static MappingBuilder onSecondCall(MappingBuilder mapping) {
        return mapping.inScenario("retry").whenScenarioStateIs("failed once");
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return okForContentType(CONTENT_TYPE, body);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder error(int status, int code,
                                                                                          String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", CONTENT_TYPE)
                .withBody("{\"error_code\": " + code + ", \"message\": " + quoted(message) + "}");
    }

    private static void assertRegistryError(Runnable call, int status, int code, String message) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(status);
                    assertThat(e.errorCode()).isEqualTo(code);
                })
                .hasMessage(message);
    }

    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
