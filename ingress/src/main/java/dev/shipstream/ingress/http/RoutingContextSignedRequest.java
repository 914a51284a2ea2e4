package dev.shipstream.ingress.http;

import dev.shipstream.ingress.verify.SignedRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/** A {@link SignedRequest} over a Vert.x request whose body has been read into {@code body}. */
final class RoutingContextSignedRequest implements SignedRequest {

    private final RoutingContext ctx;
    private final byte[] body;

    RoutingContextSignedRequest(RoutingContext ctx, byte[] body) {
        this.ctx = ctx;
        this.body = body;
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(ctx.request().getHeader(name));
    }

    @Override
    public int headerCount(String name) {
        return ctx.request().headers().getAll(name).size();
    }

    @Override
    public Optional<String> queryParameter(String name) {
        // Only the query string: Vert.x's request params would also include form attributes.
        return Optional.ofNullable(ctx.queryParams().get(name));
    }

    @Override
    public String remoteAddress() {
        return remoteAddress(ctx);
    }

    static String remoteAddress(RoutingContext ctx) {
        SocketAddress address = ctx.request().remoteAddress();
        if (address == null) {
            return "";
        }
        String host = address.hostAddress();
        return host != null ? host : "";
    }

    @Override
    public byte[] body() {
        return body;
    }
}
