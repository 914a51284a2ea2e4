package dev.shipstream.ingress.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SignatureHeaderTest {

    private static final String HEX = "00ff10abcdef0123456789abcdefABCDEF010203";

    @Test
    void decodesPrefixAndHexOfTheExactLength() {
        assertThat(SignatureHeader.parse("sha1=" + HEX, "sha1=", 20)).get()
                .isEqualTo(HexFormat.of().parseHex(HEX.toLowerCase(java.util.Locale.ROOT)));
    }

    @Test
    void ignoresSpacesAndTabsAroundTheValueOnly() {
        assertThat(SignatureHeader.parse(" \t sha1=" + HEX + " \t", "sha1=", 20)).isPresent();
        assertThat(SignatureHeader.parse("\nsha1=" + HEX, "sha1=", 20)).isEmpty();
        assertThat(SignatureHeader.parse("sha1=" + HEX + "\u00a0", "sha1=", 20)).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "sha1=", "SHA1=00ff10abcdef0123456789abcdefABCDEF010203", "sha1:00ff10abcdef0123456789abcdefABCDEF010203",
        "sha1=00ff10abcdef0123456789abcdefABCDEF01020", "sha1=00ff10abcdef0123456789abcdefABCDEF01020304",
        "sha1=00ff10abcdef0123456789abcdefABCDEF01020x", "sha1=+0ff10abcdef0123456789abcdefABCDEF010203",
        "sha1=00ff10abcdef0123 56789abcdefABCDEF010203", "00ff10abcdef0123456789abcdefABCDEF010203",
        "sha1=sha1=00ff10abcdef0123456789abcdefABCDEF010203"})
    void rejectsAnythingElse(String value) {
        assertThat(SignatureHeader.parse(value, "sha1=", 20)).isEmpty();
    }

    @Test
    void rejectsNonsensicalArgumentsInsteadOfThrowing() {
        assertThat(SignatureHeader.parse("sha1=" + HEX, null, 20)).isEmpty();
        assertThat(SignatureHeader.parse("sha1=" + HEX, "", 20)).isEmpty();
        assertThat(SignatureHeader.parse("sha1=", "sha1=", 0)).isEmpty();
        assertThat(SignatureHeader.parse("sha1=" + HEX, "sha1=", -20)).isEmpty();
        assertThat(SignatureHeader.parse("sha1=" + HEX, "sha1=", Integer.MAX_VALUE)).isEmpty();
    }
}
