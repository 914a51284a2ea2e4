package dev.shipstream.ingress.http;

import dev.shipstream.ingress.verify.SignedRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.Optional;

/**
 * A {@link SignedRequest} over a Vert.x request whose body has been read into {@code body}, or, before the body is
 * read, over its headers only ({@link #headersOnly}), where {@link #body()} throws.
 */
final class HttpSignedRequest implements SignedRequest {

    private final Exchange exchange;
    private final byte[] body;

    HttpSignedRequest(Exchange exchange, byte[] body) {
        this.exchange = exchange;
        this.body = body;
    }

    /** The request before its body is read. */
    static HttpSignedRequest headersOnly(Exchange exchange) {
        return new HttpSignedRequest(exchange, null);
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(exchange.request.getHeader(name));
    }

    @Override
    public int headerCount(String name) {
        return exchange.request.headers().getAll(name).size();
    }

    @Override
    public Optional<String> queryParameter(String name) {
        // The query string's parameters: Vert.x core keeps form attributes apart, and none are parsed here anyway.
        return Optional.ofNullable(exchange.request.params().get(name));
    }

    /** The client address {@link Routes} resolved (see {@link ClientAddress}). */
    @Override
    public String remoteAddress() {
        return exchange.clientAddress;
    }

    /**
     * The TCP peer, from the connection: no forwarded header is honoured for it ({@link ClientAddress} alone reads
     * {@code X-Forwarded-For}, from trusted proxies only).
     */
    static String peerAddress(HttpServerRequest request) {
        SocketAddress address = request.connection().remoteAddress();
        if (address == null) {
            return "";
        }
        String host = address.hostAddress();
        return host != null ? host : "";
    }

    @Override
    public byte[] body() {
        if (body == null) {
            throw new IllegalStateException("the body has not been read yet");
        }
        return body;
    }
}
