package dev.shipstream.ingress.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error answer: a small JSON object {@code {"error":"<name>"}} that names the status and nothing else (a 401
 * never says what was wrong with the signature). 405 carries {@code Allow}, 503 carries {@code Retry-After}, 429 the
 * {@code Retry-After} its refusal put in {@link Exchange#retryAfterSeconds}. Unexpected exceptions become 500 and are
 * logged by class and message, with any query string cut out of the message.
 *
 * <p>An error answered before the body was read (every refusal of {@link EdgeChecks}, a 404, 413 or 415) closes the
 * connection rather than read the body: with {@code Expect: 100-continue} the client has not sent it and the
 * connection closes once the answer is written; otherwise what is still arriving is discarded unbuffered and the
 * connection closes when it ends (the connection deadlines bound a sender that never ends), so the client can read
 * the answer instead of seeing a reset.
 */
final class ErrorResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private final int retryAfterSeconds;

    /** @param retryAfterSeconds the {@code Retry-After} of 503 answers */
    ErrorResponses(int retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Logs {@code failure}, which nothing expected, and answers 500. */
    void unexpected(Exchange exchange, Throwable failure) {
        LOG.error("request {} failed: {}", exchange.id, withoutQuery(failure.toString()));
        answer(exchange, 500);
    }

    /** Answers {@code status} as described in the class comment; nothing if an answer has begun already. */
    void answer(Exchange exchange, int status) {
        HttpServerResponse response = exchange.response;
        if (response.ended() || response.closed() || response.headWritten()) {
            return;
        }
        HttpServerRequest request = exchange.request;
        if (status == 405) {
            response.putHeader(HttpHeaders.ALLOW, exchange.path.startsWith(Routes.WEBHOOKS) ? "POST" : "GET");
        }
        if (status == 503 || status == 429) {
            long retryAfter = exchange.retryAfterSeconds > 0 ? exchange.retryAfterSeconds : retryAfterSeconds;
            response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        }
        if (request.isEnded()) {
            respond(response, status, name(status));
            return;
        }
        response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        HttpConnection connection = request.connection();
        boolean bodyNotSent = request.headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true);
        respond(response, status, name(status)).onComplete(ar -> {
            if (bodyNotSent) {
                connection.close();
            }
        });
        if (!bodyNotSent) {
            request.handler(discarded -> { })
                    .exceptionHandler(e -> connection.close())
                    .endHandler(v -> connection.close())
                    .resume();
        }
    }

    static Future<Void> respond(HttpServerResponse response, int status, String error) {
        return response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end("{\"error\":\"" + error + "\"}");
    }

    /** {@code text} with every {@code ?query} cut, so a URI in an exception message cannot leak a token. */
    static String withoutQuery(String text) {
        return text.replaceAll("\\?[^\\s]*", "?<query removed>");
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
            case 429 -> "too_many_requests";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal_error" : "client_error";
        };
    }
}
