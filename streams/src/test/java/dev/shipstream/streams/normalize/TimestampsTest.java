package dev.shipstream.streams.normalize;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TimestampsTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // 0 to 9 fractional digits
        "2025-12-05T14:30:45Z            | 2025-12-05T14:30:45Z",
        "2025-12-06T09:15:00.5Z          | 2025-12-06T09:15:00.500Z",
        "2025-05-08T01:29:36.16Z         | 2025-05-08T01:29:36.160Z",
        "2025-04-16T05:00:52.745Z        | 2025-04-16T05:00:52.745Z",
        "2025-04-16T05:00:52.7451Z       | 2025-04-16T05:00:52.745100Z",
        "2025-04-16T05:00:52.74512Z      | 2025-04-16T05:00:52.745120Z",
        "2025-07-11T17:47:14.498347Z     | 2025-07-11T17:47:14.498347Z",
        "2025-07-11T17:47:14.4983471Z    | 2025-07-11T17:47:14.498347100Z",
        "2025-07-11T17:47:14.49834712Z   | 2025-07-11T17:47:14.498347120Z",
        "2025-12-26T15:47:38.472168681Z  | 2025-12-26T15:47:38.472168681Z",
        // offsets
        "2018-08-24T14:49:01.462549+00:00 | 2018-08-24T14:49:01.462549Z",
        "2025-04-10T09:12:00-07:00       | 2025-04-10T16:12:00Z",
        "2025-04-10T09:12:00+0530        | 2025-04-10T03:42:00Z",
        "2025-04-10T09:12:00+02          | 2025-04-10T07:12:00Z",
        "2025-04-10T09:12:00.25-00:00    | 2025-04-10T09:12:00.250Z",
        // Ionic's malformed "Z+00:00", and other small liberties
        "2018-02-13T20:35:46.486541Z+00:00 | 2018-02-13T20:35:46.486541Z",
        "2018-02-09T21:38:19.086808Z+01:00 | 2018-02-09T20:38:19.086808Z",
        "2025-12-18 05:01:47.118Z        | 2025-12-18T05:01:47.118Z",
        "2025-12-18t05:01:47.118z        | 2025-12-18T05:01:47.118Z",
        "2025-12-18T05:01Z               | 2025-12-18T05:01:00Z",
        "'  2025-12-18T05:01:47Z  '      | 2025-12-18T05:01:47Z",
    })
    void parsesEveryFormTheProvidersSend(String text, String expected) {
        assertThat(Timestamps.parseIso(text)).contains(Instant.parse(expected));
    }

    @ParameterizedTest(name = "''{0}''")
    @NullSource
    @ValueSource(strings = {
        "",
        "   ",
        "yesterday",
        "2025-12-18T05:01:47",               // no offset: the zone would be a guess
        "2025-12-18T05:01:47.118",
        "2025-12-18",
        "2025-12-18T05:01:47.1234567890Z",   // ten fractional digits
        "2025-02-30T05:01:47Z",              // no such day
        "2025-12-18T25:01:47Z",
        "2025-12-18T05:01:47+25:00",
        "2025-12-18T05:01:47Z+00:00Z",
        "1734500000000",
        "+12025-12-18T05:01:47Z",
        "2025-12-18T05:01:47.118Zjunk",
    })
    void rejectsWhatIsNotAnUnambiguousInstant(String text) {
        assertThat(Timestamps.parseIso(text)).isEmpty();
    }

    @Test
    void rejectsOverlongText() {
        assertThat(Timestamps.parseIso("2025-12-18T05:01:47." + "1".repeat(100) + "Z")).isEmpty();
    }

    @Test
    void readsEpochMillisecondsFromNumbersAndDigitStrings() {
        Instant expected = Instant.parse("2021-11-24T09:57:41.168Z");

        assertThat(Timestamps.fromEpochMillis(1637747861168L)).contains(expected);
        assertThat(Timestamps.fromJson(NODES.numberNode(1637747861168L))).contains(expected);
        assertThat(Timestamps.fromJson(NODES.textNode("1637747861168"))).contains(expected);
    }

    @Test
    void readsIsoTextFromJson() {
        assertThat(Timestamps.fromJson(NODES.textNode("2021-11-24T09:57:42.715Z")))
                .contains(Instant.parse("2021-11-24T09:57:42.715Z"));
    }

    @Test
    void rejectsJsonThatHoldsNoTimestamp() {
        assertThat(Timestamps.fromJson(null)).isEmpty();
        assertThat(Timestamps.fromJson(NODES.nullNode())).isEmpty();
        assertThat(Timestamps.fromJson(NODES.missingNode())).isEmpty();
        assertThat(Timestamps.fromJson(NODES.numberNode(12117.540078))).isEmpty();
        assertThat(Timestamps.fromJson(NODES.booleanNode(true))).isEmpty();
        assertThat(Timestamps.fromJson(NODES.objectNode())).isEmpty();
        assertThat(Timestamps.fromJson(NODES.numberNode(new BigInteger("99999999999999999999")))).isEmpty();
    }

    @Test
    void rejectsEpochMillisecondsOutsideStorableYears() {
        assertThat(Timestamps.fromEpochMillis(Long.MAX_VALUE)).isEmpty();
        assertThat(Timestamps.fromEpochMillis(Long.MIN_VALUE)).isEmpty();
        assertThat(Timestamps.fromEpochMillis(0)).contains(Instant.EPOCH);
    }
}
