package dev.shipstream.ingress.http;

import dev.shipstream.ingress.WebhookSource;
import dev.shipstream.ingress.verify.Verification;
import dev.shipstream.schemas.Authentication;
import dev.shipstream.schemas.RawWebhook;
import io.vertx.core.MultiMap;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Assembles the {@link RawWebhook} record of an accepted request. Only allow-listed headers are kept:
 * {@code Authorization}, cookies and the query string (which may carry an Appflow token) never are.
 */
public final class RawWebhooks {

    /** Headers copied into {@code RawWebhook.headers}, lower case. */
    public static final List<String> HEADER_ALLOW_LIST = List.of(
            "content-type", "content-length", "user-agent",
            "x-apple-signature", "x-apple-request-uuid", "x-apple-jingle-correlation-key",
            "expo-signature", "x-forwarded-for");

    private RawWebhooks() {
    }

    /** The record of a request accepted by {@code verification}. */
    public static RawWebhook of(WebhookEndpoint endpoint, MultiMap requestHeaders, String remoteAddress, byte[] body,
            Instant receivedAt, String requestId, Verification.Accepted verification) {
        Map<String, String> headers = new HashMap<>();
        for (String name : HEADER_ALLOW_LIST) {
            List<String> values = requestHeaders.getAll(name);
            if (!values.isEmpty()) {
                headers.put(name, values.size() == 1 ? values.get(0) : String.join(", ", values));
            }
        }
        String signature = switch (endpoint.source()) {
            case APP_STORE_CONNECT -> requestHeaders.get("x-apple-signature");
            case EAS -> requestHeaders.get("expo-signature");
            case APPFLOW -> null;
        };
        String providerRequestId = endpoint.source() == WebhookSource.APP_STORE_CONNECT
                ? requestHeaders.get("x-apple-request-uuid") : null;
        return new RawWebhook(endpoint.source().schemaSource(), endpoint.id(), receivedAt, requestId,
                remoteAddress.isEmpty() ? null : remoteAddress, requestHeaders.get("content-type"),
                requestHeaders.get("user-agent"), signature, providerRequestId, headers, ByteBuffer.wrap(body),
                new Authentication(verification.scheme(), verification.secretId()));
    }
}
