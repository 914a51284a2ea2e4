package dev.shipstream.ingress.verify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A webhook secret or token, held as its UTF-8 bytes.
 *
 * <p>Guarantees: {@link #toString()} is {@code "Secret[redacted]"}; no method returns the value as a
 * {@code String}; {@link #bytes()} returns a fresh copy, so callers cannot change the secret. {@code equals} is not
 * overridden (identity), because a value comparison would be one more place where a secret could be compared in
 * non-constant time; verifiers compare digests with {@link MessageDigest#isEqual}.
 */
public final class Secret {

    private final byte[] value;
    private final int length;

    private Secret(byte[] value, int length) {
        this.value = value;
        this.length = length;
    }

    /**
     * A secret from its text, encoded as UTF-8 (which is what the providers' reference receivers use as the HMAC
     * key).
     *
     * @throws IllegalArgumentException if {@code value} is null or blank; the message never contains the value
     */
    public static Secret of(String value) {
        if (value == null) {
            throw new IllegalArgumentException("secret must not be null");
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException("secret must not be blank");
        }
        return new Secret(value.getBytes(StandardCharsets.UTF_8), value.length());
    }

    /** A copy of the secret's UTF-8 bytes; the caller owns (and should clear) the copy. */
    public byte[] bytes() {
        return value.clone();
    }

    /**
     * The length in UTF-16 characters of the text the secret was made from, the unit providers use for minimum
     * lengths (Expo's CLI counts JavaScript string length).
     */
    public int length() {
        return length;
    }

    /** SHA-256 of the secret's bytes: tokens are compared as fixed-length digests so timing hides their length. */
    byte[] sha256() {
        return sha256(value);
    }

    static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "Secret[redacted]";
    }
}
