package dev.shipstream.streams.query;

import dev.shipstream.streams.http.StatusServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Kafka Streams client that has not started (as during start-up, and like one shutting down) throws from its
 * discovery methods; the API answers 503 with Retry-After for each kind of query, never a 500.
 */
class QueryApiWhileNotRunningTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String STORE = "shipstream-review-histories";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private Vertx vertx;
    private HttpServer server;
    private KafkaStreams streams;

    @BeforeEach
    void start(@TempDir Path stateDir) throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        builder.table("histories", Consumed.with(Serdes.String(), Serdes.String()),
                Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as(STORE));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "query-not-running");
        // Nothing listens there: the client is built, never started.
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        streams = new KafkaStreams(builder.build(), props);
        vertx = Vertx.vertx();
        ReviewCycleApi api = new ReviewCycleApi(vertx, STORE, "shipstream.webhooks.raw");
        server = StatusServer.start(vertx, "127.0.0.1", 0, () -> true, () -> false, registry, api)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        api.attach(streams, new HostInfo("127.0.0.1", server.actualPort()));
    }

    @AfterEach
    void stop() throws Exception {
        streams.close(Duration.ofSeconds(10));
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        registry.close();
    }

    @Test
    void oneVersionIs503() throws Exception {
        assertUnavailable(get("/api/v1/versions/123/review-cycles", false));
    }

    @Test
    void aRangeIs503() throws Exception {
        assertUnavailable(get("/api/v1/review-cycles?from=2025-12-01T00:00:00Z&to=2026-01-01T00:00:00Z", false));
    }

    @Test
    void aRangeForwardedByAnotherInstanceIs503() throws Exception {
        assertUnavailable(get("/api/v1/review-cycles?from=2025-12-01T00:00:00Z&to=2026-01-01T00:00:00Z", true));
    }

    private static void assertUnavailable(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("retry-after")).hasValue("1");
        assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(new JsonObject(response.body()).getString("detail")).contains("not running");
    }

    private HttpResponse<String> get(String path, boolean forwarded) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort()
                + path)).timeout(Duration.ofSeconds(10));
        if (forwarded) {
            request.header(ReviewCycleApi.FORWARDED_HEADER, "1");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
