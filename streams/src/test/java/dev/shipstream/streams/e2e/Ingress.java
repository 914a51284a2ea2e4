package dev.shipstream.streams.e2e;

import dev.shipstream.ingress.IngressConfig;
import dev.shipstream.ingress.IngressConfigLoader;
import dev.shipstream.ingress.IngressServer;
import dev.shipstream.testsupport.KafkaPlatform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The real ingress on 127.0.0.1 and an ephemeral port, configured as an operator would through its environment (one
 * {@code default} endpoint per provider), and a client that posts webhooks to it signed as each provider signs them.
 * It publishes to the catalogue's raw topic of the shared broker.
 */
final class Ingress implements AutoCloseable {

    // Made up per run: they only have to match between this client and the ingress.
    private final String ascSecret = "e2e-asc-" + Webhooks.newId();
    private final String easSecret = "e2e-eas-" + Webhooks.newId();
    private final String appflowToken = "e2e-appflow-" + Webhooks.newId();
    private final IngressServer server;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    Ingress(KafkaPlatform platform) {
        IngressConfig config = IngressConfigLoader.fromEnvironment(Map.of(
                        IngressConfigLoader.ASC_SECRET, ascSecret,
                        IngressConfigLoader.EAS_SECRET, easSecret,
                        IngressConfigLoader.APPFLOW_TOKEN, appflowToken,
                        IngressConfigLoader.ACCESS_LOG, "false"))
                .withKafka(platform.bootstrapServers(), platform.schemaRegistryUrl())
                .withPort(0);
        server = IngressServer.start(config, Map.of());
    }

    /** POSTs an App Store Connect webhook with its {@code x-apple-signature}. */
    HttpResponse<String> postAppStoreConnect(byte[] body) {
        return post("/webhooks/app-store-connect/default", body,
                "x-apple-signature", Webhooks.appleSignature(ascSecret, body));
    }

    /** POSTs an EAS webhook with its {@code expo-signature}. */
    HttpResponse<String> postEas(byte[] body) {
        return post("/webhooks/eas/default", body, "expo-signature", Webhooks.expoSignature(easSecret, body));
    }

    /** POSTs an Appflow webhook with its bearer token. */
    HttpResponse<String> postAppflow(byte[] body) {
        return post("/webhooks/appflow/default", body, "Authorization", "Bearer " + appflowToken);
    }

    /** The id the ingress gave the request, which the event carries as {@code ingressRequestId}. */
    static String requestId(HttpResponse<String> response) {
        return response.headers().firstValue("X-Request-Id").orElseThrow(
                () -> new AssertionError("no X-Request-Id in the ingress' answer " + response));
    }

    private HttpResponse<String> post(String path, byte[] body, String authHeader, String authValue) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header(authHeader, authValue)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while posting to the ingress", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
