package dev.shipstream.ingress.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Strong enough for random tokens as operators and the devstack make them; weak for what people type. */
class TokenStrengthTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int RANDOM_TOKENS = 20_000;

    @ParameterizedTest
    @ValueSource(strings = {"a", "password", "correcthorse", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "abababababababababababababababababababababababab", "0123456789abcdef0123456789abcdef0123456789abcdef",
            "Password123!", "0000000000000000000000000000000000000000000000000001", "k3Jp9-appflow"})
    void refusesShortRepetitiveAndLowVarietyTokens(String token) {
        assertThat(TokenStrength.isStrong(Secret.of(token))).isFalse();
    }

    /** Random input, not jqwik's: its edge cases (all zero bytes) are exactly what no generator of tokens makes. */
    @Test
    void acceptsWhatTheDevstackGenerates() {
        for (int i = 0; i < RANDOM_TOKENS; i++) {
            byte[] bytes = new byte[24];
            RANDOM.nextBytes(bytes);
            String devstackToken = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

            assertThat(TokenStrength.isStrong(Secret.of(devstackToken))).isTrue();
        }
    }

    @Test
    void acceptsOpensslStyleHexAndBase64Tokens() {
        for (int i = 0; i < RANDOM_TOKENS; i++) {
            byte[] sixteen = new byte[16];
            RANDOM.nextBytes(sixteen);
            byte[] thirtyTwo = new byte[32];
            RANDOM.nextBytes(thirtyTwo);

            assertThat(TokenStrength.isStrong(Secret.of(HexFormat.of().formatHex(sixteen)))).isTrue();
            assertThat(TokenStrength.isStrong(Secret.of(Base64.getEncoder().encodeToString(thirtyTwo)))).isTrue();
        }
    }

    @Property
    void aRepetitionCountsOnlyItsUnit(@ForAll @IntRange(min = 2, max = 10) int times) {
        String unit = "Zq8-xR2!vK";

        assertThat(TokenStrength.repeatingUnit(unit.repeat(times).codePoints().toArray())).isEqualTo(unit.length());
        assertThat(TokenStrength.isStrong(Secret.of(unit.repeat(times)))).isFalse();
    }
}
