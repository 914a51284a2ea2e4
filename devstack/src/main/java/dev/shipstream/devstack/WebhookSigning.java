package dev.shipstream.devstack;

import java.util.Map;

import dev.shipstream.ingress.verify.AppStoreConnectVerifier;
import dev.shipstream.ingress.verify.EasVerifier;
import dev.shipstream.ingress.verify.Secret;

/**
 * Plays the provider: the headers that authenticate a body at a {@code default} endpoint, the way each provider sends
 * them. App Store Connect: {@code x-apple-signature: hmacsha256=<hex>}; EAS: {@code expo-signature: sha1=<hex>};
 * Appflow, which signs nothing: {@code Authorization: Bearer <token>}. The signatures come from the ingress's own
 * verifiers, so what is signed here is what the ingress accepts. The returned values are secret material: never log
 * or print them.
 */
final class WebhookSigning {

    private WebhookSigning() {
    }

    /** The ingress path segment of {@code source} (asc, eas, appflow). */
    static String pathSegment(String source) {
        return switch (source) {
            case "asc" -> "app-store-connect";
            case "eas" -> "eas";
            case "appflow" -> "appflow";
            default -> throw new IllegalArgumentException("unknown source '" + source + "'; one of asc, eas, appflow");
        };
    }

    /**
     * @param source  asc, eas or appflow
     * @param secrets {@link LocalSecrets#VARIABLES} with their values
     * @param body    the exact bytes that will be sent
     * @return header name to value
     */
    static Map<String, String> headers(String source, Map<String, String> secrets, byte[] body) {
        return switch (source) {
            case "asc" -> Map.of(AppStoreConnectVerifier.SIGNATURE_HEADER,
                    AppStoreConnectVerifier.signatureHeaderValue(secret(secrets, "SHIPSTREAM_ASC_SECRET"), body));
            case "eas" -> Map.of(EasVerifier.SIGNATURE_HEADER,
                    EasVerifier.signatureHeaderValue(secret(secrets, "SHIPSTREAM_EAS_SECRET"), body));
            case "appflow" -> Map.of("authorization", "Bearer " + value(secrets, "SHIPSTREAM_APPFLOW_TOKEN"));
            default -> throw new IllegalArgumentException("unknown source '" + source + "'; one of asc, eas, appflow");
        };
    }

    private static Secret secret(Map<String, String> secrets, String variable) {
        return Secret.of(value(secrets, variable));
    }

    private static String value(Map<String, String> secrets, String variable) {
        String value = secrets.get(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(variable + " is not in " + StackConnection.FILE_NAME
                    + "; restart ./shipstream dev");
        }
        return value;
    }
}
