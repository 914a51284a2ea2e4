package dev.shipstream.streams.metrics;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/**
 * The calendar buckets metrics are summed in, in UTC and event time. A rolling 30 days is not a bucket: it is the
 * exact merge of the 30 {@link #DAY} sketches it covers, done by the reader.
 */
public enum MetricBucket {
    /** A UTC day, 00:00 to 24:00. */
    DAY,
    /** An ISO-8601 week in UTC: Monday 00:00 to the next Monday 00:00. */
    WEEK;

    /** The start (epoch milliseconds) of the bucket that holds {@code epochMs}. */
    public long start(long epochMs) {
        LocalDate day = LocalDate.ofInstant(Instant.ofEpochMilli(epochMs), ZoneOffset.UTC);
        LocalDate first = this == DAY ? day : day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        return first.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    /** The end (exclusive, epoch milliseconds) of the bucket that starts at {@code start}. */
    public long end(long start) {
        return start + (this == DAY ? 1L : 7L) * 24 * 3_600_000L;
    }
}
