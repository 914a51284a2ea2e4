package dev.shipstream.ingress;

import dev.shipstream.ingress.verify.CidrBlock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How much the HTTP edge of the ingress admits before it reads a body, and whom it believes about client addresses.
 * Part of {@link IngressConfig}; validated here, once, at start-up.
 *
 * @param maxConnections          open connections across every event loop; a request on a connection beyond this is
 *                                answered 503 with {@code Retry-After} (and the connection closed) before its body is
 *                                read
 * @param maxBufferedBytes        body bytes that requests in flight may hold in memory together; each webhook request
 *                                reserves its {@code Content-Length} (its route's body limit when chunked) before its
 *                                body is read, and one that does not fit is answered 503 with {@code Retry-After}
 * @param maxUnauthorized         401 answers one client address may receive within {@code unauthorizedWindow}; past
 *                                that its webhook requests are answered 429 with {@code Retry-After} until the window
 *                                ends, without being verified
 * @param unauthorizedWindow      the window of {@code maxUnauthorized}
 * @param trustedProxies          peers whose {@code X-Forwarded-For} is believed (the load balancers in front of the
 *                                ingress); empty believes nobody, so the client address is always the TCP peer
 */
public record EdgeConfig(int maxConnections, long maxBufferedBytes, int maxUnauthorized, Duration unauthorizedWindow,
        List<CidrBlock> trustedProxies) {

    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    public static final long DEFAULT_MAX_BUFFERED_BYTES = 64L * 1024 * 1024;
    public static final int DEFAULT_MAX_UNAUTHORIZED = 20;
    public static final Duration DEFAULT_UNAUTHORIZED_WINDOW = Duration.ofMinutes(1);

    /** The defaults: 1024 connections, 64 MiB buffered, 20 401s per address and minute, no trusted proxy. */
    public static final EdgeConfig DEFAULTS = new EdgeConfig(DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_BUFFERED_BYTES,
            DEFAULT_MAX_UNAUTHORIZED, DEFAULT_UNAUTHORIZED_WINDOW, List.of());

    /** @throws IllegalArgumentException naming the offending setting */
    public EdgeConfig {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
        }
        if (maxBufferedBytes < 1) {
            throw new IllegalArgumentException("maxBufferedBytes must be at least 1, got " + maxBufferedBytes);
        }
        if (maxUnauthorized < 1) {
            throw new IllegalArgumentException("maxUnauthorizedPerAddress must be at least 1, got " + maxUnauthorized);
        }
        if (unauthorizedWindow == null || unauthorizedWindow.toMillis() < 1) {
            throw new IllegalArgumentException("unauthorizedWindowMs must be positive, got " + unauthorizedWindow);
        }
        if (trustedProxies == null || trustedProxies.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("trustedProxies must be a list of CIDR blocks");
        }
        trustedProxies = List.copyOf(trustedProxies);
    }

    /** A copy with other admission bounds. */
    public EdgeConfig withBounds(int newMaxConnections, long newMaxBufferedBytes) {
        return new EdgeConfig(newMaxConnections, newMaxBufferedBytes, maxUnauthorized, unauthorizedWindow,
                trustedProxies);
    }

    /** A copy with another 401 rate limit. */
    public EdgeConfig withUnauthorizedLimit(int newMaxUnauthorized, Duration newWindow) {
        return new EdgeConfig(maxConnections, maxBufferedBytes, newMaxUnauthorized, newWindow, trustedProxies);
    }

    /** A copy with other trusted proxies. */
    public EdgeConfig withTrustedProxies(List<CidrBlock> newTrustedProxies) {
        return new EdgeConfig(maxConnections, maxBufferedBytes, maxUnauthorized, unauthorizedWindow,
                newTrustedProxies);
    }
}
