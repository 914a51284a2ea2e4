package dev.shipstream.ingress.verify;

import java.util.Optional;

/**
 * Strict parser of {@code <prefix><hex digest>} signature header values such as {@code hmacsha256=<64 hex>} (App
 * Store Connect) and {@code sha1=<40 hex>} (Expo EAS).
 *
 * <p>Rules: spaces and horizontal tabs around the value are ignored (HTTP's optional whitespace, nothing else);
 * the prefix must match exactly and case-sensitively, as both providers send it in lower case and a looser match
 * would only widen what an attacker may probe; the hex digits are case-insensitive because the decoded bytes are
 * what is compared; the number of hex digits must be exactly twice the digest length. Anything else, including
 * {@code null}, is no signature at all. The parser never throws.
 */
public final class SignatureHeader {

    /** Far above any real digest; keeps {@code 2 * digestLength} from overflowing. */
    private static final int MAX_DIGEST_LENGTH = 1024;

    private SignatureHeader() {
    }

    /**
     * The digest bytes of {@code value}, or empty if the value is not exactly {@code expectedPrefix} followed by
     * {@code 2 * digestLength} hex digits (after trimming spaces and tabs).
     */
    public static Optional<byte[]> parse(String value, String expectedPrefix, int digestLength) {
        if (value == null || expectedPrefix == null || expectedPrefix.isEmpty()
                || digestLength <= 0 || digestLength > MAX_DIGEST_LENGTH) {
            return Optional.empty();
        }
        int start = 0;
        int end = value.length();
        while (start < end && isOptionalWhitespace(value.charAt(start))) {
            start++;
        }
        while (end > start && isOptionalWhitespace(value.charAt(end - 1))) {
            end--;
        }
        if (end - start != expectedPrefix.length() + 2 * digestLength || !value.startsWith(expectedPrefix, start)) {
            return Optional.empty();
        }
        byte[] digest = new byte[digestLength];
        int position = start + expectedPrefix.length();
        for (int i = 0; i < digestLength; i++) {
            int high = hexValue(value.charAt(position++));
            int low = hexValue(value.charAt(position++));
            if (high < 0 || low < 0) {
                return Optional.empty();
            }
            digest[i] = (byte) (high << 4 | low);
        }
        return Optional.of(digest);
    }

    private static boolean isOptionalWhitespace(char c) {
        return c == ' ' || c == '\t';
    }

    /** ASCII only: {@link Character#digit} would also accept e.g. full-width digits. */
    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
