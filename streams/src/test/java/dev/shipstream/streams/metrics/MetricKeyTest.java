package dev.shipstream.streams.metrics;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class MetricKeyTest {

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void dayIsTheUtcDay() {
        assertThat(MetricBucket.DAY.start(at("2025-04-16T23:59:59.999Z"))).isEqualTo(at("2025-04-16T00:00:00Z"));
        assertThat(MetricBucket.DAY.end(at("2025-04-16T00:00:00Z"))).isEqualTo(at("2025-04-17T00:00:00Z"));
    }

    @Test
    void weekIsTheIsoWeekFromMonday() {
        // Sunday night still belongs to the week that began the Monday before.
        assertThat(MetricBucket.WEEK.start(at("2025-04-20T23:59:59.999Z"))).isEqualTo(at("2025-04-14T00:00:00Z"));
        assertThat(MetricBucket.WEEK.start(at("2025-04-21T00:00:00Z"))).isEqualTo(at("2025-04-21T00:00:00Z"));
        // ISO week 1 of 2025 starts on Monday 2024-12-30, across the year boundary.
        assertThat(MetricBucket.WEEK.start(at("2025-01-01T12:00:00Z"))).isEqualTo(at("2024-12-30T00:00:00Z"));
        // The epoch was a Thursday; epoch-aligned 7-day windows would start there instead.
        assertThat(MetricBucket.WEEK.start(at("1970-01-01T00:00:00Z"))).isEqualTo(at("1969-12-29T00:00:00Z"));
    }

    @Test
    void keyTextRoundTripsAndKeepsAnyCharacterOfTheAppId() {
        MetricKey key = new MetricKey(MetricName.EAS_BUILD_TIME, MetricBucket.WEEK, at("2025-04-14T00:00:00Z"),
                "ANDROID", "odd|app|id");

        assertThat(key.text()).isEqualTo("EAS_BUILD_TIME|WEEK|2025-04-14T00:00:00Z|ANDROID|odd|app|id");
        assertThat(MetricKey.parse(key.text())).isEqualTo(key);
        MetricKey unknown = new MetricKey(MetricName.REVIEW_WAIT, MetricBucket.DAY, 0, null, null);
        assertThat(MetricKey.parse(unknown.text())).isEqualTo(unknown);
    }

    @Test
    void oneMetricsDaysSortInTimeOrder() {
        String earlier = new MetricKey(MetricName.REVIEW_TOTAL, MetricBucket.DAY, at("2025-04-09T00:00:00Z"),
                "IOS", "z").text();
        String later = new MetricKey(MetricName.REVIEW_TOTAL, MetricBucket.DAY, at("2025-04-10T00:00:00Z"),
                "IOS", "a").text();

        assertThat(earlier).isLessThan(later);
    }
}
