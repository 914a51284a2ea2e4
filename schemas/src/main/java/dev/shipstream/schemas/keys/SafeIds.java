package dev.shipstream.schemas.keys;

/**
 * Makes provider ids safe to put into record keys and CloudEvents attributes by percent-encoding.
 *
 * <p>Ids come from signed but provider-controlled JSON and may hold anything a JSON string can: CR/LF, other
 * control characters, non-ASCII text, lone surrogates. Record keys and {@code ce_*} headers end up in logs, HTTP
 * headers of downstream bridges and file names, and the CloudEvents spec asks for non-empty printable strings.
 * Every character outside a small safe set is therefore written as the {@code %XX} escapes of its UTF-8 bytes
 * (uppercase hex, as RFC 3986 section 2.1 recommends); {@code %} itself is outside the set, so the encoding is
 * injective: distinct ids stay distinct, and an id made only of safe characters is returned unchanged, so the keys
 * of every real payload seen so far are what they were before this encoding existed.
 *
 * <ul>
 *   <li>{@link #keyComponent(String)}: RFC 3986 unreserved characters ({@code A-Z a-z 0-9 - . _ ~}). {@code :} is
 *       escaped because it separates the components of an entity key.</li>
 *   <li>{@link #attribute(String)}: the same plus {@code :}, for a whole attribute value such as
 *       {@code ce_id} = {@code <id>:<status>}.</li>
 * </ul>
 * A lone surrogate is encoded as the three bytes it would have as a code point (never as {@code ?}), which keeps the
 * encoding injective over all Java strings. Pure and thread-safe.
 */
public final class SafeIds {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private SafeIds() {
    }

    /**
     * Encodes one component of an entity key.
     *
     * @param raw the id or type as the provider sent it
     * @return {@code raw} with every character outside {@code A-Z a-z 0-9 - . _ ~} percent-encoded
     */
    public static String keyComponent(String raw) {
        return encode(raw, false);
    }

    /**
     * Encodes a CloudEvents attribute value.
     *
     * @param raw the value, e.g. a provider event id
     * @return {@code raw} with every character outside {@code A-Z a-z 0-9 - . _ ~ :} percent-encoded
     */
    public static String attribute(String raw) {
        return encode(raw, true);
    }

    /**
     * Whether a value contains only characters an encoded key or attribute can contain (the safe set, {@code :}
     * and {@code %}), i.e. nothing that needs encoding before it goes into a header.
     *
     * @param value any string
     * @return true if every character is in {@code A-Z a-z 0-9 - . _ ~ : %}
     */
    public static boolean isEncoded(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!safe(c, true) && c != '%') {
                return false;
            }
        }
        return true;
    }

    private static String encode(String raw, boolean keepColon) {
        int first = firstUnsafe(raw, keepColon);
        if (first < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length() + 16).append(raw, 0, first);
        int i = first;
        while (i < raw.length()) {
            int cp = raw.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x80 && safe((char) cp, keepColon)) {
                out.append((char) cp);
            } else {
                appendUtf8Escaped(out, cp);
            }
        }
        return out.toString();
    }

    private static int firstUnsafe(String raw, boolean keepColon) {
        for (int i = 0; i < raw.length(); i++) {
            if (!safe(raw.charAt(i), keepColon)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean safe(char c, boolean keepColon) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~' || (keepColon && c == ':');
    }

    // Written by hand rather than with String.getBytes, which turns a lone surrogate into '?' and so would make
    // "\uD800" and "?" the same key.
    private static void appendUtf8Escaped(StringBuilder out, int cp) {
        if (cp < 0x80) {
            escape(out, cp);
        } else if (cp < 0x800) {
            escape(out, 0xC0 | (cp >> 6));
            escape(out, 0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            escape(out, 0xE0 | (cp >> 12));
            escape(out, 0x80 | ((cp >> 6) & 0x3F));
            escape(out, 0x80 | (cp & 0x3F));
        } else {
            escape(out, 0xF0 | (cp >> 18));
            escape(out, 0x80 | ((cp >> 12) & 0x3F));
            escape(out, 0x80 | ((cp >> 6) & 0x3F));
            escape(out, 0x80 | (cp & 0x3F));
        }
    }

    private static void escape(StringBuilder out, int octet) {
        out.append('%').append(HEX[octet >> 4]).append(HEX[octet & 0xF]);
    }
}
