package dev.shipstream.ingress.http;

import static dev.shipstream.ingress.TestRequests.appleSignature;
import static dev.shipstream.ingress.TestRequests.expoSignature;
import static dev.shipstream.ingress.TestRequests.get;
import static dev.shipstream.ingress.TestRequests.post;
import static dev.shipstream.ingress.TestRequests.send;
import static dev.shipstream.ingress.TestRequests.sendAsync;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shipstream.ingress.EdgeConfig;
import dev.shipstream.ingress.EndpointConfig;
import dev.shipstream.ingress.IngressConfig;
import dev.shipstream.ingress.IngressServer;
import dev.shipstream.ingress.RawHttp;
import dev.shipstream.ingress.Seeds;
import dev.shipstream.ingress.WebhookSource;
import dev.shipstream.ingress.publish.KafkaRawWebhookPublisher;
import dev.shipstream.ingress.publish.SchemaRegistration;
import dev.shipstream.ingress.verify.CidrBlock;
import dev.shipstream.ingress.verify.WebhookSecret;
import dev.shipstream.schemas.AuthScheme;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Source;
import dev.shipstream.schemas.Topics;
import dev.shipstream.schemas.serde.AvroDeserializer;
import dev.shipstream.schemas.serde.AvroSerdeConfig;
import dev.shipstream.schemas.serde.SchemaRegistryClient;
import dev.shipstream.schemas.serde.SchemaRegistryClients;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ingress over HTTP with a {@link MockProducer} that acknowledges only when told to, so each test decides when
 * (and whether) the broker "acknowledged". Secrets are canaries that must never show up in logs or metrics.
 */
class WebhookHandlerTest {

    static final String ASC_SECRET = "canary-asc-3b9f1d7e20c4";
    static final String ASC_OLD_SECRET = "canary-asc-old-8e2a6c";
    static final String EAS_SECRET = "canary-eas-5d1c9a7f3e6b";
    static final String APPFLOW_TOKEN = "canary-appflow-c7e14b2a9d";
    static final Duration PUBLISH_TIMEOUT = Duration.ofMillis(800);
    static final long BODY_LIMIT = 64 * 1024;
    static final Path TEST_LOG = Path.of("target", "ingress-test.log");
    static final String REGISTRY_SCOPE = "webhook-handler-test";

    private Vertx vertx;
    private DecodingProducer producer;
    private IngressServer server;
    private int port;
    /** The test log's length before this test's server started. */
    private long logAtStart;

    static IngressConfig config() {
        Map<WebhookSource, Long> limits = new EnumMap<>(WebhookSource.class);
        for (WebhookSource source : WebhookSource.values()) {
            limits.put(source, BODY_LIMIT);
        }
        return new IngressConfig("127.0.0.1", 0, 1, limits, Duration.ofSeconds(10), Duration.ofSeconds(10),
                PUBLISH_TIMEOUT, 100, "127.0.0.1:1", "mock://" + REGISTRY_SCOPE, Map.of(), true, List.of(
                new EndpointConfig(WebhookSource.APP_STORE_CONNECT, "default",
                        List.of(WebhookSecret.of("current", ASC_SECRET), WebhookSecret.of("previous", ASC_OLD_SECRET)),
                        List.of()),
                new EndpointConfig(WebhookSource.EAS, "default", List.of(WebhookSecret.of("v1", EAS_SECRET)), List.of()),
                new EndpointConfig(WebhookSource.APPFLOW, "default", List.of(WebhookSecret.of("v1", APPFLOW_TOKEN)),
                        List.of()),
                new EndpointConfig(WebhookSource.APPFLOW, "office-only", List.of(WebhookSecret.of("v1", APPFLOW_TOKEN)),
                        List.of(CidrBlock.parse("203.0.113.0/24")))))
                // The tests' own address plays the load balancer in front of the ingress.
                .withEdge(EdgeConfig.DEFAULTS.withTrustedProxies(List.of(CidrBlock.parse("127.0.0.0/8"))));
    }

    @BeforeEach
    void startServer() throws Exception {
        logAtStart = logSize();
        vertx = Vertx.vertx();
        String topic = Topics.WEBHOOKS_RAW.name();
        Node node = new Node(0, "127.0.0.1", 1);
        Cluster cluster = new Cluster("test", List.of(node),
                List.of(new PartitionInfo(topic, 0, node, new Node[] {node}, new Node[] {node})), Set.of(), Set.of());
        producer = new DecodingProducer(new MockProducer<>(cluster, false, null, new StringSerializer(),
                new ByteArraySerializer()));
        SchemaRegistryClient registry = SchemaRegistryClients.mockScope(REGISTRY_SCOPE);
        SchemaRegistration registration = new SchemaRegistration(topic + "-value", SchemaRegistration.registering(
                registry, RawWebhook.getClassSchema().toString(), true), Duration.ofMillis(10), Duration.ofMillis(100),
                () -> { });
        KafkaRawWebhookPublisher publisher = new KafkaRawWebhookPublisher(vertx, producer.mock, topic,
                new KafkaRawWebhookPublisher.Limits(100, 8L << 20, 1L << 20), timeout -> true, registration);
        server = IngressServer.start(vertx, config(), publisher).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        port = server.port();
        assertThat(publisher.metadataWarm()).isTrue();
    }

    @AfterEach
    void stopServer() throws Exception {
        server.shutdown().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private CompletableFuture<HttpResponse<String>> postAsc(byte[] body, String signature) {
        return sendAsync(post(port, "/webhooks/app-store-connect/default", body,
                "Content-Type", "application/json", "x-apple-signature", signature,
                "x-apple-request-uuid", "7b64238e-16db-31a0-5fd5-944a7c61b45f"));
    }

    private ProducerRecord<String, RawWebhook> awaitOneRecord() {
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);
        return producer.history().get(0);
    }

    private static HttpResponse<String> join(CompletableFuture<HttpResponse<String>> response) {
        return response.orTimeout(30, TimeUnit.SECONDS).join();
    }

    @Test
    void answersOnlyAfterTheBrokerAcknowledged() {
        byte[] body = Seeds.bytes("asc-build-upload-complete.json");
        CompletableFuture<HttpResponse<String>> response = postAsc(body, appleSignature(ASC_SECRET, body));

        ProducerRecord<String, RawWebhook> record = awaitOneRecord();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !response.isDone());

        assertThat(producer.completeNext()).isTrue();
        HttpResponse<String> answer = join(response);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"accepted\":true,\"id\":\"" + record.value().getRequestId() + "\"}");
        assertThat(answer.headers().firstValue("X-Request-Id")).contains(record.value().getRequestId());
    }

    @Test
    void publishesTheBodyByteForByteWithEntityKeyAndAllowListedHeaders() {
        // A BOM, CRLFs, tabs and non-ASCII text: any re-encoding would change these bytes.
        byte[] body = ("\uFEFF{\r\n\t\"data\" : {\"type\":\"buildUploadStateUpdated\",\"id\":\"e-1\",\"note\":\"ünïcödé\","
                + "\"relationships\":{\"instance\":{\"data\":{\"type\":\"buildUploads\",\"id\":\"b-42\"}}}}}  \r\n")
                .getBytes(StandardCharsets.UTF_8);
        String signature = appleSignature(ASC_SECRET, body);
        CompletableFuture<HttpResponse<String>> response = postAsc(body, signature);

        ProducerRecord<String, RawWebhook> record = awaitOneRecord();
        producer.completeNext();
        assertThat(join(response).statusCode()).isEqualTo(200);

        RawWebhook value = record.value();
        byte[] published = new byte[value.getBody().remaining()];
        value.getBody().duplicate().get(published);
        assertThat(published).isEqualTo(body);
        assertThat(record.topic()).isEqualTo(Topics.WEBHOOKS_RAW.name());
        assertThat(record.key()).isEqualTo("asc:buildUploads:b-42");
        assertThat(value.getSource()).isEqualTo(Source.APP_STORE_CONNECT);
        assertThat(value.getEndpointId()).isEqualTo("default");
        assertThat(value.getSignature()).isEqualTo(signature);
        assertThat(value.getProviderRequestId()).isEqualTo("7b64238e-16db-31a0-5fd5-944a7c61b45f");
        assertThat(value.getContentType()).isEqualTo("application/json");
        assertThat(value.getRemoteAddress()).isEqualTo("127.0.0.1");
        assertThat(value.getReceivedAt()).isNotNull();
        assertThat(value.getHeaders()).containsEntry("x-apple-signature", signature)
                .containsKey("content-type").doesNotContainKey("authorization").doesNotContainKey("host");
        assertThat(value.getAuthentication().getScheme()).isEqualTo(AuthScheme.HMAC_SHA256);
        assertThat(value.getAuthentication().getSecretId()).isEqualTo("current");
    }

    @Test
    void keysSeedPayloadsByTheirEntity() {
        byte[] asc = Seeds.bytes("asc-app-store-version-state.json");
        byte[] build = Seeds.bytes("eas-build.json");
        byte[] submit = Seeds.bytes("eas-submit.json");
        byte[] appflow = Seeds.bytes("appflow-package-build.json");
        List<CompletableFuture<HttpResponse<String>>> responses = List.of(
                postAsc(asc, appleSignature(ASC_OLD_SECRET, asc)),
                sendAsync(post(port, "/webhooks/eas/default", build, "expo-signature", expoSignature(EAS_SECRET, build))),
                sendAsync(post(port, "/webhooks/eas/default", submit,
                        "expo-signature", expoSignature(EAS_SECRET, submit))),
                sendAsync(post(port, "/webhooks/appflow/default", appflow,
                        "Authorization", "Bearer " + APPFLOW_TOKEN)));

        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 4);
        while (producer.completeNext()) {
            assertThat(producer.history()).hasSize(4);
        }
        assertThat(responses).allSatisfy(r -> assertThat(join(r).statusCode()).isEqualTo(200));
        assertThat(producer.history()).extracting(ProducerRecord::key).containsExactlyInAnyOrder(
                "asc:appStoreVersions:xxx-xx-xx-xx-xxx",
                "eas:build:147a3212-49fd-446f-b4e3-a6519acf264a",
                "eas:submit:0374430d-7776-44ad-be7d-8513629adc54",
                "appflow:build:2216322b-35be-4af2-aaad-2b4e57354f88");
        RawWebhook ascRecord = producer.history().stream().map(ProducerRecord::value)
                .filter(v -> v.getSource() == Source.APP_STORE_CONNECT).findFirst().orElseThrow();
        assertThat(ascRecord.getAuthentication().getSecretId()).isEqualTo("previous");
        RawWebhook easRecord = producer.history().stream().map(ProducerRecord::value)
                .filter(v -> v.getSource() == Source.EAS).findFirst().orElseThrow();
        assertThat(easRecord.getAuthentication().getScheme()).isEqualTo(AuthScheme.HMAC_SHA1);
    }

    @Test
    void answers503WithRetryAfterWhenThePublishFails() {
        byte[] body = Seeds.bytes("asc-ping.json");
        CompletableFuture<HttpResponse<String>> response = postAsc(body, appleSignature(ASC_SECRET, body));
        awaitOneRecord();

        assertThat(producer.errorNext(new org.apache.kafka.common.errors.NotEnoughReplicasException("test"))).isTrue();

        HttpResponse<String> answer = join(response);
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).contains("5");
        assertThat(answer.body()).isEqualTo("{\"error\":\"unavailable\"}");
    }

    @Test
    void answers413WithoutRetryAfterWhenKafkaRefusesTheRecordAsTooLarge() {
        byte[] body = Seeds.bytes("asc-ping.json");
        CompletableFuture<HttpResponse<String>> response = postAsc(body, appleSignature(ASC_SECRET, body));
        awaitOneRecord();

        assertThat(producer.errorNext(new org.apache.kafka.common.errors.RecordTooLargeException("test"))).isTrue();

        HttpResponse<String> answer = join(response);
        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(answer.headers().firstValue("Retry-After")).isEmpty();
        assertThat(answer.body()).isEqualTo("{\"error\":\"payload_too_large\"}");
    }

    @Test
    void answers503WhenNoAcknowledgementArrivesWithinThePublishTimeout() {
        byte[] body = Seeds.bytes("asc-ping.json");
        long start = System.nanoTime();
        CompletableFuture<HttpResponse<String>> response = postAsc(body, appleSignature(ASC_SECRET, body));

        HttpResponse<String> answer = join(response);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).contains("5");
        assertThat(took).isGreaterThanOrEqualTo(PUBLISH_TIMEOUT).isLessThan(PUBLISH_TIMEOUT.plusSeconds(3));
        // A late acknowledgement must not produce a second answer or an error.
        assertThat(producer.completeNext()).isTrue();
    }

    @Test
    void rejectsAWrongSignatureWith401AndPublishesNothing() {
        byte[] body = Seeds.bytes("asc-ping.json");
        byte[] other = "{\"data\":{}}".getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> wrongSecret = join(postAsc(body, appleSignature("not-the-secret-at-all", body)));
        HttpResponse<String> otherBody = join(postAsc(body, appleSignature(ASC_SECRET, other)));
        HttpResponse<String> missing = send(post(port, "/webhooks/app-store-connect/default", body));
        HttpResponse<String> easWithAppleHeader = send(post(port, "/webhooks/eas/default", body,
                "x-apple-signature", appleSignature(EAS_SECRET, body)));

        assertThat(List.of(wrongSecret, otherBody, missing, easWithAppleHeader)).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).isEqualTo("{\"error\":\"unauthorized\"}");
        });
        assertThat(producer.history()).isEmpty();
        String metrics = send(get(port, "/metrics")).body();
        assertThat(metrics).contains("shipstream_ingress_verification_failures_total{endpoint=\"default\","
                + "reason=\"signature_mismatch\",source=\"app-store-connect\"} 2.0");
        assertThat(metrics).contains("shipstream_ingress_verification_failures_total{endpoint=\"default\","
                + "reason=\"missing_signature\",source=\"app-store-connect\"} 1.0");
    }

    @Test
    void acceptsTheAppflowTokenAsBearerHeaderOrQueryParameterAndStoresNeither() {
        byte[] body = Seeds.bytes("appflow-deploy-build.json");
        CompletableFuture<HttpResponse<String>> byHeader = sendAsync(post(port, "/webhooks/appflow/default", body,
                "Authorization", "Bearer " + APPFLOW_TOKEN));
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);
        CompletableFuture<HttpResponse<String>> byQuery = sendAsync(post(port,
                "/webhooks/appflow/default?token=" + APPFLOW_TOKEN, body));
        await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 2);
        producer.completeNext();
        producer.completeNext();

        assertThat(join(byHeader).statusCode()).isEqualTo(200);
        assertThat(join(byQuery).statusCode()).isEqualTo(200);
        assertThat(producer.history()).extracting(r -> r.value().getAuthentication().getScheme())
                .containsExactly(AuthScheme.BEARER_TOKEN, AuthScheme.QUERY_TOKEN);
        assertThat(producer.history()).allSatisfy(r -> {
            assertThat(r.value().getSignature()).isNull();
            assertThat(r.value().getHeaders().toString()).doesNotContain(APPFLOW_TOKEN);
            assertThat(r.value().toString()).doesNotContain(APPFLOW_TOKEN);
        });
        assertThat(send(post(port, "/webhooks/appflow/default?token=wrong-token", body)).statusCode()).isEqualTo(401);
        assertThat(send(post(port, "/webhooks/appflow/office-only?token=" + APPFLOW_TOKEN, body)).statusCode())
                .isEqualTo(401);
        assertThat(producer.history()).hasSize(2);
    }

    @Test
    void answers404ForUnknownSourcesEndpointsAndPaths() {
        byte[] body = Seeds.bytes("asc-ping.json");
        String signature = appleSignature(ASC_SECRET, body);

        assertThat(send(post(port, "/webhooks/app-store-connect/unknown", body, "x-apple-signature", signature))
                .statusCode()).isEqualTo(404);
        assertThat(send(post(port, "/webhooks/github/default", body)).statusCode()).isEqualTo(404);
        HttpResponse<String> elsewhere = send(get(port, "/admin"));
        assertThat(elsewhere.statusCode()).isEqualTo(404);
        assertThat(elsewhere.body()).isEqualTo("{\"error\":\"not_found\"}");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void answers405ForOtherMethodsThanPost() {
        HttpResponse<String> answer = send(get(port, "/webhooks/eas/default"));

        assertThat(answer.statusCode()).isEqualTo(405);
        assertThat(answer.headers().firstValue("Allow")).contains("POST");
        assertThat(answer.body()).isEqualTo("{\"error\":\"method_not_allowed\"}");
    }

    @Test
    void answers413ForABodyOverTheLimitEvenIfSigned() {
        byte[] body = new byte[(int) BODY_LIMIT + 1];
        java.util.Arrays.fill(body, (byte) ' ');

        HttpResponse<String> answer = join(postAsc(body, appleSignature(ASC_SECRET, body)));

        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void answers415ForCompressedOrFormBodies() {
        byte[] body = Seeds.bytes("asc-ping.json");
        String signature = appleSignature(ASC_SECRET, body);

        assertThat(send(post(port, "/webhooks/app-store-connect/default", body, "x-apple-signature", signature,
                "Content-Encoding", "gzip")).statusCode()).isEqualTo(415);
        assertThat(send(post(port, "/webhooks/app-store-connect/default", body, "x-apple-signature", signature,
                "Content-Type", "multipart/form-data; boundary=x")).statusCode()).isEqualTo(415);
        assertThat(send(post(port, "/webhooks/app-store-connect/default", body, "x-apple-signature", signature,
                "Content-Type", "application/x-www-form-urlencoded")).statusCode()).isEqualTo(415);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void readsBodiesAsBytesWhateverTheContentType() {
        byte[] body = Seeds.bytes("asc-ping.json");
        CompletableFuture<HttpResponse<String>> response = sendAsync(post(port, "/webhooks/app-store-connect/default",
                body, "x-apple-signature", appleSignature(ASC_SECRET, body), "Content-Type", "text/plain"));

        awaitOneRecord();
        producer.completeNext();

        assertThat(join(response).statusCode()).isEqualTo(200);
    }

    @Test
    void servesHealthAndMetrics() {
        byte[] body = Seeds.bytes("asc-ping.json");
        CompletableFuture<HttpResponse<String>> response = postAsc(body, appleSignature(ASC_SECRET, body));
        awaitOneRecord();
        producer.completeNext();
        assertThat(join(response).statusCode()).isEqualTo(200);

        assertThat(send(get(port, "/health/live")).body()).isEqualTo("{\"status\":\"UP\"}");
        HttpResponse<String> ready = send(get(port, "/health/ready"));
        assertThat(ready.statusCode()).isEqualTo(200);
        String metrics = send(get(port, "/metrics")).body();
        assertThat(metrics)
                .contains("shipstream_ingress_requests_total{endpoint=\"default\",outcome=\"accepted\","
                        + "source=\"app-store-connect\"} 1.0")
                .contains("shipstream_ingress_publish_latency_seconds_bucket{outcome=\"acknowledged\","
                        + "source=\"app-store-connect\"")
                .contains("shipstream_ingress_requests_in_flight");
    }

    @Test
    void theWarmupAtStartPublishesCountsAndLogsNoRequest() throws IOException {
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(TEST_LOG)
                && logSince(logAtStart).contains("webhook path warmed up for [app-store-connect, eas, appflow]"));

        assertThat(producer.history()).isEmpty();
        assertThat(send(get(port, "/metrics")).body()).doesNotContain("shipstream_ingress_verification_failures_total")
                .doesNotContain("shipstream_ingress_requests_total")
                .doesNotContain("shipstream_ingress_publish_latency_seconds_count");
        // No request was logged: neither a rejection nor an access line (only /metrics, just asked for, may be).
        assertThat(logSince(logAtStart)).doesNotContain("rejected").doesNotContain("/webhooks/");
    }

    @Test
    void neitherLogsNorMetricsContainSecretsTokensOrSignatures() throws IOException {
        byte[] body = Seeds.bytes("asc-ping.json");
        String signature = appleSignature(ASC_SECRET, body);
        CompletableFuture<HttpResponse<String>> accepted = postAsc(body, signature);
        awaitOneRecord();
        producer.completeNext();
        assertThat(join(accepted).statusCode()).isEqualTo(200);
        send(post(port, "/webhooks/appflow/default?token=" + APPFLOW_TOKEN + "-wrong", body));
        send(post(port, "/webhooks/appflow/default", body, "Authorization", "Bearer " + APPFLOW_TOKEN + "-wrong"));
        send(post(port, "/webhooks/eas/default", body, "expo-signature", expoSignature(EAS_SECRET + "x", body)));
        String metrics = send(get(port, "/metrics")).body();

        Path log = Path.of("target", "ingress-test.log");
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(log)
                && Files.readString(log).contains("/webhooks/appflow/default"));
        String logged = Files.readString(log);
        for (String secretMaterial : List.of(ASC_SECRET, ASC_OLD_SECRET, EAS_SECRET, APPFLOW_TOKEN,
                signature.substring("hmacsha256=".length()), "token=")) {
            assertThat(logged).doesNotContain(secretMaterial);
            assertThat(metrics).doesNotContain(secretMaterial);
        }
        assertThat(logged).contains("rejected: token_mismatch").contains("rejected: signature_mismatch");
    }

    /** What was appended to the test log since {@code from} bytes. */
    private static String logSince(long from) throws IOException {
        String all = Files.readString(TEST_LOG);
        return all.substring((int) Math.min(from, all.length()));
    }

    private static long logSize() throws IOException {
        return Files.exists(TEST_LOG) ? Files.readString(TEST_LOG).length() : 0;
    }

    private static String requestIdOf(String rawResponse) {
        return Arrays.stream(rawResponse.split("\r\n"))
                .filter(line -> line.toLowerCase(java.util.Locale.ROOT).startsWith("x-request-id:"))
                .map(line -> line.substring("x-request-id:".length()).strip()).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/webhooks/appflow/default?token=%s&x=%%", "/webhooks/appflow/default?x=%%zz&token=%s",
            "/webhooks/appflow/def%%zzault?token=%s"})
    void aMalformedUriIsRefusedWithoutTheUriOrTokenInAnyLog(String uri) throws IOException {
        String token = "canary-query-" + UUID.randomUUID();
        long logStart = logSize();
        String response;
        try (RawHttp connection = new RawHttp(port)) {
            connection.send("POST " + uri.formatted(token) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Length: 2\r\n\r\n{}");
            response = connection.readResponse();
        }

        assertThat(response).startsWith("HTTP/1.1 40");
        String requestId = requestIdOf(response);
        await().atMost(Duration.ofSeconds(5)).until(() -> logSince(logStart).contains(requestId));
        assertThat(logSince(logStart)).doesNotContain(token).doesNotContain("token=")
                .doesNotContain("Unhandled exception").doesNotContain("IllegalArgumentException");
        assertThat(response).endsWith("{\"error\":\"bad_request\"}");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void aClientThatGoesAwayMidBodyIsLoggedAndCountedAsAbortedNotAccepted() throws IOException {
        byte[] body = Seeds.bytes("asc-ping.json");
        long logStart = logSize();
        try (RawHttp connection = new RawHttp(port)) {
            connection.send("POST /webhooks/app-store-connect/default HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Length: " + body.length + "\r\nx-apple-signature: " + appleSignature(ASC_SECRET, body)
                    + "\r\n\r\n").send(Arrays.copyOf(body, body.length / 2));
            await().atMost(Duration.ofSeconds(5)).until(() -> server.meterRegistry()
                    .get("shipstream.ingress.requests.in.flight").gauge().value() == 1);
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> server.meterRegistry()
                .get("shipstream.ingress.requests.in.flight").gauge().value() == 0);
        String metrics = send(get(port, "/metrics")).body();
        assertThat(metrics).contains("shipstream_ingress_requests_total{endpoint=\"default\",outcome=\"aborted\","
                + "source=\"app-store-connect\"} 1.0").doesNotContain("outcome=\"accepted\"");
        await().atMost(Duration.ofSeconds(5)).until(() -> logSince(logStart)
                .contains("POST /webhooks/app-store-connect/default 499 0B"));
        assertThat(logSince(logStart)).doesNotContain("POST /webhooks/app-store-connect/default 200");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void assemblesABodyThatArrivesInChunksByteForByte() {
        byte[] body = Seeds.bytes("asc-build-upload-complete.json");
        String response;
        try (RawHttp connection = new RawHttp(port)) {
            connection.send("POST /webhooks/app-store-connect/default HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Transfer-Encoding: chunked\r\nx-apple-signature: " + appleSignature(ASC_SECRET, body)
                    + "\r\n\r\n");
            // Each HTTP chunk reaches the ingress as a buffer of its own, however the bytes travel.
            int[] cuts = {0, 1, body.length / 3, body.length - 1, body.length};
            for (int i = 1; i < cuts.length; i++) {
                sendChunk(connection, Arrays.copyOfRange(body, cuts[i - 1], cuts[i]));
            }
            connection.send("0\r\n\r\n");
            ProducerRecord<String, RawWebhook> record = awaitOneRecord();
            producer.completeNext();
            response = connection.readResponse();
            byte[] published = new byte[record.value().getBody().remaining()];
            record.value().getBody().duplicate().get(published);
            assertThat(published).isEqualTo(body);
        }
        assertThat(response).startsWith("HTTP/1.1 200");
    }

    @Test
    void refusesAChunkedBodyWith413OnceItPassesTheLimitAndClosesTheConnection() {
        byte[] half = new byte[(int) BODY_LIMIT / 2 + 1];
        Arrays.fill(half, (byte) ' ');
        try (RawHttp connection = new RawHttp(port)) {
            connection.send("POST /webhooks/app-store-connect/default HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Transfer-Encoding: chunked\r\nx-apple-signature: hmacsha256=" + "0".repeat(64)
                    + "\r\n\r\n");
            sendChunk(connection, half);
            sendChunk(connection, half);

            assertThat(connection.readResponse()).startsWith("HTTP/1.1 413").contains("connection: close")
                    .endsWith("{\"error\":\"payload_too_large\"}");
            sendChunk(connection, half);
            connection.send("0\r\n\r\n");
            assertThat(connection.closedByServer()).isTrue();
        }
        assertThat(producer.history()).isEmpty();
    }

    private static void sendChunk(RawHttp connection, byte[] chunk) {
        connection.send(Integer.toHexString(chunk.length) + "\r\n").send(chunk).send("\r\n");
    }

    @Test
    void matchesPathsExactlyAsConfigured() {
        byte[] body = Seeds.bytes("asc-ping.json");
        String signature = appleSignature(ASC_SECRET, body);
        for (String path : List.of("/webhooks/app-store-connect/default/", "/webhooks/app-store-connect//default",
                "/webhooks/app-store-connect/%64efault", "/webhooks/app-store-connect/default/x",
                "/webhooks/app-store-connect/", "/webhooks/app-store-connect", "/webhooks/")) {
            assertThat(send(post(port, path, body, "x-apple-signature", signature)).statusCode()).as(path)
                    .isEqualTo(404);
        }
        HttpResponse<String> postToHealth = send(post(port, "/health/live", body));
        assertThat(postToHealth.statusCode()).isEqualTo(405);
        assertThat(postToHealth.headers().firstValue("Allow")).contains("GET");
        assertThat(send(get(port, "/health/live/")).statusCode()).isEqualTo(404);
        // Another method is 405 only on a webhook route itself, not below it.
        assertThat(send(get(port, "/webhooks/eas/default")).statusCode()).isEqualTo(405);
        assertThat(send(get(port, "/webhooks/eas/default/x")).statusCode()).isEqualTo(404);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void anHttp10RequestAskingToContinueIs417WithoutItsBodyRead() {
        byte[] body = Seeds.bytes("asc-ping.json");
        try (RawHttp connection = new RawHttp(port)) {
            connection.send("POST /webhooks/app-store-connect/default HTTP/1.0\r\nHost: 127.0.0.1\r\n"
                    + "Content-Length: " + body.length + "\r\nExpect: 100-continue\r\nx-apple-signature: "
                    + appleSignature(ASC_SECRET, body) + "\r\n\r\n");

            assertThat(connection.readResponse()).startsWith("HTTP/1.0 417");
        }
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void repeatedUnauthorizedAnswersToOneAddressTurnInto429WithRetryAfter() {
        byte[] body = Seeds.bytes("appflow-deploy-build.json");
        for (int i = 0; i < EdgeConfig.DEFAULT_MAX_UNAUTHORIZED; i++) {
            assertThat(send(post(port, "/webhooks/appflow/default?token=wrong-" + i, body)).statusCode())
                    .isEqualTo(401);
        }

        HttpResponse<String> limited = send(post(port, "/webhooks/appflow/default", body,
                "Authorization", "Bearer " + APPFLOW_TOKEN));
        CompletableFuture<HttpResponse<String>> otherClient = sendAsync(post(port, "/webhooks/appflow/default", body,
                "Authorization", "Bearer " + APPFLOW_TOKEN, "X-Forwarded-For", "198.51.100.7"));
        awaitOneRecord();
        producer.completeNext();

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.body()).isEqualTo("{\"error\":\"too_many_requests\"}");
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 60L));
        assertThat(join(otherClient).statusCode()).isEqualTo(200);
        assertThat(send(get(port, "/metrics")).body()).contains("shipstream_ingress_requests_total{endpoint=\"default\","
                + "outcome=\"rate_limited\",source=\"appflow\"} 1.0");
    }

    @Test
    void theAllowListSeesTheClientBehindATrustedProxyButNotAnAddressTheClientWrote() {
        byte[] body = Seeds.bytes("appflow-deploy-build.json");
        CompletableFuture<HttpResponse<String>> viaProxy = sendAsync(post(port, "/webhooks/appflow/office-only", body,
                "Authorization", "Bearer " + APPFLOW_TOKEN, "X-Forwarded-For", "203.0.113.9"));
        ProducerRecord<String, RawWebhook> record = awaitOneRecord();
        producer.completeNext();

        // The client wrote the allowed address itself; the proxy appended the address it really came from.
        HttpResponse<String> forged = send(post(port, "/webhooks/appflow/office-only", body,
                "Authorization", "Bearer " + APPFLOW_TOKEN, "X-Forwarded-For", "203.0.113.9, 198.51.100.7"));

        assertThat(join(viaProxy).statusCode()).isEqualTo(200);
        assertThat(record.value().getRemoteAddress()).isEqualTo("203.0.113.9");
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(producer.history()).hasSize(1);
    }

    @Test
    void theClientAddressIsTheTcpPeerWhatEverForwardedHeadersTheClientSends() {
        byte[] body = Seeds.bytes("appflow-deploy-build.json");
        // Only X-Forwarded-For, and only from a trusted proxy, names a client; RFC 7239's Forwarded and the other
        // X-Forwarded-* headers never do, and no header is parsed for the peer itself.
        CompletableFuture<HttpResponse<String>> response = sendAsync(post(port, "/webhooks/appflow/default", body,
                "Authorization", "Bearer " + APPFLOW_TOKEN, "Forwarded", "for=198.51.100.7;proto=https",
                "X-Forwarded-Host", "example.org", "X-Forwarded-Proto", "https", "X-Forwarded-Port", "443"));
        ProducerRecord<String, RawWebhook> record = awaitOneRecord();
        producer.completeNext();

        assertThat(join(response).statusCode()).isEqualTo(200);
        assertThat(record.value().getRemoteAddress()).isEqualTo("127.0.0.1");
    }

    /** The mock producer of encoded values, with the values decoded again so tests can read them. */
    static final class DecodingProducer {
        final MockProducer<String, byte[]> mock;
        private final AvroDeserializer<RawWebhook> values = new AvroDeserializer<>(
                SchemaRegistryClients.mockScope(REGISTRY_SCOPE),
                Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true));

        DecodingProducer(MockProducer<String, byte[]> mock) {
            this.mock = mock;
        }

        List<ProducerRecord<String, RawWebhook>> history() {
            return mock.history().stream().map(r -> new ProducerRecord<>(r.topic(), r.partition(), r.key(),
                    values.deserialize(r.topic(), r.value()))).toList();
        }

        boolean completeNext() {
            return mock.completeNext();
        }

        boolean errorNext(RuntimeException e) {
            return mock.errorNext(e);
        }
    }
}
