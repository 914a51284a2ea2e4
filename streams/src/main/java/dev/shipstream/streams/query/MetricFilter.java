package dev.shipstream.streams.query;

import dev.shipstream.streams.metrics.MetricBucket;
import dev.shipstream.streams.metrics.MetricKey;
import dev.shipstream.streams.metrics.MetricName;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Which aggregates a metrics query asks for: buckets of one kind whose start is in [from, to), of the given metrics,
 * optionally of one app and one platform.
 *
 * @param metrics  the metrics, at least one
 * @param bucket   day or ISO week
 * @param from     inclusive, epoch milliseconds
 * @param to       exclusive, epoch milliseconds
 * @param app      the app id, or null for every app
 * @param platform the platform name, or null for every platform
 */
public record MetricFilter(List<MetricName> metrics, MetricBucket bucket, long from, long to, String app,
                           String platform) {

    public MetricFilter {
        metrics = List.copyOf(metrics);
        Objects.requireNonNull(bucket, "bucket");
    }

    /** Whether an aggregate's key is asked for. */
    public boolean matches(MetricKey key) {
        return metrics.contains(key.metric()) && key.bucket() == bucket && key.bucketStart() >= from
                && key.bucketStart() < to && (app == null || app.equals(key.appId()))
                && (platform == null || platform.equals(key.platform()));
    }

    /** The inclusive lower store key of one metric's range: its buckets start in whole seconds, fixed width. */
    public String lowerKey(MetricName metric) {
        return MetricKey.prefix(metric, bucket) + Instant.ofEpochSecond(Math.floorDiv(from, 1000L));
    }

    /** The inclusive upper store key of one metric's range ('}' sorts after the '|' that follows a start). */
    public String upperKey(MetricName metric) {
        return MetricKey.prefix(metric, bucket) + Instant.ofEpochSecond(-Math.floorDiv(-to, 1000L)) + '}';
    }
}
