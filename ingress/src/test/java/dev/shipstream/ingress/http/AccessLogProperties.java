package dev.shipstream.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * The access line's parts are written as their plain forms would be, as UTF-8, by the faster ways the log has: the
 * time as {@link Instant#toString()}, numbers as {@link Long#toString(long)}, text and paths byte for character while
 * they are ASCII.
 */
class AccessLogProperties {

    @Property(tries = 2000)
    void timesAreWrittenAsInstantWritesThem(@ForAll @LongRange(min = -62_000_000_000_000L,
            max = 253_000_000_000_000L) long millis, @ForAll @LongRange(min = -1500, max = 1500) long step) {
        AccessLog log = new AccessLog(null, AccessLines.logger());
        // Twice in a row and then a nearby time: a second formatted afresh, reused, and maybe left.
        for (long time : List.of(millis, millis, millis + step)) {
            StringBuilder expected = new StringBuilder(log.pending());
            expected.append(Instant.ofEpochMilli(time));

            log.appendTime(time);

            assertThat(log.pending()).isEqualTo(expected.toString());
        }
    }

    @Example
    void aWholeSecondHasNoFraction() {
        AccessLog log = new AccessLog(null, AccessLines.logger());
        log.appendTime(1_764_554_501_000L);
        log.appendTime(1_764_554_501_007L);
        assertThat(log.pending()).isEqualTo("2025-12-01T02:01:41Z2025-12-01T02:01:41.007Z");
    }

    @Property(tries = 2000)
    void pathsAreCutAndControlCharactersReplacedAsCharacterByCharacter(@ForAll String path) {
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < Math.min(path.length(), 200); i++) {
            char c = path.charAt(i);
            expected.append(Character.isISOControl(c) ? '?' : c);
        }
        if (path.length() > 200) {
            expected.append("...");
        }

        assertThat(AccessLog.safePath(path)).isEqualTo(expected.toString());
    }

    @Property(tries = 2000)
    void pathsAreWrittenAsTheSafePathInUtf8(@ForAll String path) {
        AccessLog log = new AccessLog(null, AccessLines.logger());
        log.appendPath("/webhooks/");

        log.appendPath(path);

        assertThat(log.pendingBytes()).isEqualTo(utf8("/webhooks/" + AccessLog.safePath(path)));
    }

    @Property(tries = 2000)
    void textIsWrittenAsUtf8(@ForAll String first, @ForAll String second) {
        AccessLog log = new AccessLog(null, AccessLines.logger());

        log.appendText(first);
        log.appendText(second);

        assertThat(log.pendingBytes()).isEqualTo(utf8(first + second));
    }

    @Property(tries = 2000)
    void numbersAreWrittenAsLongWritesThem(@ForAll long first,
            @ForAll @LongRange(min = 0, max = 1_000_000) long second) {
        AccessLog log = new AccessLog(null, AccessLines.logger());

        log.appendNumber(first);
        log.appendNumber(second);

        assertThat(log.pending()).isEqualTo(Long.toString(first) + second);
    }

    @Example
    void linesLongerThanTheArrayGrowIt() {
        AccessLog log = new AccessLog(null, AccessLines.logger());
        String longText = "ä".repeat(AccessLog.MAX_BATCH_BYTES);

        log.appendText(longText);
        log.appendPath("x".repeat(150) + "é");

        assertThat(log.pending()).isEqualTo(longText + "x".repeat(150) + "é");
    }

    @Example
    void aLongPathWithControlCharactersIsCut() {
        assertThat(AccessLog.safePath("/webhooks/a\nb" + "x".repeat(300))).startsWith("/webhooks/a?b").endsWith("x...")
                .hasSize(203);
        assertThat(AccessLog.safePath(null)).isEqualTo("-");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
