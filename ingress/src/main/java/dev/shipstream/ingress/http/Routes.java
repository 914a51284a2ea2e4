package dev.shipstream.ingress.http;

import dev.shipstream.ingress.IngressConfig;
import dev.shipstream.ingress.WebhookSource;
import dev.shipstream.ingress.publish.RawWebhookPublisher;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The whole route table of the ingress, in one place:
 * <pre>
 *   every request          request id, connection deadlines, in-flight gauge, access log, request metric
 *   GET  /health/live      200 while the process serves HTTP
 *   GET  /health/ready     200 while the publisher reaches the cluster
 *   GET  /metrics          Prometheus text format
 *   POST /webhooks/app-store-connect/:endpoint   \
 *   POST /webhooks/eas/:endpoint                  } endpoint lookup (404), content policy (415),
 *   POST /webhooks/appflow/:endpoint             /  body limit (413), verify (401), publish (200 / 503)
 *   anything else          404; a known path with another method: 405
 *   failures               {@link ErrorResponses}
 * </pre>
 * Bodies are read as bytes whatever their content type: no form parsing, no uploads, no decompression.
 */
public final class Routes {

    /** Context key of the request id. */
    public static final String REQUEST_ID = "shipstream.requestId";
    /** Context key of the resolved {@link WebhookEndpoint}. */
    public static final String ENDPOINT = "shipstream.endpoint";
    /** The {@code Retry-After} of 503 answers, in seconds. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private Routes() {
    }

    /**
     * The router of one verticle.
     *
     * @param endpoints the configured endpoints, with verifiers built
     * @param deadlines the verticle's connection deadlines
     * @param draining  true once shutdown started (readiness then reports DOWN)
     */
    public static Router router(Vertx vertx, IngressConfig config, List<WebhookEndpoint> endpoints,
            RawWebhookPublisher publisher, IngressMetrics metrics, PrometheusMeterRegistry registry,
            ConnectionDeadlines deadlines, BooleanSupplier draining, Clock clock) {
        Router router = Router.router(vertx);
        boolean accessLog = config.accessLog();
        router.route().handler(ctx -> begin(ctx, metrics, deadlines, accessLog));

        HealthHandlers health = new HealthHandlers(publisher, registry, draining);
        router.get("/health/live").handler(health::live);
        router.get("/health/ready").handler(health::ready);
        router.get("/metrics").handler(health::metrics);

        WebhookHandler webhooks = new WebhookHandler(vertx, publisher, metrics, config.publishTimeout(), clock);
        for (WebhookSource source : WebhookSource.values()) {
            Map<String, WebhookEndpoint> byId = new HashMap<>();
            endpoints.stream().filter(e -> e.source() == source).forEach(e -> byId.put(e.id(), e));
            String path = "/webhooks/" + source.pathSegment() + "/:endpoint";
            // Two routes because Vert.x runs a route's body handler before its user handlers, and the endpoint
            // and content checks must come first: an unknown endpoint's body is never read.
            router.post(path)
                    .handler(ctx -> resolve(ctx, byId))
                    .handler(Routes::contentPolicy);
            router.post(path)
                    .handler(BodyHandler.create(false).setBodyLimit(config.bodyLimit(source)))
                    .handler(ctx -> {
                        deadlines.bodyReceived(ctx.request().connection());
                        ctx.next();
                    })
                    .handler(webhooks);
        }
        ErrorResponses errors = new ErrorResponses(RETRY_AFTER_SECONDS);
        router.route().failureHandler(errors);
        // Unmatched requests do not reach failure handlers: the router reports them through its error handlers.
        router.errorHandler(404, errors);
        router.errorHandler(405, errors);
        return router;
    }

    private static void begin(RoutingContext ctx, IngressMetrics metrics, ConnectionDeadlines deadlines,
            boolean accessLog) {
        long start = System.nanoTime();
        String requestId = RequestIds.next();
        ctx.put(REQUEST_ID, requestId);
        ctx.response().putHeader("X-Request-Id", requestId);
        HttpConnection connection = ctx.request().connection();
        deadlines.headersReceived(connection);
        metrics.requestStarted();
        String path = ctx.request().path();
        boolean webhook = path != null && path.startsWith("/webhooks/");
        ctx.addEndHandler(ar -> {
            deadlines.responseEnded(connection);
            WebhookEndpoint endpoint = ctx.get(ENDPOINT);
            String source = endpoint == null ? IngressMetrics.UNKNOWN : endpoint.source().pathSegment();
            String id = endpoint == null ? IngressMetrics.UNKNOWN : endpoint.id();
            int status = ctx.response().getStatusCode();
            metrics.requestEnded();
            if (webhook) {
                metrics.countRequest(source, id, status);
            }
            if (accessLog) {
                AccessLog.write(ctx, start, source, id, requestId);
            }
        });
        ctx.next();
    }

    private static void resolve(RoutingContext ctx, Map<String, WebhookEndpoint> byId) {
        WebhookEndpoint endpoint = byId.get(ctx.pathParam("endpoint"));
        if (endpoint == null) {
            ctx.fail(404);
            return;
        }
        ctx.put(ENDPOINT, endpoint);
        ctx.next();
    }

    /**
     * 415 for what this receiver will not interpret: a {@code Content-Encoding} other than identity (signatures are
     * over the bytes on the wire, and inflating invites zip bombs) and form or multipart bodies (no form parsing, no
     * uploads). Any other content type is read as bytes.
     */
    static void contentPolicy(RoutingContext ctx) {
        String encoding = ctx.request().getHeader(HttpHeaders.CONTENT_ENCODING);
        if (encoding != null && !encoding.isBlank() && !"identity".equalsIgnoreCase(encoding.strip())) {
            ctx.fail(415);
            return;
        }
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (type != null) {
            String lower = type.strip().toLowerCase(Locale.ROOT);
            if (lower.startsWith("multipart/") || lower.startsWith("application/x-www-form-urlencoded")) {
                ctx.fail(415);
                return;
            }
        }
        ctx.next();
    }
}
