package dev.shipstream.connectors.ci;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a webhook the Standard Webhooks way: the secret is {@code whsec_} followed by the base64 of 24 to 64 random
 * bytes; the signature is {@code v1,} followed by the base64 of HMAC-SHA256 over
 * {@code <webhook-id>.<webhook-timestamp>.<body>} with the decoded bytes as the key. Pure and thread-safe.
 */
final class StandardWebhookSigner {

    static final String SECRET_PREFIX = "whsec_";
    static final int MIN_KEY_BYTES = 24;
    static final int MAX_KEY_BYTES = 64;

    private final byte[] key;

    /** @throws IllegalArgumentException without any part of the secret when it is not a Standard Webhooks secret */
    StandardWebhookSigner(String secret) {
        this.key = decode(secret);
    }

    /** Why {@code secret} is not a Standard Webhooks secret, or null when it is one. Never echoes the secret. */
    static String problem(String secret) {
        try {
            decode(secret);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** The {@code webhook-signature} header value for one delivery. */
    String sign(String webhookId, long timestampSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] signature = mac.doFinal((webhookId + "." + timestampSeconds + "." + body)
                    .getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static byte[] decode(String secret) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("must start with " + SECRET_PREFIX + " followed by base64");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException("the part after " + SECRET_PREFIX + " is not base64");
        }
        if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("must decode to " + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES
                    + " bytes, not " + key.length);
        }
        return key;
    }
}
