package dev.shipstream.ingress.http;

import dev.shipstream.ingress.verify.SignedRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.util.Optional;

/**
 * A {@link SignedRequest} over a Vert.x request before its body is read, for {@link
 * dev.shipstream.ingress.verify.WebhookVerifier#beforeBody}: {@link #body()} throws, since the body goes to the
 * check that returns ({@link dev.shipstream.ingress.verify.Precheck.BodyCheck}).
 */
final class HttpSignedRequest implements SignedRequest {

    private final Exchange exchange;

    HttpSignedRequest(Exchange exchange) {
        this.exchange = exchange;
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
        throw new IllegalStateException("the body has not been read yet; it goes to the verifier's body check");
    }
}
