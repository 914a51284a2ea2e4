package dev.shipstream.streams.metrics;

import java.time.Instant;
import java.util.Objects;

/**
 * The key of one aggregate: {@code <metric>|<bucket>|<bucket start, ISO-8601 UTC>|<platform>|<app id>}, with
 * {@code -} for an unknown platform or app, e.g. {@code REVIEW_TOTAL|WEEK|2025-04-14T00:00:00Z|IOS|1234567890}.
 * The app id comes last so that it may hold any character; metric, bucket and start come first so that one metric's
 * buckets of a time range are one lexicographic range of the store (ISO-8601 instants of this form sort by time).
 *
 * @param metric      the metric
 * @param bucket      the bucket kind
 * @param bucketStart the bucket's start, epoch milliseconds
 * @param platform    the platform name, or null
 * @param appId       the app id, or null
 */
public record MetricKey(MetricName metric, MetricBucket bucket, long bucketStart, String platform, String appId) {

    /** Stands for an unknown platform or app in the key text. */
    public static final String UNKNOWN = "-";
    private static final char SEPARATOR = '|';

    public MetricKey {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(bucket, "bucket");
    }

    /** The key of the bucket a measurement falls into. */
    public static MetricKey of(Measurement measurement, MetricBucket bucket) {
        return new MetricKey(measurement.metric(), bucket, bucket.start(measurement.endedAt()),
                measurement.platform(), measurement.appId());
    }

    /** The start of the key text of every bucket of one metric and kind: they sort by bucket start after it. */
    public static String prefix(MetricName metric, MetricBucket bucket) {
        return metric.name() + SEPARATOR + bucket.name() + SEPARATOR;
    }

    /** The key text (the store and topic key). */
    public String text() {
        return prefix(metric, bucket) + Instant.ofEpochMilli(bucketStart) + SEPARATOR + (platform == null ? UNKNOWN : platform) + SEPARATOR + (appId == null ? UNKNOWN : appId);
    }

    /** Reads {@link #text()}. */
    public static MetricKey parse(String text) {
        String[] parts = text.split("\\|", 5);
        if (parts.length != 5) {
            throw new IllegalArgumentException("Not a metric key: " + text);
        }
        return new MetricKey(MetricName.valueOf(parts[0]), MetricBucket.valueOf(parts[1]),
                Instant.parse(parts[2]).toEpochMilli(), UNKNOWN.equals(parts[3]) ? null : parts[3],
                UNKNOWN.equals(parts[4]) ? null : parts[4]);
    }
}
