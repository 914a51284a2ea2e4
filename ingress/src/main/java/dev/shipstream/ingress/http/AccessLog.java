package dev.shipstream.ingress.http;

import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the logger {@value #LOGGER}: request id, client address, method, path (never the query
 * string, which may carry an Appflow token), status ({@value Routes#ABORTED} when the client went away before its
 * answer), response bytes, duration, source and endpoint. Headers are not logged,
 * so neither signatures nor bearer tokens are.
 */
public final class AccessLog {

    /** The logger name, so that deployments can route access lines elsewhere. */
    public static final String LOGGER = "dev.shipstream.ingress.access";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    private static final int MAX_PATH = 200;

    private AccessLog() {
    }

    /**
     * Writes the line of a finished request that started at {@code startNanos} and ended with {@code status}
     * ({@link Routes#ABORTED} if the client went away first).
     */
    public static void write(RoutingContext ctx, long startNanos, int status, String source, String endpoint,
            String requestId) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        long micros = (System.nanoTime() - startNanos) / 1000;
        LOG.info("{} {} {} {} {} {}B {}us source={} endpoint={}", requestId,
                RoutingContextSignedRequest.remoteAddress(ctx), ctx.request().method().name(),
                safePath(ctx.request().path()), status, ctx.response().bytesWritten(),
                micros, source, endpoint);
    }

    /** The path cut to a bounded length with control characters replaced, so a client cannot forge log lines. */
    static String safePath(String path) {
        if (path == null) {
            return "-";
        }
        String bounded = path.length() > MAX_PATH ? path.substring(0, MAX_PATH) + "..." : path;
        StringBuilder out = new StringBuilder(bounded.length());
        for (int i = 0; i < bounded.length(); i++) {
            char c = bounded.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return out.toString();
    }
}
