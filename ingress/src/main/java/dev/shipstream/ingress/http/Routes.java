package dev.shipstream.ingress.http;

import dev.shipstream.ingress.IngressConfig;
import dev.shipstream.ingress.WebhookSource;
import dev.shipstream.ingress.publish.RawWebhookPublisher;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The whole route table of the ingress, in one place, as the request handler of one verticle's HTTP server:
 * <pre>
 *   every request          request id, connection deadlines, client address, in-flight gauge, access log,
 *                          request metric, 401 count per address; an undecodable path or query: 400 (logged nowhere)
 *   GET  /health/live      200 while the process serves HTTP
 *   GET  /health/ready     200 while the publisher reaches the cluster
 *   GET  /metrics          Prometheus text format
 *   POST /webhooks/app-store-connect/{endpoint}   \  endpoint lookup (404), connection bound (503), 401 rate limit
 *   POST /webhooks/eas/{endpoint}                  } (429), content policy (415), declared length (413), what can be
 *   POST /webhooks/appflow/{endpoint}             /  verified without the body (401), buffered bytes (503); then
 *                                                    100 Continue, body limit (413), verify (401), publish (200 / 503)
 *   anything else          404; a known path with another method: 405
 *   failures               {@link ErrorResponses}
 * </pre>
 * Paths match exactly as written here (no percent-decoding, dot segments or trailing slash): providers post to the
 * URL they were given. Bodies are read as bytes whatever their content type: no form parsing, no uploads, no
 * decompression. A request whose client went away before its answer was written is logged with status
 * {@value #ABORTED} and counted with outcome {@code aborted}, never as what its unsent answer would have been.
 *
 * <p>Written on Vert.x core's request rather than Vert.x Web's router: for six fixed routes, the router's routing
 * context, pattern matching, dispatch and body handler were 13.5 % of the event loop's samples in the benchmark's
 * profile, more than any other library the ingress adds; without it the event loop spends about 1 µs less per request
 * (see docs/benchmarks.md). One instance per verticle, used only from its event loop.
 */
public final class Routes implements Handler<HttpServerRequest> {

    /** The {@code Retry-After} of 503 answers, in seconds. */
    public static final int RETRY_AFTER_SECONDS = 5;
    /** The status logged for a request whose client closed the connection before the answer (nginx's 499). */
    public static final int ABORTED = 499;

    /** The path prefix of every webhook route. */
    static final String WEBHOOKS = "/webhooks/";
    private static final String X_FORWARDED_FOR = "X-Forwarded-For";
    private static final CharSequence X_REQUEST_ID = HttpHeaders.createOptimized("X-Request-Id");

    private final IngressConfig config;
    private final IngressMetrics metrics;
    private final ConnectionDeadlines deadlines;
    private final EdgeAdmission admission;
    private final UnauthorizedLimiter limiter;
    private final AccessLog accessLog;
    private final ErrorResponses errors = new ErrorResponses(RETRY_AFTER_SECONDS);
    private final WebhookHandler webhooks;
    private final EdgeChecks checks;
    private final Map<String, Handler<HttpServerResponse>> gets = new HashMap<>();
    /** {@code /webhooks/<source>/} of every source. */
    private final Map<WebhookSource, String> sourcePrefixes = new EnumMap<>(WebhookSource.class);
    /** Every configured endpoint by its whole path. */
    private final Map<String, WebhookEndpoint> endpointsByPath = new HashMap<>();

    /**
     * The route table of one verticle.
     *
     * @param endpoints the configured endpoints, with verifiers built
     * @param deadlines the verticle's connection deadlines
     * @param admission the ingress's connection and buffered-bytes bounds, shared by every verticle
     * @param limiter   the ingress's 401 rate limit, shared by every verticle
     * @param draining  true once shutdown started (readiness then reports DOWN)
     * @param accessLog the verticle's access log, or null when it is off
     */
    public Routes(Vertx vertx, IngressConfig config, List<WebhookEndpoint> endpoints, RawWebhookPublisher publisher,
            IngressMetrics metrics, PrometheusMeterRegistry registry, ConnectionDeadlines deadlines,
            EdgeAdmission admission, UnauthorizedLimiter limiter, BooleanSupplier draining, Clock clock,
            AccessLog accessLog) {
        this.config = config;
        this.metrics = metrics;
        this.deadlines = deadlines;
        this.admission = admission;
        this.limiter = limiter;
        this.accessLog = accessLog;
        this.webhooks = new WebhookHandler(vertx, publisher, metrics, config.publishTimeout(), clock, errors);
        this.checks = new EdgeChecks(config, admission, limiter, metrics, errors);
        HealthHandlers health = new HealthHandlers(publisher, registry, draining);
        gets.put("/health/live", health::live);
        gets.put("/health/ready", health::ready);
        gets.put("/metrics", health::metrics);
        for (WebhookSource source : WebhookSource.values()) {
            sourcePrefixes.put(source, WEBHOOKS + source.pathSegment() + "/");
        }
        for (WebhookEndpoint endpoint : endpoints) {
            endpointsByPath.put(sourcePrefixes.get(endpoint.source()) + endpoint.id(), endpoint);
        }
    }

    @Override
    public void handle(HttpServerRequest request) {
        Exchange exchange = begin(request);
        try {
            route(exchange);
        } catch (RuntimeException e) {
            errors.unexpected(exchange, e);
        }
    }

    /** What every request gets first: an id, its deadlines, its client address, and its accounting once it ends. */
    private Exchange begin(HttpServerRequest request) {
        long start = System.nanoTime();
        long startMillis = System.currentTimeMillis();
        String requestId = RequestIds.next(startMillis);
        HttpServerResponse response = request.response();
        response.putHeader(X_REQUEST_ID, requestId);
        ConnectionDeadlines.Watch connection = deadlines.requestStarted(request.connection(), start);
        metrics.requestStarted();
        String client = ClientAddress.resolve(HttpSignedRequest.peerAddress(request),
                request.headers().getAll(X_FORWARDED_FOR), config.edge().trustedProxies());
        Exchange exchange = new Exchange(request, requestId, client, startMillis, start, connection);
        // Whichever comes first: the answer was written, or the connection failed or closed before it was.
        response.endHandler(v -> ended(exchange, true))
                .exceptionHandler(e -> ended(exchange, false))
                .closeHandler(v -> ended(exchange, false));
        return exchange;
    }

    private void ended(Exchange exchange, boolean answered) {
        if (!exchange.end()) {
            return;
        }
        HttpServerResponse response = exchange.response;
        // One clock read for the connection's next deadline and the access line's duration.
        long now = System.nanoTime();
        exchange.connection.responseEnded(now);
        if (exchange.reservedBytes > 0) {
            admission.release(exchange.reservedBytes);
            exchange.reservedBytes = 0;
        }
        WebhookEndpoint endpoint = exchange.endpoint;
        String source = endpoint == null ? IngressMetrics.UNKNOWN : endpoint.source().pathSegment();
        String id = endpoint == null ? IngressMetrics.UNKNOWN : endpoint.id();
        // A response that never ended was never seen by the client, whatever status it had been given.
        int status = answered && response.ended() ? response.getStatusCode() : ABORTED;
        metrics.requestEnded();
        if (status == 401) {
            limiter.recordUnauthorized(exchange.clientAddress);
        }
        if (exchange.path.startsWith(WEBHOOKS)) {
            metrics.countRequest(source, id, status);
        }
        if (accessLog != null) {
            accessLog.write(exchange, status, now);
        }
    }

    private void route(Exchange exchange) {
        HttpServerRequest request = exchange.request;
        String path = exchange.path;
        if (!uriDecodes(request, path)) {
            errors.answer(exchange, 400);
            return;
        }
        if (path.startsWith(WEBHOOKS)) {
            webhook(exchange, path);
            return;
        }
        Handler<HttpServerResponse> get = gets.get(path);
        if (get == null) {
            errors.answer(exchange, 404);
        } else if (request.method() != HttpMethod.GET) {
            errors.answer(exchange, 405);
        } else {
            get.handle(exchange.response);
        }
    }

    /**
     * Whether the path and the query string decode; checked first, so that no later step meets an undecodable URI
     * (and none logs one, which may hold an Appflow token).
     */
    private static boolean uriDecodes(HttpServerRequest request, String path) {
        try {
            if (path.indexOf('%') >= 0) {
                URLDecoder.decode(path, StandardCharsets.UTF_8);
            }
            if (request.query() != null) {
                request.params();
            }
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A request under {@value #WEBHOOKS}: its endpoint, the checks that need no body, then its body. */
    private void webhook(Exchange exchange, String path) {
        WebhookEndpoint endpoint = endpointsByPath.get(path);
        if (exchange.request.method() != HttpMethod.POST) {
            // 405 on a webhook route, configured endpoint or not; 404 below or beside one.
            errors.answer(exchange, endpoint != null || isWebhookRoute(path) ? 405 : 404);
            return;
        }
        if (endpoint == null) {
            errors.answer(exchange, 404);
            return;
        }
        exchange.endpoint = endpoint;
        // Cheapest first; a refused request's body is never read.
        if (checks.admit(exchange) && contentPolicy(exchange) && checks.beforeBody(exchange)) {
            readBody(exchange, config.bodyLimit(endpoint.source()));
        }
    }

    /** Whether the path is {@code /webhooks/<source>/<one segment>} for some source. */
    private boolean isWebhookRoute(String path) {
        for (String start : sourcePrefixes.values()) {
            if (path.startsWith(start) && path.length() > start.length() && path.indexOf('/', start.length()) < 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * 415 for what this receiver will not interpret: a {@code Content-Encoding} other than identity (signatures are
     * over the bytes on the wire, and inflating invites zip bombs) and form or multipart bodies (no form parsing, no
     * uploads). Any other content type is read as bytes. False after answering the refusal.
     */
    private boolean contentPolicy(Exchange exchange) {
        String encoding = exchange.request.getHeader(HttpHeaders.CONTENT_ENCODING);
        if (encoding != null && !encoding.isBlank() && !"identity".equalsIgnoreCase(encoding.strip())) {
            errors.answer(exchange, 415);
            return false;
        }
        String type = exchange.request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type != null) {
            String lower = type.strip().toLowerCase(Locale.ROOT);
            if (lower.startsWith("multipart/") || lower.startsWith("application/x-www-form-urlencoded")) {
                errors.answer(exchange, 415);
                return false;
            }
        }
        return true;
    }

    /**
     * Answers {@code Expect: 100-continue} (the server never does it by itself, so only a request that passed every
     * check is invited to send its body; 417 on HTTP/1.0, which has no such answer), reads the body up to
     * {@code limit} bytes (413 beyond) and hands it to the webhook handler.
     */
    private void readBody(Exchange exchange, long limit) {
        HttpServerRequest request = exchange.request;
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            if (request.version() == HttpVersion.HTTP_1_0) {
                errors.answer(exchange, 417);
                return;
            }
            exchange.response.writeContinue();
        }
        BodyReader body = new BodyReader(exchange, limit);
        request.handler(body)
                .endHandler(v -> body.complete())
                // A connection lost mid-body: the response's close handler accounts for the request as aborted.
                .exceptionHandler(e -> { });
    }

    /** The body of one request as it arrives; refuses it with 413 once it passes the limit. */
    private final class BodyReader implements Handler<Buffer> {

        private final Exchange exchange;
        private final long limit;
        private Buffer body;
        private boolean own;

        BodyReader(Exchange exchange, long limit) {
            this.exchange = exchange;
            this.limit = limit;
        }

        @Override
        public void handle(Buffer chunk) {
            long length = (body == null ? 0 : body.length()) + chunk.length();
            if (length > limit) {
                // The answer replaces this reader: the rest of the body is discarded, and the connection closed.
                errors.answer(exchange, 413);
                return;
            }
            if (body == null) {
                // Most bodies arrive in one chunk, which Vert.x hands over as a buffer of its own: kept, not copied.
                body = chunk;
            } else {
                if (!own) {
                    body = Buffer.buffer((int) Math.min(limit, 2L * length)).appendBuffer(body);
                    own = true;
                }
                body.appendBuffer(chunk);
            }
        }

        void complete() {
            exchange.connection.bodyReceived();
            try {
                webhooks.handle(exchange, body == null ? new byte[0] : body.getBytes());
            } catch (RuntimeException e) {
                errors.unexpected(exchange, e);
            }
        }
    }
}
