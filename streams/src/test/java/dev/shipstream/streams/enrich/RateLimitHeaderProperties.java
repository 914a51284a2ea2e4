package dev.shipstream.streams.enrich;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;

import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitHeaderProperties {

    @Property(tries = 2000)
    void neverThrowsForAnyString(@ForAll @StringLength(max = 200) String value) {
        assertThat(RateLimitHeader.parse(value)).isNotNull();
    }

    @Property(tries = 500)
    void neverThrowsForHeaderLikeStrings(@ForAll("headerLike") String value) {
        assertThat(RateLimitHeader.parse(value)).isNotNull();
    }

    @Provide
    Arbitrary<String> headerLike() {
        return Arbitraries.strings().withChars("user-hour-limrem:;0123456789 -")
                .ofMaxLength(80);
    }

    @Property(tries = 500)
    void readsTheKnownPairsWhateverSurroundsThem(@ForAll @LongRange(min = 0, max = 1_000_000) long limit,
                                                 @ForAll @LongRange(min = 0, max = 1_000_000) long remaining,
                                                 @ForAll("junkPairs") String before,
                                                 @ForAll("junkPairs") String after) {
        String header = before + "user-hour-lim:" + limit + ";" + after + "user-hour-rem:" + remaining + ";" + after;

        assertThat(RateLimitHeader.parse(header))
                .contains(new RateLimitHeader(OptionalLong.of(limit), remaining));
    }

    @Provide
    Arbitrary<String> junkPairs() {
        Arbitrary<String> word = Arbitraries.strings().alpha().ofMinLength(1)
                .ofMaxLength(8);
        return Combinators.combine(word, word).as((k, v) -> k + ":" + v + ";")
                .list().ofMaxSize(3).map(l -> String.join("", l));
    }
}
