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

    private static final int CONTENT_TYPE = HEADER_ALLOW_LIST.indexOf("content-type");
    private static final int USER_AGENT = HEADER_ALLOW_LIST.indexOf("user-agent");
    private static final int APPLE_SIGNATURE = HEADER_ALLOW_LIST.indexOf("x-apple-signature");
    private static final int APPLE_REQUEST_UUID = HEADER_ALLOW_LIST.indexOf("x-apple-request-uuid");
    private static final int EXPO_SIGNATURE = HEADER_ALLOW_LIST.indexOf("expo-signature");

    private RawWebhooks() {
    }

    /** The record of a request accepted by {@code verification}. */
    public static RawWebhook of(WebhookEndpoint endpoint, MultiMap requestHeaders, String remoteAddress, byte[] body,
            Instant receivedAt, String requestId, Verification.Accepted verification) {
        // One pass over the request's few headers, which also finds the first value of each allow-listed one for the
        // record's own fields, rather than a case-insensitive lookup per name (both showed in profiles). Repeated
        // headers are joined in the order they came, as a lookup of all values would give them.
        Map<String, String> headers = new HashMap<>();
        String[] first = new String[HEADER_ALLOW_LIST.size()];
        for (Map.Entry<String, String> header : requestHeaders) {
            int index = allowListIndex(header.getKey());
            if (index < 0) {
                continue;
            }
            String value = header.getValue();
            if (first[index] == null) {
                first[index] = value;
                headers.put(HEADER_ALLOW_LIST.get(index), value);
            } else {
                headers.merge(HEADER_ALLOW_LIST.get(index), value, (earlier, next) -> earlier + ", " + next);
            }
        }
        String signature = switch (endpoint.source()) {
            case APP_STORE_CONNECT -> first[APPLE_SIGNATURE];
            case EAS -> first[EXPO_SIGNATURE];
            case APPFLOW -> null;
        };
        String providerRequestId = endpoint.source() == WebhookSource.APP_STORE_CONNECT
                ? first[APPLE_REQUEST_UUID] : null;
        return new RawWebhook(endpoint.source().schemaSource(), endpoint.id(), receivedAt, requestId,
                remoteAddress.isEmpty() ? null : remoteAddress, first[CONTENT_TYPE], first[USER_AGENT], signature,
                providerRequestId, headers, ByteBuffer.wrap(body),
                new Authentication(verification.scheme(), verification.secretId()));
    }

    /** The position of {@code name} in the allow-list, ignoring ASCII case; -1 if it is not allow-listed. */
    static int allowListIndex(String name) {
        for (int i = 0; i < HEADER_ALLOW_LIST.size(); i++) {
            if (equalsIgnoringAsciiCase(name, HEADER_ALLOW_LIST.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether {@code name} is {@code lowerCase} with any ASCII letters in upper case: header names are ASCII tokens,
     * and {@link String#equalsIgnoreCase} would also match non-ASCII look-alikes such as the Kelvin sign.
     */
    private static boolean equalsIgnoringAsciiCase(String name, String lowerCase) {
        if (name.length() != lowerCase.length()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            if (c != lowerCase.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
