package dev.shipstream.schemas.keys;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class SafeIdsTest {

    @Test
    void leavesUnreservedIdsUnchanged() {
        assertThat(SafeIds.keyComponent("ad7e6298-2570-4ca6-b3cc-f81788e40bdc"))
                .isEqualTo("ad7e6298-2570-4ca6-b3cc-f81788e40bdc");
        assertThat(SafeIds.keyComponent("AK7UjG-qL5QxXf3gIOGjbpQ_1.2~3")).isEqualTo("AK7UjG-qL5QxXf3gIOGjbpQ_1.2~3");
        assertThat(SafeIds.attribute("147a3212:errored")).isEqualTo("147a3212:errored");
    }

    @Test
    void encodesControlCharactersSpacePercentAndNonAscii() {
        assertThat(SafeIds.attribute("evil\r\nX-Evil: 1")).isEqualTo("evil%0D%0AX-Evil:%201");
        assertThat(SafeIds.keyComponent("a:b%c")).isEqualTo("a%3Ab%25c");
        assertThat(SafeIds.keyComponent("é€😀")).isEqualTo("%C3%A9%E2%82%AC%F0%9F%98%80");
    }

    @Test
    void encodesALoneSurrogateDistinctlyFromAQuestionMark() {
        assertThat(SafeIds.keyComponent("\uD800")).isEqualTo("%ED%A0%80").isNotEqualTo(SafeIds.keyComponent("?"));
    }

    @Test
    void recognisesEncodedValues() {
        assertThat(SafeIds.isEncoded("asc:webhookPingCreated:evil%0D%0A")).isTrue();
        assertThat(SafeIds.isEncoded("asc:t:evil\r\n")).isFalse();
        assertThat(SafeIds.isEncoded("a b")).isFalse();
    }

    @Property
    void encodedValuesHoldOnlyTheSafeAlphabet(@ForAll String raw) {
        assertThat(SafeIds.keyComponent(raw)).matches("[A-Za-z0-9._~%-]*");
        assertThat(SafeIds.attribute(raw)).matches("[A-Za-z0-9._~%:-]*");
        assertThat(SafeIds.isEncoded(SafeIds.attribute(raw))).isTrue();
    }

    // A small alphabet of the characters that could collide ('%' against an escape, '?' against a lone surrogate,
    // ':' against the separator), so that near-equal pairs are common.
    @Property
    void distinctValuesStayDistinct(
            @ForAll @StringLength(max = 4) @Chars({'a', 'A', '3', '%', ':', '?', '\r', '\uD800', '\u00e9'}) String a,
            @ForAll @StringLength(max = 4) @Chars({'a', 'A', '3', '%', ':', '?', '\r', '\uD800', '\u00e9'}) String b) {
        Assume.that(!a.equals(b));
        assertThat(SafeIds.keyComponent(a)).isNotEqualTo(SafeIds.keyComponent(b));
        assertThat(SafeIds.attribute(a)).isNotEqualTo(SafeIds.attribute(b));
    }
}
