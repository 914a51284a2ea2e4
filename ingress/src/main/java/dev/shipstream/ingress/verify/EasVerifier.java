package dev.shipstream.ingress.verify;

import java.util.List;

/**
 * Verifies Expo EAS build and submit webhooks: header {@code expo-signature: sha1=<hex>}, the HMAC-SHA1 of the raw
 * body keyed with the webhook secret given to {@code eas webhook:create} (Expo, "Webhooks"; docs/sources.md).
 *
 * <p>Reads only that header and the body. Accepts with {@code HMAC_SHA1} and the id of the active secret that
 * matches; rejects a missing header ({@code MISSING_SIGNATURE}), a repeated or unparsable one
 * ({@code MALFORMED_SIGNATURE}, see {@link SignatureHeader}) and a wrong one ({@code SIGNATURE_MISMATCH}).
 * Thread-safe, constant-time per secret, never throws from {@link #verify}.
 */
public final class EasVerifier implements WebhookVerifier {

    /** The signature header, in the lower case Expo sends; the HTTP layer looks headers up case-insensitively. */
    public static final String SIGNATURE_HEADER = "expo-signature";
    /** Expo refuses shorter secrets, so a shorter one here cannot be the one Expo signs with. */
    public static final int MIN_SECRET_LENGTH = 16;
    /** What the signature header's value starts with, before the HMAC in hex. */
    public static final String PREFIX = "sha1=";

    private final HmacSignatureCheck check;

    /**
     * @param activeSecrets the project's active secrets, at least one, each at least 16 characters
     * @throws IllegalArgumentException if there is no secret, a null one, two with the same id, or one shorter than
     *                                  16 characters (the message names its id, never its value)
     */
    public EasVerifier(List<WebhookSecret> activeSecrets) {
        for (WebhookSecret secret : HmacSignatureCheck.requireActiveSecrets("EAS", activeSecrets)) {
            if (secret.secret().length() < MIN_SECRET_LENGTH) {
                throw new IllegalArgumentException("EAS webhook secret '" + secret.id()
                        + "' is shorter than " + MIN_SECRET_LENGTH + " characters, which Expo does not accept");
            }
        }
        this.check = new HmacSignatureCheck("EAS", SIGNATURE_HEADER, PREFIX, HmacAlgorithm.SHA1, activeSecrets);
    }

    /** A missing, repeated or malformed signature header, or the signature to check the body against. */
    @Override
    public Precheck beforeBody(SignedRequest headersOnly) {
        return check.beforeBody(headersOnly);
    }

    /**
     * The {@code expo-signature} value Expo would send for {@code body}; for tools, tests and benchmarks that play
     * the provider. The result is signature material: never log it.
     */
    public static String signatureHeaderValue(Secret secret, byte[] body) {
        return HmacSignatureCheck.headerValue(PREFIX, HmacAlgorithm.SHA1, secret, body);
    }
}
