package dev.shipstream.local.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipstream.local.registry.RegistryHttp.Answer;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static dev.shipstream.local.registry.TestSchemas.ID_AS_LONG;
import static dev.shipstream.local.registry.TestSchemas.ORDER_ID;
import static dev.shipstream.local.registry.TestSchemas.ORDER_ID_REFORMATTED;
import static dev.shipstream.local.registry.TestSchemas.WITH_OPTIONAL_NOTE;
import static dev.shipstream.local.registry.TestSchemas.WITH_REQUIRED_AMOUNT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The registry's REST API over HTTP, on an in-memory store. */
class DevSchemaRegistryTest {

    private static Vertx vertx;

    private final List<DevSchemaRegistry> registries = new ArrayList<>();
    private InMemorySchemaStore store;
    private RegistryHttp http;
    private String baseUrl;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void startRegistry() {
        store = new InMemorySchemaStore();
        baseUrl = start(store).baseUrl();
        http = new RegistryHttp(baseUrl);
    }

    @AfterEach
    void closeRegistries() {
        registries.forEach(DevSchemaRegistry::close);
        store.close();
    }

    private DevSchemaRegistry start(SchemaStore schemaStore) {
        return start(DevSchemaRegistry.builder().store(schemaStore));
    }

    private DevSchemaRegistry start(DevSchemaRegistry.Builder builder) {
        DevSchemaRegistry registry = builder.port(0).vertx(vertx).build().start();
        registries.add(registry);
        return registry;
    }

    @Test
    void answersRootWithEmptyObjectInConfluentContentType() {
        Answer answer = http.get("/");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(answer.json().isObject()).isTrue();
        assertThat(answer.json().size()).isZero();
    }

    @Test
    void aDefaultJavaClientsAskToUpgradeToHttp2IsAnsweredOverHttp11() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        assertThat(client.version()).isEqualTo(HttpClient.Version.HTTP_2);

        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/subjects"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }

    @Test
    void listsAvroAsTheOnlySchemaType() {
        assertThat(http.get("/schemas/types").json()).containsExactly(RegistryHttp.JSON.valueToTree("AVRO"));
    }

    @Test
    void givesFirstSchemaIdOneAndVersionOne() {
        assertThat(http.registerOk("orders-value", ORDER_ID)).isEqualTo(1);

        JsonNode version = http.get("/subjects/orders-value/versions/1").json();
        assertThat(version.get("subject").asText()).isEqualTo("orders-value");
        assertThat(version.get("version").asInt()).isEqualTo(1);
        assertThat(version.get("id").asInt()).isEqualTo(1);
        assertThat(version.get("schema").asText()).contains("\"name\":\"Order\"");
    }

    @Test
    void registeringTheSameSchemaAgainReturnsItsIdWithoutNewVersion() {
        int first = http.registerOk("orders-value", ORDER_ID);

        int again = http.registerOk("orders-value", ORDER_ID_REFORMATTED);

        assertThat(again).isEqualTo(first);
        assertThat(http.get("/subjects/orders-value/versions").json()).hasSize(1);
    }

    @Test
    void theSameSchemaUnderAnotherSubjectReusesItsGlobalId() {
        int orders = http.registerOk("orders-value", ORDER_ID);

        int archive = http.registerOk("archive-value", ORDER_ID_REFORMATTED);

        assertThat(archive).isEqualTo(orders);
        assertThat(http.get("/subjects/archive-value/versions/latest").json().get("version").asInt()).isEqualTo(1);
    }

    @Test
    void aNewSchemaGetsTheNextIdAndVersion() {
        http.registerOk("orders-value", ORDER_ID);

        int second = http.registerOk("orders-value", WITH_OPTIONAL_NOTE);

        assertThat(second).isEqualTo(2);
        assertThat(http.get("/subjects/orders-value/versions").body()).isEqualTo("[1,2]");
        JsonNode latest = http.get("/subjects/orders-value/versions/latest").json();
        assertThat(latest.get("version").asInt()).isEqualTo(2);
        assertThat(latest.get("id").asInt()).isEqualTo(2);
        assertThat(http.get("/subjects/orders-value/versions/-1").json()).isEqualTo(latest);
    }

    @Test
    void acceptsPlainApplicationJsonRequests() {
        Answer answer = http.postRaw("/subjects/orders-value/versions", "application/json",
                ("{\"schema\":" + RegistryHttp.JSON.valueToTree(ORDER_ID) + "}").getBytes(StandardCharsets.UTF_8));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("id").asInt()).isEqualTo(1);
    }

    @Test
    void looksUpTheVersionHoldingASchema() {
        http.registerOk("orders-value", ORDER_ID);
        int id = http.registerOk("orders-value", WITH_OPTIONAL_NOTE);

        JsonNode found = http.post("/subjects/orders-value", Map.of("schema", WITH_OPTIONAL_NOTE)).json();

        assertThat(found.get("subject").asText()).isEqualTo("orders-value");
        assertThat(found.get("version").asInt()).isEqualTo(2);
        assertThat(found.get("id").asInt()).isEqualTo(id);
        assertThat(found.get("schema").asText()).contains("note");
    }

    @Test
    void lookupAnswers40401ForUnknownSubjectAnd40403ForUnknownSchema() {
        Answer noSubject = http.post("/subjects/nobody-value", Map.of("schema", ORDER_ID));
        assertThat(noSubject.status()).isEqualTo(404);
        assertThat(noSubject.errorCode()).isEqualTo(40401);
        assertThat(noSubject.message()).contains("nobody-value");

        http.registerOk("orders-value", ORDER_ID);
        Answer noSchema = http.post("/subjects/orders-value", Map.of("schema", WITH_OPTIONAL_NOTE));
        assertThat(noSchema.status()).isEqualTo(404);
        assertThat(noSchema.errorCode()).isEqualTo(40403);
    }

    @Test
    void servesSchemasByIdAsJsonAndRaw() {
        int id = http.registerOk("orders-value", ORDER_ID_REFORMATTED);

        String schema = http.get("/schemas/ids/" + id).json().get("schema").asText();
        Answer raw = http.get("/schemas/ids/" + id + "/schema");

        assertThat(schema).isEqualTo(
                "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"dev.shipstream.test\","
                        + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}");
        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.body()).isEqualTo(schema);
        assertThat(http.get("/subjects/orders-value/versions/1/schema").body()).isEqualTo(schema);
    }

    @Test
    void unknownSchemaIdAnswers40403() {
        for (String path : List.of("/schemas/ids/7", "/schemas/ids/7/schema", "/schemas/ids/seven")) {
            Answer answer = http.get(path);
            assertThat(answer.status()).as(path).isEqualTo(404);
            assertThat(answer.errorCode()).as(path).isEqualTo(40403);
        }
    }

    @Test
    void listsSubjectsSorted() {
        assertThat(http.get("/subjects").body()).isEqualTo("[]");
        http.registerOk("shipments-value", ORDER_ID);
        http.registerOk("orders-value", ORDER_ID);

        assertThat(http.get("/subjects").body()).isEqualTo("[\"orders-value\",\"shipments-value\"]");
    }

    @Test
    void versionsOfUnknownSubjectAnswer40401() {
        for (String path : List.of("/subjects/nobody/versions", "/subjects/nobody/versions/1",
                "/subjects/nobody/versions/latest", "/subjects/nobody/versions/latest/schema")) {
            Answer answer = http.get(path);
            assertThat(answer.status()).as(path).isEqualTo(404);
            assertThat(answer.errorCode()).as(path).isEqualTo(40401);
        }
    }

    @Test
    void unknownVersionAnswers40402() {
        http.registerOk("orders-value", ORDER_ID);

        for (String path : List.of("/subjects/orders-value/versions/2", "/subjects/orders-value/versions/2/schema")) {
            Answer answer = http.get(path);
            assertThat(answer.status()).as(path).isEqualTo(404);
            assertThat(answer.errorCode()).as(path).isEqualTo(40402);
        }
    }

    @Test
    void versionThatIsNotAPositiveNumberOrLatestAnswers42202() {
        http.registerOk("orders-value", ORDER_ID);

        for (String version : List.of("0", "-2", "first", "99999999999")) {
            Answer answer = http.get("/subjects/orders-value/versions/" + version);
            assertThat(answer.status()).as(version).isEqualTo(422);
            assertThat(answer.errorCode()).as(version).isEqualTo(42202);
        }
    }

    @Test
    void invalidAvroAnswers42201WithTheParserMessage() {
        Answer answer = http.register("orders-value", "{\"type\":\"record\",\"name\":\"Order\"}");

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errorCode()).isEqualTo(42201);
        assertThat(answer.message()).contains("fields");
        assertThat(http.get("/subjects").body()).isEqualTo("[]");
    }

    @Test
    void emptyOrNonAvroSchemaAndReferencesAnswer42201() {
        List<Map<String, Object>> bodies = List.of(
                Map.of(),
                Map.of("schema", ""),
                Map.of("schema", "syntax = \"proto3\";", "schemaType", "PROTOBUF"),
                Map.of("schema", ORDER_ID, "references", List.of(Map.of("name", "x", "subject", "y", "version", 1))));
        for (Map<String, Object> body : bodies) {
            Answer answer = http.post("/subjects/orders-value/versions", body);
            assertThat(answer.status()).as(body.toString()).isEqualTo(422);
            assertThat(answer.errorCode()).as(body.toString()).isEqualTo(42201);
        }
    }

    @Test
    void bodyThatIsNotJsonAnswers400() {
        Answer answer = http.postRaw("/subjects/orders-value/versions", RegistryRoutes.CONTENT_TYPE,
                "{not json".getBytes(StandardCharsets.UTF_8));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.errorCode()).isEqualTo(400);
    }

    @Test
    void aSchemaTooDeepOrWithTooManyTypesAnswers42201AtOnce() {
        Map<String, String> refusals = Map.of(
                // Shallow as JSON, 3,000 levels deep as a schema: seconds to parse, then overflowed hashCode's stack.
                chainOfRecords(3_000), "more than 256 named types",
                chainOfRecords(200), "nested deeper than 64 levels",
                "{\"type\":\"array\",\"items\":".repeat(900) + "\"int\"" + "}".repeat(900),
                "nested deeper than 64 levels");

        // The reasons are the registry's own pre-parse checks: Avro's parser, which took seconds on the first
        // schema and then overflowed the stack, is never reached (a wall-clock bound here failed under load).
        refusals.forEach((schema, reason) -> {
            Answer answer = http.register("deep-value", schema);

            assertThat(answer.status()).isEqualTo(422);
            assertThat(answer.errorCode()).isEqualTo(42201);
            assertThat(answer.message()).contains(reason);
        });
        assertThat(http.get("/subjects").body()).isEqualTo("[]");
    }

    /** A top-level union of records, each the field type of the next. */
    private static String chainOfRecords(int count) {
        StringBuilder text = new StringBuilder("[{\"type\":\"record\",\"name\":\"A0\",\"fields\":[]}");
        for (int i = 1; i < count; i++) {
            text.append(",{\"type\":\"record\",\"name\":\"A").append(i)
                    .append("\",\"fields\":[{\"name\":\"f\",\"type\":\"A").append(i - 1).append("\"}]}");
        }
        return text.append("]").toString();
    }

    @Test
    void bodyOverTheLimitAnswers413() {
        byte[] body = new byte[(int) DevSchemaRegistry.DEFAULT_MAX_BODY_BYTES + 1];
        Arrays.fill(body, (byte) ' ');

        Answer answer = http.postRaw("/subjects/orders-value/versions", RegistryRoutes.CONTENT_TYPE, body);

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.errorCode()).isEqualTo(413);
    }

    @Test
    void unknownPathAnswers404WithErrorBody() {
        Answer answer = http.get("/no/such/thing");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.errorCode()).isEqualTo(404);
        assertThat(answer.contentType()).isEqualTo(RegistryRoutes.CONTENT_TYPE);
    }

    @Test
    void wrongMethodAnswers405WithErrorBody() {
        Answer answer = http.put("/subjects", Map.of());

        assertThat(answer.status()).isEqualTo(405);
        assertThat(answer.errorCode()).isEqualTo(405);
    }

    @Test
    void backwardAcceptsAFieldWithDefault() {
        http.registerOk("orders-value", ORDER_ID);

        Answer answer = http.register("orders-value", WITH_OPTIONAL_NOTE);

        assertThat(answer.status()).isEqualTo(200);
    }

    @Test
    void backwardRejectsARequiredFieldWith409AndTheReason() {
        http.registerOk("orders-value", ORDER_ID);

        Answer answer = http.register("orders-value", WITH_REQUIRED_AMOUNT);

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.errorCode()).isEqualTo(409);
        assertThat(answer.message()).contains("READER_FIELD_MISSING_DEFAULT_VALUE", "amount", "BACKWARD");
        assertThat(http.get("/subjects/orders-value/versions").body()).isEqualTo("[1]");
    }

    @Test
    void noneAcceptsAnything() {
        http.registerOk("orders-value", ORDER_ID);
        assertThat(http.setLevel("/config/orders-value", "NONE").status()).isEqualTo(200);

        assertThat(http.register("orders-value", ID_AS_LONG).status()).isEqualTo(200);
        assertThat(http.register("orders-value", WITH_REQUIRED_AMOUNT).status()).isEqualTo(200);
    }

    @Test
    void forwardRejectsRemovingAFieldOldReadersNeedAndAcceptsARequiredField() {
        http.registerOk("orders-value", WITH_REQUIRED_AMOUNT);
        http.setLevel("/config/orders-value", "FORWARD");

        Answer removal = http.register("orders-value", ORDER_ID);
        assertThat(removal.status()).isEqualTo(409);
        assertThat(removal.message()).contains("amount");

        assertThat(http.register("orders-value", TestSchemas.record("""
                {"name":"id","type":"string"},{"name":"amount","type":"int"},{"name":"qty","type":"int"}"""))
                .status()).isEqualTo(200);
    }

    @Test
    void fullAcceptsOnlyChangesCompatibleInBothDirections() {
        http.registerOk("orders-value", ORDER_ID);
        http.setLevel("/config/orders-value", "FULL");

        assertThat(http.register("orders-value", WITH_REQUIRED_AMOUNT).errorCode()).isEqualTo(409);
        assertThat(http.register("orders-value", WITH_OPTIONAL_NOTE).status()).isEqualTo(200);
        assertThat(http.register("orders-value", ID_AS_LONG).errorCode()).isEqualTo(409);
    }

    @Test
    void transitiveLevelsCheckEveryVersionNotJustTheLatest() {
        http.registerOk("orders-value", ORDER_ID);
        http.setLevel("/config/orders-value", "NONE");
        http.registerOk("orders-value", WITH_REQUIRED_AMOUNT);
        String readsOnlyTheLatest = TestSchemas.record("""
                {"name":"id","type":"string"},{"name":"amount","type":"int"},
                {"name":"note","type":"string","default":""}""");
        Map<String, String> candidate = Map.of("schema", readsOnlyTheLatest);

        http.setLevel("/config/orders-value", "BACKWARD");
        JsonNode backward = http.post("/compatibility/subjects/orders-value/versions/latest", candidate).json();
        http.setLevel("/config/orders-value", "BACKWARD_TRANSITIVE");
        JsonNode transitive = http.post(
                "/compatibility/subjects/orders-value/versions/latest?verbose=true", candidate).json();

        assertThat(backward.get("is_compatible").asBoolean()).isTrue();
        assertThat(backward.has("messages")).isFalse();
        assertThat(transitive.get("is_compatible").asBoolean()).isFalse();
        assertThat(transitive.get("messages").toString()).contains("version 1", "amount");
        assertThat(http.register("orders-value", readsOnlyTheLatest).errorCode()).isEqualTo(409);
    }

    @Test
    void compatibilityAgainstANumberedVersionChecksThatVersion() {
        http.registerOk("orders-value", ORDER_ID);
        http.setLevel("/config/orders-value", "NONE");
        http.registerOk("orders-value", ID_AS_LONG);
        http.setLevel("/config/orders-value", "BACKWARD");

        JsonNode againstFirst = http.post("/compatibility/subjects/orders-value/versions/1",
                Map.of("schema", WITH_OPTIONAL_NOTE)).json();
        JsonNode againstLatest = http.post("/compatibility/subjects/orders-value/versions/latest?verbose=true",
                Map.of("schema", WITH_OPTIONAL_NOTE)).json();

        assertThat(againstFirst.get("is_compatible").asBoolean()).isTrue();
        assertThat(againstLatest.get("is_compatible").asBoolean()).isFalse();
        assertThat(againstLatest.get("messages").toString()).contains("TYPE_MISMATCH");
    }

    @Test
    void compatibilityErrorsFollowConfluent() {
        assertThat(http.post("/compatibility/subjects/nobody/versions/latest", Map.of("schema", ORDER_ID))
                .json().get("is_compatible").asBoolean()).isTrue();
        assertThat(http.post("/compatibility/subjects/nobody/versions/1", Map.of("schema", ORDER_ID))
                .errorCode()).isEqualTo(40401);
        http.registerOk("orders-value", ORDER_ID);
        assertThat(http.post("/compatibility/subjects/orders-value/versions/3", Map.of("schema", ORDER_ID))
                .errorCode()).isEqualTo(40402);
        assertThat(http.post("/compatibility/subjects/orders-value/versions/zero", Map.of("schema", ORDER_ID))
                .errorCode()).isEqualTo(42202);
        assertThat(http.post("/compatibility/subjects/orders-value/versions/latest", Map.of("schema", "{"))
                .errorCode()).isEqualTo(42201);
    }

    @Test
    void globalCompatibilityDefaultsToBackwardAndCanBeChanged() {
        assertThat(http.get("/config").json().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");

        Answer put = http.setLevel("/config", "FULL");

        assertThat(put.status()).isEqualTo(200);
        assertThat(put.json().get("compatibility").asText()).isEqualTo("FULL");
        assertThat(http.get("/config").json().get("compatibilityLevel").asText()).isEqualTo("FULL");
    }

    @Test
    void invalidCompatibilityLevelAnswers42203() {
        for (String path : List.of("/config", "/config/orders-value")) {
            Answer answer = http.setLevel(path, "SIDEWAYS");
            assertThat(answer.status()).as(path).isEqualTo(422);
            assertThat(answer.errorCode()).as(path).isEqualTo(42203);
        }
        assertThat(http.put("/config", Map.of()).errorCode()).isEqualTo(42203);
        assertThat(http.get("/config").json().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    }

    @Test
    void subjectLevelAnswers40408UntilSetOrFallsBackToGlobalWhenAsked() {
        Answer none = http.get("/config/orders-value");
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.errorCode()).isEqualTo(40408);
        assertThat(http.get("/config/orders-value?defaultToGlobal=true").json().get("compatibilityLevel").asText())
                .isEqualTo("BACKWARD");

        Answer put = http.setLevel("/config/orders-value", "forward_transitive");

        assertThat(put.json().get("compatibility").asText()).isEqualTo("FORWARD_TRANSITIVE");
        assertThat(http.get("/config/orders-value").json().get("compatibilityLevel").asText())
                .isEqualTo("FORWARD_TRANSITIVE");
        assertThat(http.get("/config").json().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    }

    @Test
    void subjectLevelOverridesTheGlobalOneUntilDeleted() {
        http.registerOk("orders-value", ORDER_ID);
        http.setLevel("/config/orders-value", "NONE");
        assertThat(http.register("orders-value", WITH_REQUIRED_AMOUNT).status()).isEqualTo(200);

        Answer deleted = http.delete("/config/orders-value");

        assertThat(deleted.json().get("compatibilityLevel").asText()).isEqualTo("NONE");
        assertThat(http.get("/config/orders-value").errorCode()).isEqualTo(40408);
        assertThat(http.register("orders-value", ID_AS_LONG).errorCode()).isEqualTo(409);
    }

    @Test
    void deletingASubjectHidesItsVersionsAndNumberingContinues() {
        int id = http.registerOk("orders-value", ORDER_ID);
        http.registerOk("orders-value", WITH_OPTIONAL_NOTE);

        Answer deleted = http.delete("/subjects/orders-value");

        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.body()).isEqualTo("[1,2]");
        assertThat(http.get("/subjects").body()).isEqualTo("[]");
        assertThat(http.get("/subjects/orders-value/versions").errorCode()).isEqualTo(40401);
        assertThat(http.get("/schemas/ids/" + id).status()).isEqualTo(200);
        assertThat(http.delete("/subjects/orders-value").errorCode()).isEqualTo(40401);

        assertThat(http.registerOk("orders-value", ORDER_ID)).isEqualTo(id);
        assertThat(http.get("/subjects/orders-value/versions").body()).isEqualTo("[3]");
    }

    @Test
    void aRestartedRegistryOnTheSameLogKeepsIdsVersionsAndConfig() {
        int first = http.registerOk("orders-value", ORDER_ID);
        int second = http.registerOk("orders-value", WITH_OPTIONAL_NOTE);
        http.setLevel("/config", "FULL");
        http.setLevel("/config/orders-value", "NONE");
        registries.get(0).close();

        RegistryHttp restarted = new RegistryHttp(start(store.sharingLog()).baseUrl());

        assertThat(restarted.get("/subjects/orders-value/versions/1").json().get("id").asInt()).isEqualTo(first);
        assertThat(restarted.get("/subjects/orders-value/versions/2").json().get("id").asInt()).isEqualTo(second);
        assertThat(restarted.get("/config").json().get("compatibilityLevel").asText()).isEqualTo("FULL");
        assertThat(restarted.get("/config/orders-value").json().get("compatibilityLevel").asText())
                .isEqualTo("NONE");
        assertThat(restarted.registerOk("archive-value", ID_AS_LONG)).isEqualTo(3);
    }

    @Test
    void twoRegistriesOnOneLogSeeEachOthersWrites() {
        RegistryHttp other = new RegistryHttp(start(store.sharingLog()).baseUrl());

        int id = other.registerOk("orders-value", ORDER_ID);

        assertThat(http.get("/schemas/ids/" + id).status()).isEqualTo(200);
        assertThat(http.registerOk("orders-value", WITH_OPTIONAL_NOTE)).isEqualTo(id + 1);
        assertThat(other.get("/subjects/orders-value/versions").body()).isEqualTo("[1,2]");
    }

    @Test
    void storeFailureAnswers50001() {
        RegistryHttp failing = new RegistryHttp(start(new StubStore(
                CompletableFuture.failedFuture(new SchemaStoreException("broker unreachable")))).baseUrl());

        Answer answer = failing.register("orders-value", ORDER_ID);

        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.errorCode()).isEqualTo(50001);
        assertThat(answer.message()).contains("broker unreachable");
    }

    @Test
    void storeWriteThatDoesNotFinishInTimeAnswers50002() {
        RegistryHttp stuck = new RegistryHttp(start(DevSchemaRegistry.builder()
                .store(new StubStore(new CompletableFuture<>()))
                .writeTimeout(Duration.ofMillis(200))).baseUrl());

        Answer answer = stuck.setLevel("/config", "FULL");

        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.errorCode()).isEqualTo(50002);
        assertThat(stuck.get("/config").json().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    }

    @Test
    void builderRejectsMissingOrContradictoryStoreSettings() {
        assertThatThrownBy(() -> DevSchemaRegistry.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bootstrapServers");
        assertThatThrownBy(() -> DevSchemaRegistry.builder().store(store).bootstrapServers("localhost:9092").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("either");
        assertThatThrownBy(() -> DevSchemaRegistry.builder().store(store).port(70_000).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
    }

    /** A store with an empty log whose every append answers the given future. */
    private static final class StubStore implements SchemaStore {
        private final CompletableFuture<Void> answer;

        StubStore(CompletableFuture<Void> answer) {
            this.answer = answer;
        }

        @Override
        public void start(Consumer<RegistryRecord> applier, Duration timeout) {
            // The log is empty: nothing to replay.
        }

        @Override
        public CompletableFuture<Void> append(RegistryRecord record) {
            return answer;
        }

        @Override
        public void close() {
            // Opens nothing, so there is nothing to release.
        }
    }
}
