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
 *   every request          request id, connection deadlines, client address, in-flight gauge, access log,
 *                          request metric, 401 count per address; an undecodable path or query: 400 (logged nowhere)
 *   GET  /health/live      200 while the process serves HTTP
 *   GET  /health/ready     200 while the publisher reaches the cluster
 *   GET  /metrics          Prometheus text format
 *   POST /webhooks/app-store-connect/:endpoint   \  endpoint lookup (404), connection bound (503), 401 rate limit
 *   POST /webhooks/eas/:endpoint                  } (429), content policy (415), declared length (413), what can be
 *   POST /webhooks/appflow/:endpoint             /  verified without the body (401), buffered bytes (503); then
 *                                                   100 Continue, body limit (413), verify (401), publish (200 / 503)
 *   anything else          404; a known path with another method: 405
 *   failures               {@link ErrorResponses}
 * </pre>
 * Bodies are read as bytes whatever their content type: no form parsing, no uploads, no decompression. A request
 * whose client went away before its answer was written is logged with status {@value #ABORTED} and counted with
 * outcome {@code aborted}, never as what its unsent answer would have been.
 */
public final class Routes {

    /** The {@code Retry-After} of 503 answers, in seconds. */
    public static final int RETRY_AFTER_SECONDS = 5;
    /** The status logged for a request whose client closed the connection before the answer (nginx's 499). */
    public static final int ABORTED = 499;

    private static final String X_FORWARDED_FOR = "X-Forwarded-For";
    private static final CharSequence X_REQUEST_ID = HttpHeaders.createOptimized("X-Request-Id");

    private Routes() {
    }

    /**
     * The router of one verticle.
     *
     * @param endpoints the configured endpoints, with verifiers built
     * @param deadlines the verticle's connection deadlines
     * @param admission the ingress's connection and buffered-bytes bounds, shared by every verticle
     * @param limiter   the ingress's 401 rate limit, shared by every verticle
     * @param draining  true once shutdown started (readiness then reports DOWN)
     * @param accessLog the verticle's access log, or null when it is off
     */
    public static Router router(Vertx vertx, IngressConfig config, List<WebhookEndpoint> endpoints,
            RawWebhookPublisher publisher, IngressMetrics metrics, PrometheusMeterRegistry registry,
            ConnectionDeadlines deadlines, EdgeAdmission admission, UnauthorizedLimiter limiter,
            BooleanSupplier draining, Clock clock, AccessLog accessLog) {
        Router router = Router.router(vertx);
        ErrorResponses errors = new ErrorResponses(RETRY_AFTER_SECONDS);
        router.route().handler(ctx -> begin(ctx, config, metrics, deadlines, admission, limiter, errors,
                accessLog));

        HealthHandlers health = new HealthHandlers(publisher, registry, draining);
        router.get("/health/live").handler(health::live);
        router.get("/health/ready").handler(health::ready);
        router.get("/metrics").handler(health::metrics);

        WebhookHandler webhooks = new WebhookHandler(vertx, publisher, metrics, config.publishTimeout(), clock);
        EdgeChecks checks = new EdgeChecks(config, admission, limiter, deadlines, metrics);
        for (WebhookSource source : WebhookSource.values()) {
            Map<String, WebhookEndpoint> byId = new HashMap<>();
            endpoints.stream().filter(e -> e.source() == source).forEach(e -> byId.put(e.id(), e));
            String path = "/webhooks/" + source.pathSegment() + "/:endpoint";
            BodyHandler body = BodyHandler.create(false).setBodyLimit(config.bodyLimit(source));
            // One route, and the checks that need no body in one handler, cheapest first: each route matched and each
            // handler passed costs the router a pattern match or a dispatch on every request. The body handler is
            // wrapped because Vert.x moves a BodyHandler ahead of a route's other handlers, and the checks must come
            // first: a refused request's body is never read.
            router.post(path)
                    .handler(ctx -> {
                        if (resolve(ctx, byId) && checks.admit(ctx) && contentPolicy(ctx) && checks.beforeBody(ctx)) {
                            ctx.next();
                        }
                    })
                    .handler(body::handle)
                    .handler(ctx -> {
                        deadlines.bodyReceived(ctx.request().connection());
                        webhooks.handle(ctx);
                    });
        }
        router.route().failureHandler(errors);
        // Unmatched requests do not reach failure handlers: the router reports them through its error handlers.
        router.errorHandler(404, errors);
        router.errorHandler(405, errors);
        return router;
    }

    private static void begin(RoutingContext ctx, IngressConfig config, IngressMetrics metrics,
            ConnectionDeadlines deadlines, EdgeAdmission admission, UnauthorizedLimiter limiter,
            ErrorResponses errors, AccessLog accessLog) {
        long start = System.nanoTime();
        String requestId = RequestIds.next();
        ctx.response().putHeader(X_REQUEST_ID, requestId);
        HttpConnection connection = ctx.request().connection();
        deadlines.headersReceived(connection);
        metrics.requestStarted();
        String client = ClientAddress.resolve(RoutingContextSignedRequest.peerAddress(ctx),
                ctx.request().headers().getAll(X_FORWARDED_FOR), config.edge().trustedProxies());
        RequestFacts facts = new RequestFacts(requestId, client);
        ctx.put(RequestFacts.KEY, facts);
        String path = ctx.request().path();
        boolean webhook = path != null && path.startsWith("/webhooks/");
        ctx.addEndHandler(ar -> {
            deadlines.responseEnded(connection);
            if (facts.reservedBytes > 0) {
                admission.release(facts.reservedBytes);
                facts.reservedBytes = 0;
            }
            WebhookEndpoint endpoint = facts.endpoint;
            String source = endpoint == null ? IngressMetrics.UNKNOWN : endpoint.source().pathSegment();
            String id = endpoint == null ? IngressMetrics.UNKNOWN : endpoint.id();
            // A response that never ended was never seen by the client, whatever status it had been given.
            int status = ar.failed() || !ctx.response().ended() ? ABORTED : ctx.response().getStatusCode();
            metrics.requestEnded();
            if (status == 401) {
                limiter.recordUnauthorized(client);
            }
            if (webhook) {
                metrics.countRequest(source, id, status);
            }
            if (accessLog != null) {
                accessLog.write(ctx, start, status, source, id, facts);
            }
        });
        if (!uriDecodes(ctx)) {
            errors.answer(ctx, 400);
            return;
        }
        ctx.next();
    }

    /**
     * Whether the path and the query string decode. Checked here, first, because Vert.x decodes them lazily while
     * matching routes and logs a failure there as an error, with the whole URI (which may hold an Appflow token).
     */
    private static boolean uriDecodes(RoutingContext ctx) {
        try {
            ctx.normalizedPath();
            ctx.request().params();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Puts the request's endpoint in the context; false after failing the request with 404 if there is none. */
    private static boolean resolve(RoutingContext ctx, Map<String, WebhookEndpoint> byId) {
        WebhookEndpoint endpoint = byId.get(ctx.pathParam("endpoint"));
        if (endpoint == null) {
            ctx.fail(404);
            return false;
        }
        RequestFacts.of(ctx).endpoint = endpoint;
        return true;
    }

    /**
     * 415 for what this receiver will not interpret: a {@code Content-Encoding} other than identity (signatures are
     * over the bytes on the wire, and inflating invites zip bombs) and form or multipart bodies (no form parsing, no
     * uploads). Any other content type is read as bytes. False after failing the request.
     */
    static boolean contentPolicy(RoutingContext ctx) {
        String encoding = ctx.request().getHeader(HttpHeaders.CONTENT_ENCODING);
        if (encoding != null && !encoding.isBlank() && !"identity".equalsIgnoreCase(encoding.strip())) {
            ctx.fail(415);
            return false;
        }
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        if (type != null) {
            String lower = type.strip().toLowerCase(Locale.ROOT);
            if (lower.startsWith("multipart/") || lower.startsWith("application/x-www-form-urlencoded")) {
                ctx.fail(415);
                return false;
            }
        }
        return true;
    }
}
