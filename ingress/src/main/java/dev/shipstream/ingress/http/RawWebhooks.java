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

    /** The allow-list's spelling of {@code name}, or null if it is not allow-listed. */
    private static String allowListed(String name) {
        for (String allowed : HEADER_ALLOW_LIST) {
            if (allowed.equalsIgnoreCase(name)) {
                return allowed;
            }
        }
        return null;
    }

    /** The record of a request accepted by {@code verification}. */
    public static RawWebhook of(WebhookEndpoint endpoint, MultiMap requestHeaders, String remoteAddress, byte[] body,
            Instant receivedAt, String requestId, Verification.Accepted verification) {
        // One pass over the request's few headers rather than a case-insensitive lookup per allow-listed name;
        // repeated headers are joined in the order they came, as a lookup of all values would give them.
        Map<String, String> headers = new HashMap<>();
        for (Map.Entry<String, String> header : requestHeaders) {
            String name = allowListed(header.getKey());
            if (name != null) {
                headers.merge(name, header.getValue(), (first, next) -> first + ", " + next);
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
