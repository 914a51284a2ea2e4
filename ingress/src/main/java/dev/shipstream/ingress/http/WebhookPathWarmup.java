package dev.shipstream.ingress.http;

import dev.shipstream.ingress.WebhookSource;
import dev.shipstream.ingress.publish.EntityKey;
import dev.shipstream.ingress.publish.RawWebhookEncoder;
import dev.shipstream.ingress.verify.AppStoreConnectVerifier;
import dev.shipstream.ingress.verify.EasVerifier;
import dev.shipstream.ingress.verify.SignedRequest;
import dev.shipstream.ingress.verify.Verification;
import dev.shipstream.schemas.AuthScheme;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Topics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Runs the per-request code of the webhook path once per configured source, at start-up, before the server listens:
 * the verifier (with credentials wrong on purpose), the entity key, the record and its encoding, and the meters a
 * webhook records. Left to the first webhook, loading and initialising that code happens on an event loop, which then
 * serves nothing else (on a cold JVM the encoder's first use took 11–33 ms, and building the first publish-latency
 * histogram 126–155 ms). Nothing is published, counted or logged per request: the encoded record is dropped, and the
 * meters are used on a registry of their own, dropped too.
 *
 * <p>It warms classes, not compiled code: one pass loads and initialises what the path uses; the JIT compiles it
 * later under real load, as ever.
 */
public final class WebhookPathWarmup {

    /** The request id and secret id of the made-up request; never a real one (real ids are generated). */
    static final String WARMUP_ID = "warm-up";

    private WebhookPathWarmup() {
    }

    /**
     * What the warm-up of one source did.
     *
     * @param source       the source
     * @param verification the verifier's verdict on the made-up request: always a rejection
     * @param key          the entity key of the sample body
     * @param record       the record the sample body would have been published as
     * @param value        the record's encoded value (under schema id 0), dropped by the warm-up
     */
    public record Result(WebhookSource source, Verification verification, String key, RawWebhook record,
            byte[] value) {
    }

    /** Warms the path of each source among {@code endpoints} once (through its first endpoint); see the class. */
    public static List<Result> run(List<WebhookEndpoint> endpoints) {
        Set<WebhookSource> done = EnumSet.noneOf(WebhookSource.class);
        List<Result> results = new ArrayList<>();
        for (WebhookEndpoint endpoint : endpoints) {
            if (done.add(endpoint.source())) {
                results.add(run(endpoint));
            }
        }
        if (!results.isEmpty()) {
            warmMeters(results);
        }
        return results;
    }

    /**
     * The meters a webhook records, each used once on a registry of their own that is then dropped (so that the
     * server's {@code /metrics} shows no made-up request), and that registry rendered once as {@code /metrics} renders
     * the server's. A webhook records its publish latency before it is answered.
     */
    private static void warmMeters(List<Result> results) {
        PrometheusMeterRegistry scratch = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try {
            IngressMetrics metrics = new IngressMetrics(scratch);
            for (Result result : results) {
                metrics.countRequest(result.source().pathSegment(), WARMUP_ID, 200);
                metrics.publishFinished(result.source(), "acknowledged", TimeUnit.MILLISECONDS.toNanos(1));
            }
            scratch.scrape();
        } finally {
            scratch.close();
        }
    }

    private static Result run(WebhookEndpoint endpoint) {
        WebhookSource source = endpoint.source();
        byte[] body = sampleBody(source).getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = wrongCredentials(source);
        // The checks before the body, then the body's, as the server runs them (WebhookVerifier.verify is both).
        Verification verification = endpoint.verifier().verify(new MadeUpRequest(headers, body));
        String key = EntityKey.of(source, body);
        MultiMap requestHeaders = HttpHeaders.headers().add("content-type", "application/json");
        headers.forEach(requestHeaders::add);
        RawWebhook record = RawWebhooks.of(endpoint, requestHeaders, "127.0.0.1", body, Instant.now(), WARMUP_ID,
                new Verification.Accepted(AuthScheme.HMAC_SHA256, WARMUP_ID));
        byte[] value = RawWebhookEncoder.encode(0, record);
        // Built and dropped: the producer's record class is loaded here rather than on the first webhook.
        new ProducerRecord<>(Topics.WEBHOOKS_RAW.name(), key, value);
        return new Result(source, verification, key, record, value);
    }

    /** A small body of the source's usual shape, so that the entity key's rule reads it to the end. */
    static String sampleBody(WebhookSource source) {
        return switch (source) {
            case APP_STORE_CONNECT -> """
                    {"data":{"type":"appStoreVersionAppVersionStateUpdated","id":"warm-up","version":1,\
                    "attributes":{"newValue":"IN_REVIEW","oldValue":"WAITING_FOR_REVIEW"},\
                    "relationships":{"instance":{"data":{"type":"appStoreVersions","id":"warm-up"}}}}}""";
            case EAS -> """
                    {"id":"warm-up","platform":"ios","status":"finished",\
                    "buildDetailsPageUrl":"https://expo.dev/builds/warm-up"}""";
            case APPFLOW -> """
                    {"id":"warm-up","state":"success","buildInfo":{"id":"warm-up"}}""";
        };
    }

    /** Credentials of the right form (so that the body's check runs) that cannot be valid. */
    private static Map<String, String> wrongCredentials(WebhookSource source) {
        return switch (source) {
            case APP_STORE_CONNECT -> Map.of(AppStoreConnectVerifier.SIGNATURE_HEADER,
                    AppStoreConnectVerifier.PREFIX + "00".repeat(32));
            case EAS -> Map.of(EasVerifier.SIGNATURE_HEADER, EasVerifier.PREFIX + "00".repeat(20));
            case APPFLOW -> Map.of("authorization", "Bearer " + WARMUP_ID);
        };
    }

    /** The made-up request: lower-case header names, no query, a loopback peer. */
    private record MadeUpRequest(Map<String, String> headers, byte[] body) implements SignedRequest {

        @Override
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        @Override
        public int headerCount(String name) {
            return header(name).isPresent() ? 1 : 0;
        }

        @Override
        public Optional<String> queryParameter(String name) {
            return Optional.empty();
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1";
        }
    }
}
