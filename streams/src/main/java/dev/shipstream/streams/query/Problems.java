package dev.shipstream.streams.query;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Error answers of the query API as RFC 9457 problem details ({@code application/problem+json}), with the name of
 * the bad request parameter in {@code parameter} when there is one.
 */
public final class Problems {

    /** The media type of every error answer. */
    public static final String MEDIA_TYPE = "application/problem+json";
    /** How long a client should wait before asking again while data moves between instances. */
    public static final int RETRY_AFTER_SECONDS = 1;

    // The validator names the parameter only in its message ("The value of query parameter limit is invalid...",
    // "...does not contain the required query parameter from").
    private static final Pattern PARAMETER = Pattern.compile("(?:path|query|header|cookie) parameter ([^\\s.]+)");

    private Problems() {
    }

    /** 400 naming the parameter. */
    public static void badParameter(RoutingContext ctx, String parameter, String detail) {
        send(ctx, 400, "Bad Request", detail, parameter);
    }

    /** 404. */
    public static void notFound(RoutingContext ctx, String detail) {
        send(ctx, 404, "Not Found", detail, null);
    }

    /** 503 with {@code Retry-After}. */
    public static void unavailable(RoutingContext ctx, String detail) {
        ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
        send(ctx, 503, "Service Unavailable", detail, null);
    }

    /**
     * The failure handler of the API's routes: a request the OpenAPI document rejects (400 from the validator) names
     * the parameter; anything else is a 500 whose detail says nothing of the internals.
     */
    public static void failure(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        Throwable failure = ctx.failure();
        if (failure instanceof HttpException http && http.getStatusCode() == 400) {
            String detail = http.getPayload() != null ? http.getPayload() : String.valueOf(http.getMessage());
            Matcher matcher = PARAMETER.matcher(detail);
            badParameter(ctx, matcher.find() ? matcher.group(1) : null, detail);
        } else if (failure instanceof NotQueryableException) {
            unavailable(ctx, failure.getMessage());
        } else if (failure instanceof HttpException http) {
            send(ctx, http.getStatusCode(), titleOf(http.getStatusCode()), http.getPayload(), null);
        } else {
            send(ctx, 500, "Internal Server Error", "the query failed; see the streams app's log", null);
        }
    }

    private static String titleOf(int status) {
        return io.netty.handler.codec.http.HttpResponseStatus.valueOf(status).reasonPhrase();
    }

    private static void send(RoutingContext ctx, int status, String title, String detail, String parameter) {
        JsonObject problem = new JsonObject()
                .put("type", "about:blank")
                .put("title", title)
                .put("status", status)
                .put("instance", ctx.request().path());
        if (detail != null) {
            problem.put("detail", detail);
        }
        if (parameter != null) {
            problem.put("parameter", parameter);
        }
        ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, MEDIA_TYPE)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(problem.encode());
    }
}
