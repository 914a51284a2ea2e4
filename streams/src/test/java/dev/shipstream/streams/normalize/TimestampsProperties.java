package dev.shipstream.streams.normalize;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Timestamps#parseIso} reads the date-time fields itself instead of through {@code DateTimeFormatter}: on the
 * canonical form both can read, it must agree with {@code java.time} exactly, impossible dates and offsets included.
 */
class TimestampsProperties {

    private static final Instant MIN = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");

    @Property(tries = 3000)
    void agreesWithJavaTimeOnTheCanonicalForm(@ForAll("canonicalDateTimes") String text) {
        assertThat(Timestamps.parseIso(text)).isEqualTo(javaTime(text));
    }

    private static Optional<Instant> javaTime(String text) {
        try {
            Instant instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            return instant.isBefore(MIN) || instant.isAfter(MAX) ? Optional.empty() : Optional.of(instant);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code yyyy-MM-ddTHH:mm[:ss[.f{1,9}]](Z|±HH:MM)} with every field ranging a little past its limits (month 13,
     * day 32, hour 24, minute and second 60, offset 19:00), so the invalid values are compared too.
     */
    @Provide
    Arbitrary<String> canonicalDateTimes() {
        Arbitrary<String> date = Combinators.combine(number(0, 9999, 4), number(0, 13, 2), number(0, 32, 2))
                .as((y, m, d) -> y + "-" + m + "-" + d);
        Arbitrary<String> fraction = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(9).map(f -> "." + f);
        Arbitrary<String> seconds = Combinators.combine(number(0, 60, 2), fraction.injectNull(0.4))
                .as((s, f) -> ":" + s + (f == null ? "" : f));
        Arbitrary<String> time = Combinators.combine(number(0, 24, 2), number(0, 60, 2), seconds.injectNull(0.2))
                .as((h, m, s) -> h + ":" + m + (s == null ? "" : s));
        Arbitrary<String> offset = Arbitraries.oneOf(Arbitraries.just("Z"),
                Combinators.combine(Arbitraries.of("+", "-"), number(0, 19, 2), number(0, 60, 2))
                        .as((sign, h, m) -> sign + h + ":" + m));
        return Combinators.combine(date, time, offset).as((d, t, o) -> d + "T" + t + o);
    }

    private static Arbitrary<String> number(int min, int max, int width) {
        return Arbitraries.integers().between(min, max).map(n -> String.format("%0" + width + "d", n));
    }
}
