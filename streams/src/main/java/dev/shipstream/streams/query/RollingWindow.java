package dev.shipstream.streams.query;

import dev.shipstream.streams.metrics.MetricBucket;

import java.time.Duration;

/**
 * The rolling 30 days of the metrics routes ({@code bucket=rolling30}): the 30 UTC days whose day buckets start
 * before {@code to}, ending with the day that holds the instant just before {@code to}. With {@code to} at a
 * midnight that day is the previous one; with {@code to} during a day (e.g. now, the default) it is that day, whole.
 * Its aggregate is the exact merge of those 30 day sketches, done before any statistic is computed.
 *
 * @param from the first day's start, epoch milliseconds (inclusive)
 * @param to   the last day's end, epoch milliseconds (exclusive)
 */
public record RollingWindow(long from, long to) {

    /** The window's length in days. */
    public static final int DAYS = 30;

    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    /**
     * The window that ends with the day holding the instant just before {@code to}.
     *
     * @param to exclusive upper bound, epoch milliseconds
     * @return the window, whole UTC days
     */
    public static RollingWindow endingBefore(long to) {
        long end = MetricBucket.DAY.start(to - 1) + DAY_MS;
        return new RollingWindow(end - DAYS * DAY_MS, end);
    }
}
