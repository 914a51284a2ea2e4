package dev.shipstream.streams.enrich;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2025-06-01T10:00:00Z");

    @Test
    void readsDeltaSeconds() {
        assertThat(RetryAfter.parse("120", NOW)).contains(Duration.ofSeconds(120));
    }

    @Test
    void readsAnHttpDate() {
        assertThat(RetryAfter.parse("Sun, 01 Jun 2025 10:00:30 GMT", NOW)).contains(Duration.ofSeconds(30));
    }

    @Test
    void readsEpochMillisecondsAsTheAppStoreServerApiSendsThem() {
        long at = NOW.plusSeconds(45).toEpochMilli();

        assertThat(RetryAfter.parse(Long.toString(at), NOW)).contains(Duration.ofSeconds(45));
    }

    @Test
    void treatsAPastInstantAsNoWait() {
        assertThat(RetryAfter.parse("Sun, 01 Jun 2025 09:00:00 GMT", NOW)).contains(Duration.ZERO);
    }

    @Test
    void ignoresWhatItCannotRead() {
        assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
        assertThat(RetryAfter.parse("-5", NOW)).isEmpty();
        assertThat(RetryAfter.parse("", NOW)).isEmpty();
        assertThat(RetryAfter.parse(null, NOW)).isEmpty();
    }
}
