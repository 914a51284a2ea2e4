package dev.shipstream.streams.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class StatusServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final AtomicBoolean live = new AtomicBoolean(true);
    private final AtomicBoolean ready = new AtomicBoolean();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private Vertx vertx;
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = StatusServer.start(vertx, "127.0.0.1", 0, live::get, ready::get, registry)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        registry.close();
    }

    @Test
    void aDefaultJavaClientsAskToUpgradeToHttp2IsAnsweredOverHttp11() throws Exception {
        assertThat(HTTP.version()).isEqualTo(HttpClient.Version.HTTP_2);

        HttpResponse<String> response = get("/api/openapi.yaml");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }

    @Test
    void liveAnswersUpWhileTheApplicationIsLive() throws Exception {
        HttpResponse<String> response = get("/health/live");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"status\":\"UP\"}");
    }

    @Test
    void liveAnswers503OnceTheApplicationIsNotLive() throws Exception {
        live.set(false);

        HttpResponse<String> response = get("/health/live");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("{\"status\":\"DOWN\"}");
    }

    @Test
    void readyFollowsTheStreamsState() throws Exception {
        assertThat(get("/health/ready").statusCode()).isEqualTo(503);

        ready.set(true);

        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void metricsRenderTheRegistryInPrometheusText() throws Exception {
        Counter.builder("shipstream.test.things").register(registry).increment(3);

        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> v.startsWith("text/plain"));
        assertThat(response.body()).contains("shipstream_test_things_total 3.0");
    }

    @Test
    void unknownPathsAre404() throws Exception {
        assertThat(get("/query").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
