package dev.shipstream.streams.enrich;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitHeaderTest {

    @Test
    void readsApplesDocumentedForm() {
        assertThat(RateLimitHeader.parse("user-hour-lim:3500;user-hour-rem:500;"))
                .contains(new RateLimitHeader(OptionalLong.of(3500), 500));
    }

    @Test
    void ignoresExtraPairsAndEmptySegmentsSeenInTheWild() {
        assertThat(RateLimitHeader.parse("user-hour-lim:2500;user-hour-rem:10;hank:dean:venture;rusty:jr;;"))
                .contains(new RateLimitHeader(OptionalLong.of(2500), 10));
    }

    @Test
    void acceptsAnyOrderCaseAndSpacing() {
        assertThat(RateLimitHeader.parse(" USER-HOUR-REM : 7 ; user-hour-lim:3600"))
                .contains(new RateLimitHeader(OptionalLong.of(3600), 7));
    }

    @Test
    void needsTheRemainingCount() {
        assertThat(RateLimitHeader.parse("user-hour-lim:3500;")).isEmpty();
        assertThat(RateLimitHeader.parse("user-hour-rem:-1;")).isEmpty();
        assertThat(RateLimitHeader.parse("user-hour-rem:99999999999999999999;")).isEmpty();
        assertThat(RateLimitHeader.parse(null)).isEmpty();
        assertThat(RateLimitHeader.parse("")).isEmpty();
    }
}
