package dev.shipstream.ingress.verify;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Whether a bearer token (an Appflow endpoint's only credential, see {@link AppflowTokenVerifier}) is strong enough
 * to guess no better than a random 128-bit value: an estimate, computed without ever exposing the token.
 *
 * <p>The estimate is {@code length × log2(pool)}, where the pool is the union of the character classes the token
 * uses (26 lower-case letters, 26 upper-case letters, 10 digits, 33 other characters) and the length is that of the
 * repeating unit when the token is two or more repetitions of one ({@code abcabcabc} counts 3 characters). A token
 * also needs at least {@value #MIN_DISTINCT} distinct characters. So random tokens of 32 base64url characters (what
 * the devstack generates), 43 ({@code openssl rand -base64 32}) or 32 hex digits ({@code openssl rand -hex 16})
 * pass, and {@code a}, {@code password}, {@code aaaa…} or {@code 0123456789abcdef} repeated do not.
 * An estimate cannot prove randomness: operators still have to generate tokens with a random generator.
 */
public final class TokenStrength {

    /** The entropy a token must have, in bits. */
    public static final int MIN_BITS = 128;
    /** Fewer distinct characters than this is low variety, whatever the length. */
    static final int MIN_DISTINCT = 8;
    private static final int LOWER = 26;
    private static final int UPPER = 26;
    private static final int DIGITS = 10;
    private static final int OTHER = 33;

    private TokenStrength() {
    }

    /** Whether {@code token} has at least {@value #MIN_BITS} bits by the estimate of the class comment. */
    public static boolean isStrong(Secret token) {
        byte[] utf8 = token.bytes();
        try {
            return estimatedBits(new String(utf8, StandardCharsets.UTF_8)) >= MIN_BITS;
        } finally {
            Arrays.fill(utf8, (byte) 0);
        }
    }

    /** The estimate of the class comment, 0 for low-variety tokens; for tests. */
    static double estimatedBits(String token) {
        int[] codePoints = token.codePoints().toArray();
        if (Arrays.stream(codePoints).distinct().count() < MIN_DISTINCT) {
            return 0;
        }
        boolean lower = false;
        boolean upper = false;
        boolean digit = false;
        boolean other = false;
        for (int c : codePoints) {
            if (c >= 'a' && c <= 'z') {
                lower = true;
            } else if (c >= 'A' && c <= 'Z') {
                upper = true;
            } else if (c >= '0' && c <= '9') {
                digit = true;
            } else {
                other = true;
            }
        }
        int pool = (lower ? LOWER : 0) + (upper ? UPPER : 0) + (digit ? DIGITS : 0) + (other ? OTHER : 0);
        return repeatingUnit(codePoints) * (Math.log(pool) / Math.log(2));
    }

    /**
     * The length of the shortest unit the token repeats at least twice (its smallest period, from the KMP failure
     * function), or its whole length when it is no such repetition. Shorter periods than half the length are the
     * only ones that count: a random token often ends with a few characters it began with.
     */
    static int repeatingUnit(int[] s) {
        int n = s.length;
        if (n == 0) {
            return 0;
        }
        int[] border = new int[n];
        for (int i = 1, k = 0; i < n; i++) {
            while (k > 0 && s[i] != s[k]) {
                k = border[k - 1];
            }
            if (s[i] == s[k]) {
                k++;
            }
            border[i] = k;
        }
        int period = n - border[n - 1];
        return period * 2 <= n ? period : n;
    }
}
