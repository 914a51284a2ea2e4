package dev.shipstream.streams.http;

import dev.shipstream.streams.query.Problems;
import dev.shipstream.streams.query.ReviewCycleApi;
import dev.shipstream.streams.query.ReviewCycleStream;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The HTTP server of the streams app: {@code GET /health/live} (200 while the application can make progress
 * without a restart, 503 once it cannot, e.g. Kafka Streams in ERROR), {@code GET /health/ready} (200 while it
 * processes records, 503 otherwise), {@code GET /metrics} (Prometheus text), and the analysts' query API described by
 * {@value #OPENAPI_RESOURCE} (served as is on {@code GET /api/openapi.yaml}).
 *
 * <p>The whole route table is in {@link #router}. The API's routes are made from the OpenAPI document, so every
 * request is validated against it before a handler sees it; a request it rejects is answered by
 * {@link Problems#failure} as {@code application/problem+json} naming the parameter. A new query is a new operation
 * in the document plus one {@code getRoute(operationId)} line here.
 */
public final class StatusServer {

    /** The API's contract, a classpath resource. */
    public static final String OPENAPI_RESOURCE = "openapi.yaml";

    private StatusServer() {
    }

    /**
     * Starts listening with an API that answers 503 (no Kafka Streams to ask), e.g. for tests of health alone.
     *
     * @see #start(Vertx, String, int, BooleanSupplier, BooleanSupplier, PrometheusMeterRegistry, ReviewCycleApi)
     */
    public static Future<HttpServer> start(Vertx vertx, String host, int port, BooleanSupplier live,
                                           BooleanSupplier ready, PrometheusMeterRegistry registry) {
        return start(vertx, host, port, live, ready, registry, new ReviewCycleApi(vertx, "none", "none"));
    }

    /**
     * Loads the OpenAPI document and starts listening.
     *
     * @param vertx    the Vert.x instance (the caller closes it)
     * @param host     the address to bind, e.g. 127.0.0.1
     * @param port     the port, 0 for any free one
     * @param live     whether the application is live; must not block
     * @param ready    whether the application is ready; must not block
     * @param registry rendered on {@code /metrics}
     * @param api      the review-cycle query handlers
     * @return the listening server (see {@link HttpServer#actualPort()})
     */
    public static Future<HttpServer> start(Vertx vertx, String host, int port, BooleanSupplier live,
                                           BooleanSupplier ready, PrometheusMeterRegistry registry,
                                           ReviewCycleApi api) {
        return start(vertx, host, port, live, ready, registry, api,
                ctx -> Problems.unavailable(ctx, "this instance streams no review cycles"));
    }

    /**
     * Loads the OpenAPI document and starts listening, with the review-cycle stream.
     *
     * @param vertx    the Vert.x instance (the caller closes it)
     * @param host     the address to bind, e.g. 127.0.0.1
     * @param port     the port, 0 for any free one
     * @param live     whether the application is live; must not block
     * @param ready    whether the application is ready; must not block
     * @param registry rendered on {@code /metrics}
     * @param api      the review-cycle query handlers
     * @param stream   the handler of {@code streamReviewCycles}, e.g. {@link ReviewCycleStream#subscribe}
     * @return the listening server (see {@link HttpServer#actualPort()})
     */
    public static Future<HttpServer> start(Vertx vertx, String host, int port, BooleanSupplier live,
                                           BooleanSupplier ready, PrometheusMeterRegistry registry,
                                           ReviewCycleApi api, Handler<RoutingContext> stream) {
        // Read here, on the caller's thread, not on the event loop.
        byte[] yaml = resource(OPENAPI_RESOURCE);
        Buffer document = Buffer.buffer(yaml);
        return OpenAPIContract.from(vertx, requestContract(yaml))
                .map(contract -> router(vertx, contract, document, live, ready, registry, api, stream))
                .compose(router -> vertx.createHttpServer(options()).requestHandler(router).listen(port, host));
    }

    /**
     * HTTP/1.1 only. Java's {@code HttpClient} asks on every plain-text request to upgrade to HTTP/2 (h2c) unless told
     * otherwise; Vert.x 5.0.7 accepted the upgrade and now and then left the upgraded response's body unfinished, so
     * the client waited for ever (its request timeout ends with the response headers). Seen as a hang of
     * {@code QueryApiContractTest}, which asks with a default client to keep it gone. The ingress refuses h2c too.
     */
    static HttpServerOptions options() {
        return new HttpServerOptions().setHttp2ClearTextEnabled(false);
    }

    static Router router(Vertx vertx, OpenAPIContract contract, Buffer document, BooleanSupplier live, BooleanSupplier ready,
                         PrometheusMeterRegistry registry, ReviewCycleApi api, Handler<RoutingContext> stream) {
        Objects.requireNonNull(live, "live");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(ready, "ready");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(api, "api");
        RouterBuilder builder = RouterBuilder.create(vertx, contract);
        builder.getRoute("getVersionReviewCycles").addHandler(api::version).addFailureHandler(Problems::failure);
        builder.getRoute("listReviewCycles").addHandler(api::list).addFailureHandler(Problems::failure);
        builder.getRoute("streamReviewCycles").addHandler(stream).addFailureHandler(Problems::failure);
        builder.getRoute("getAppReviewTimes").addHandler(api::reviewTimes).addFailureHandler(Problems::failure);
        builder.getRoute("getMetric").addHandler(api::metric).addFailureHandler(Problems::failure);
        Router router = builder.createRouter();

        router.get("/api/openapi.yaml").handler(ctx -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/yaml")
                .end(document));
        router.get("/health/live").handler(ctx -> status(ctx, live.getAsBoolean()));
        router.get("/health/ready").handler(ctx -> status(ctx, ready.getAsBoolean()));
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                .end(registry.scrape()));
        return router;
    }

    /**
     * The document as the request validator needs it: without response bodies. Vert.x's contract loader refuses
     * responses of media types it cannot validate ({@code application/problem+json}, {@code text/csv}), but the
     * router validates requests only, so what it is handed differs from the served document in nothing it checks.
     */
    static JsonObject requestContract(byte[] yaml) {
        JsonObject contract = new JsonObject(new Yaml(new SafeConstructor(new LoaderOptions()))
                .<Map<String, Object>>load(new String(yaml, StandardCharsets.UTF_8)));
        JsonObject paths = contract.getJsonObject("paths", new JsonObject());
        for (String path : paths.fieldNames()) {
            JsonObject item = paths.getJsonObject(path);
            for (String method : item.fieldNames()) {
                if (item.getValue(method) instanceof JsonObject operation
                        && operation.getValue("responses") instanceof JsonObject responses) {
                    withoutBodies(responses);
                }
            }
        }
        JsonObject components = contract.getJsonObject("components", new JsonObject());
        withoutBodies(components.getJsonObject("responses", new JsonObject()));
        return contract;
    }

    private static void withoutBodies(JsonObject responses) {
        for (String status : responses.fieldNames()) {
            if (responses.getValue(status) instanceof JsonObject response) {
                response.remove("content");
            }
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = StatusServer.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the classpath has no " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void status(RoutingContext ctx, boolean up) {
        ctx.response().setStatusCode(up ? 200 : 503)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
    }
}
