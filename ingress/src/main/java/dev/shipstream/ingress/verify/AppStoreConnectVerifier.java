package dev.shipstream.ingress.verify;

import java.util.List;

/**
 * Verifies App Store Connect webhooks: header {@code x-apple-signature: hmacsha256=<hex>}, the HMAC-SHA256 of the
 * raw body keyed with the webhook's secret (Apple, "Webhook notifications"; docs/sources.md).
 *
 * <p>Reads only that header and the body. Accepts with {@code HMAC_SHA256} and the id of the active secret that
 * matches; rejects a missing header ({@code MISSING_SIGNATURE}), a repeated or unparsable one
 * ({@code MALFORMED_SIGNATURE}, see {@link SignatureHeader} for the exact syntax) and a wrong one
 * ({@code SIGNATURE_MISMATCH}). Thread-safe, constant-time per secret, never throws from {@link #verify}.
 */
public final class AppStoreConnectVerifier implements WebhookVerifier {

    /** The signature header, in the lower case Apple sends; the HTTP layer looks headers up case-insensitively. */
    public static final String SIGNATURE_HEADER = "x-apple-signature";
    /** What the signature header's value starts with, before the HMAC in hex. */
    public static final String PREFIX = "hmacsha256=";

    private final HmacSignatureCheck check;

    /**
     * @param activeSecrets the endpoint's active secrets, at least one (several during a rotation)
     * @throws IllegalArgumentException if there is no secret, a null one, or two with the same id
     */
    public AppStoreConnectVerifier(List<WebhookSecret> activeSecrets) {
        this.check = new HmacSignatureCheck("App Store Connect", SIGNATURE_HEADER, PREFIX, HmacAlgorithm.SHA256,
                activeSecrets);
    }

    /** A missing, repeated or malformed signature header, or the signature to check the body against. */
    @Override
    public Precheck beforeBody(SignedRequest headersOnly) {
        return check.beforeBody(headersOnly);
    }

    /**
     * The {@code x-apple-signature} value App Store Connect would send for {@code body}; for tools, tests and
     * benchmarks that play the provider. The result is signature material: never log it.
     */
    public static String signatureHeaderValue(Secret secret, byte[] body) {
        return HmacSignatureCheck.headerValue(PREFIX, HmacAlgorithm.SHA256, secret, body);
    }
}
