package dev.shipstream.ingress.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one failure handler: renders every error as a small JSON object {@code {"error":"<name>"}} that names the
 * status and nothing else (a 401 never says what was wrong with the signature). 405 carries {@code Allow}, 503
 * carries {@code Retry-After}. Unexpected exceptions become 500 and are logged by class and message only.
 */
public final class ErrorResponses implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private final int retryAfterSeconds;

    /** @param retryAfterSeconds the {@code Retry-After} of 503 answers */
    public ErrorResponses(int retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed() || response.headWritten()) {
            return;
        }
        int status = ctx.statusCode();
        if (status < 400) {
            status = 500;
            Throwable failure = ctx.failure();
            LOG.error("request {} failed: {}", ctx.get(Routes.REQUEST_ID), failure == null ? "unknown" : failure.toString());
        }
        if (status == 405) {
            response.putHeader(HttpHeaders.ALLOW, ctx.request().path().startsWith("/webhooks/") ? "POST" : "GET");
        }
        if (status == 503) {
            response.putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(retryAfterSeconds));
        }
        respond(response, status, name(status));
    }

    static void respond(HttpServerResponse response, int status, String error) {
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end("{\"error\":\"" + error + "\"}");
    }

    static String name(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 408 -> "request_timeout";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal_error" : "client_error";
        };
    }
}
