package dev.shipstream.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/** The access line's time and path are written as their plain forms would be, by the faster ways the format has. */
class AccessLineFormatProperties {

    @Property(tries = 2000)
    void timesAreWrittenAsInstantWritesThem(@ForAll @LongRange(min = -62_000_000_000_000L,
            max = 253_000_000_000_000L) long millis, @ForAll @LongRange(min = -1500, max = 1500) long step) {
        AccessLineFormat format = new AccessLineFormat();
        StringBuilder out = new StringBuilder();
        // Twice in a row and then a nearby time: a second formatted afresh, reused, and maybe left.
        for (long time : List.of(millis, millis, millis + step)) {
            StringBuilder expected = new StringBuilder(out);
            expected.append(Instant.ofEpochMilli(time));

            format.appendTime(out, time);

            assertThat(out.toString()).isEqualTo(expected.toString());
        }
    }

    @Example
    void aWholeSecondHasNoFraction() {
        AccessLineFormat format = new AccessLineFormat();
        StringBuilder out = new StringBuilder();
        format.appendTime(out, 1_764_554_501_000L);
        format.appendTime(out, 1_764_554_501_007L);
        assertThat(out.toString()).isEqualTo("2025-12-01T02:01:41Z2025-12-01T02:01:41.007Z");
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

        assertThat(AccessLineFormat.safePath(path)).isEqualTo(expected.toString());
    }

    @Example
    void aLongPathWithControlCharactersIsCut() {
        assertThat(AccessLineFormat.safePath("/webhooks/a\nb" + "x".repeat(300))).startsWith("/webhooks/a?b").endsWith("x...")
                .hasSize(203);
        assertThat(AccessLineFormat.safePath(null)).isEqualTo("-");
    }

    @Example
    void aLineHasEveryFieldInItsPlaceAndEndsWithANewline() {
        StringBuilder out = new StringBuilder();
        new AccessLineFormat().appendLine(out, new AccessEntry(1_764_554_501_007L, "6f1c", "203.0.113.9",
                HttpMethod.POST, "/webhooks/app-store-connect/main\r\nforged", 200, 52, 870, "app-store-connect",
                "main"));

        assertThat(out.toString()).isEqualTo("2025-12-01T02:01:41.007Z 6f1c 203.0.113.9 POST "
                + "/webhooks/app-store-connect/main??forged 200 52B 870us source=app-store-connect endpoint=main\n");
    }
}
