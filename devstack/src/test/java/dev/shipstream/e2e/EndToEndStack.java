package dev.shipstream.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.shipstream.devstack.DevStack;
import dev.shipstream.devstack.DevStackOptions;
import dev.shipstream.ingress.verify.AppStoreConnectVerifier;
import dev.shipstream.ingress.verify.EasVerifier;
import dev.shipstream.ingress.verify.Secret;
import dev.shipstream.streams.enrich.EnrichmentSettings;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * The whole product on one machine, as {@code ./shipstream dev} runs it: the devstack (a real KRaft broker, the dev
 * registry, the real ingress and Kafka Streams app, and Apache Kafka's own Connect worker loading the packaged
 * connectors from {@code connectors/target/plugin}, on no classpath), with WireMock on 127.0.0.1 standing in for
 * the App Store Connect API (the streams app's enrichment is configured against it, with an API key made for the
 * run), Slack, Jira and GitHub. Webhooks are signed as App Store Connect and Expo sign them, by the ingress's own
 * verifiers' signing functions (the ones {@code ./shipstream send} uses).
 *
 * <p>Everything is started once per test class and stopped in reverse order.
 */
final class EndToEndStack implements AutoCloseable {

    /** The failsafe configuration of the devstack module points this at {@code connectors/target/plugin}. */
    static final String PLUGIN_PATH_PROPERTY = "shipstream.e2e.plugin.path";
    /** The App Store Connect endpoint's webhook secret for the run. */
    private static final String ASC_SECRET = "e2e-app-store-connect-webhook-secret";
    /** The EAS endpoint's webhook secret for the run (Expo asks for at least 16 characters). */
    private static final String EAS_SECRET = "e2e-expo-eas-webhook-secret";
    private static final Duration CONNECTOR_START = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    final WireMockServer appStoreConnect = stub();
    final WireMockServer slack = stub();
    final WireMockServer jira = stub();
    final WireMockServer github = stub();
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private DevStack stack;

    private EndToEndStack() {
        for (WireMockServer server : new WireMockServer[] {appStoreConnect, slack, jira, github}) {
            server.start();
            started.push(server::stop);
        }
    }

    /**
     * Starts the stubs and the devstack.
     *
     * @param work an empty directory for the devstack's data and the API key
     */
    static EndToEndStack start(Path work) {
        EndToEndStack world = new EndToEndStack();
        try {
            world.startDevStack(work);
            return world;
        } catch (RuntimeException | Error e) {
            world.close();
            throw e;
        }
    }

    private static WireMockServer stub() {
        return new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    }

    private void startDevStack(Path work) {
        Path plugins = Path.of(System.getProperty(PLUGIN_PATH_PROPERTY, "connectors/target/plugin"));
        assertThat(plugins.resolve("shipstream-connectors")).as("the packaged plugin (the connectors module's"
                + " package phase unpacks it; the reactor builds it before this module)").isDirectory();
        Map<String, String> env = new HashMap<>();
        env.put("SHIPSTREAM_ASC_SECRET", ASC_SECRET);
        env.put("SHIPSTREAM_EAS_SECRET", EAS_SECRET);
        env.put(EnrichmentSettings.API_URL_ENV, "http://127.0.0.1:" + appStoreConnect.port());
        env.put(EnrichmentSettings.KEY_ID_ENV, "E2EKEY0001");
        env.put(EnrichmentSettings.ISSUER_ID_ENV, "69a6de70-0000-47e3-e053-5b8c7c11a4d1");
        env.put(EnrichmentSettings.PRIVATE_KEY_FILE_ENV, writeApiKey(work).toString());
        // Held events are looked at every 100 ms rather than every second: the enrichment is not what is measured.
        env.put(EnrichmentSettings.PUNCTUATION_INTERVAL_MS_ENV, "100");
        env.put(EnrichmentSettings.RETRY_BACKOFF_MS_ENV, "200");
        stack = DevStack.start(new DevStackOptions(work.resolve("data"), false, 0, 0, 0, 0, 0, plugins), env);
        started.push(stack);
    }

    /** A fresh EC P-256 key in Apple's {@code .p8} form (PEM-armoured PKCS#8): the enrichment signs its JWTs with it. */
    private static Path writeApiKey(Path work) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            return Files.writeString(work.resolve("AuthKey_E2E.p8"), pem, StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Kafka bootstrap servers of the devstack's broker. */
    String bootstrapServers() {
        return stack.bootstrapServers();
    }

    /** Slack's Web API base URL on its stub, as {@code slack.api.url} takes it. */
    String slackApiUrl() {
        return slack.baseUrl() + "/api";
    }

    /**
     * An App Store Connect sample of the devstack ({@code ./shipstream send asc NAME}) as a new delivery: its event id
     * ({@code data.id}) and instance id replaced, its timestamp now.
     *
     * @param sample     the sample's name, e.g. {@code build-upload-failed}
     * @param eventId    the webhook's {@code data.id}
     * @param instanceId the id of the resource it is about ({@code relationships.instance.data.id})
     */
    static byte[] appStoreConnectWebhook(String sample, String eventId, String instanceId) {
        String resource = "/samples/asc/" + sample + ".json";
        try (InputStream in = EndToEndStack.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            JsonNode root = JSON.readTree(in);
            ObjectNode data = (ObjectNode) root.get("data");
            data.put("id", eventId);
            if (data.get("attributes") instanceof ObjectNode attributes && attributes.has("timestamp")) {
                attributes.put("timestamp", Instant.now().toString());
            }
            ObjectNode instance = (ObjectNode) data.path("relationships").path("instance");
            String type = instance.path("data").path("type").asText();
            ((ObjectNode) instance.get("data")).put("id", instanceId);
            if (instance.get("links") instanceof ObjectNode links) {
                links.put("self", "https://api.appstoreconnect.apple.com/v1/" + type + "/" + instanceId);
            }
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The devstack's EAS sample {@code sample} as a new delivery: its build (or submission) id replaced. */
    static byte[] easWebhook(String sample, String id) {
        String resource = "/samples/eas/" + sample + ".json";
        try (InputStream in = EndToEndStack.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            ObjectNode root = (ObjectNode) JSON.readTree(in);
            root.put("id", id);
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * POSTs {@code body} to the ingress's App Store Connect endpoint with the signature App Store Connect would send
     * ({@code x-apple-signature: hmacsha256=<hex>} over the exact bytes) and expects it accepted.
     */
    void postAppStoreConnect(byte[] body) {
        post("app-store-connect", AppStoreConnectVerifier.SIGNATURE_HEADER,
                AppStoreConnectVerifier.signatureHeaderValue(Secret.of(ASC_SECRET), body), body);
    }

    /**
     * POSTs {@code body} to the ingress's EAS endpoint with the signature Expo would send
     * ({@code expo-signature: sha1=<hex>}, HMAC-SHA1 over the exact bytes) and expects it accepted.
     */
    void postEas(byte[] body) {
        post("eas", EasVerifier.SIGNATURE_HEADER, EasVerifier.signatureHeaderValue(Secret.of(EAS_SECRET), body), body);
    }

    private void post(String source, String signatureHeader, String signature, byte[] body) {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.ingressPort()
                        + "/webhooks/" + source + "/default"))
                .header("content-type", "application/json")
                .header(signatureHeader, signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertThat(answer.statusCode()).as("the ingress's answer: %s", answer.body()).isEqualTo(200);
    }

    /** Creates the connector over Connect's REST API and waits until it and its task run. */
    void create(ExampleConnector connector) {
        HttpResponse<String> created = send(connect("/connectors")
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(connector.createBody())));
        assertThat(created.statusCode()).as("creating %s: %s", connector.file(), created.body()).isEqualTo(201);
        awaitRunning(connector.name());
    }

    /** Deletes the connector (its task stops; its committed offsets stay). */
    void delete(String name) {
        HttpResponse<String> deleted = send(connect("/connectors/" + name).DELETE());
        assertThat(deleted.statusCode()).as("deleting %s: %s", name, deleted.body()).isEqualTo(204);
    }

    /** {@code POST /connectors/{name}/restart?includeTasks=true}, then waits until the connector and tasks run. */
    void restartWithTasks(String name) {
        HttpResponse<String> restarted = send(connect("/connectors/" + name + "/restart?includeTasks=true")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(restarted.statusCode()).as("restarting %s: %s", name, restarted.body()).isEqualTo(202);
        assertThat(restarted.body()).contains("RESTARTING");
        awaitRunning(name);
    }

    /**
     * Stops the connector, deletes its committed offsets and resumes it: its new task reads the events topic again
     * from the beginning, as after a crash before any commit.
     */
    void replayFromTheBeginning(String name) {
        assertThat(send(connect("/connectors/" + name + "/stop").PUT(HttpRequest.BodyPublishers.noBody()))
                .statusCode()).isEqualTo(204);
        await("connector " + name + " STOPPED").atMost(CONNECTOR_START)
                .until(() -> status(name).path("connector").path("state").asText().equals("STOPPED"));
        HttpResponse<String> reset = send(connect("/connectors/" + name + "/offsets").DELETE());
        assertThat(reset.statusCode()).as("resetting the offsets of %s: %s", name, reset.body()).isEqualTo(200);
        assertThat(send(connect("/connectors/" + name + "/resume").PUT(HttpRequest.BodyPublishers.noBody()))
                .statusCode()).isEqualTo(202);
        awaitRunning(name);
    }

    private void awaitRunning(String name) {
        await("connector " + name + " and its task RUNNING").atMost(CONNECTOR_START)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    JsonNode status = status(name);
                    JsonNode tasks = status.path("tasks");
                    return status.path("connector").path("state").asText().equals("RUNNING") && tasks.size() > 0
                            && tasks.findValuesAsText("state").stream().allMatch("RUNNING"::equals);
                });
    }

    /** {@code GET /connectors/{name}/status}, or an empty object while Connect does not know it yet. */
    JsonNode status(String name) {
        HttpResponse<String> answer = send(connect("/connectors/" + name + "/status").GET());
        try {
            return answer.statusCode() == 200 ? JSON.readTree(answer.body()) : JSON.createObjectNode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpRequest.Builder connect(String path) {
        return HttpRequest.newBuilder(URI.create(stack.connectUrl() + path)).timeout(Duration.ofSeconds(30));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops the devstack, then the stubs. */
    @Override
    public void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                // Keep stopping the rest; the test's own failure is the one worth reporting.
            }
        }
    }
}
