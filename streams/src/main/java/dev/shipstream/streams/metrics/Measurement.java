package dev.shipstream.streams.metrics;

import java.util.Objects;

/**
 * One observation of a delivery metric: an outcome, and its duration when both ends were observed.
 *
 * @param metric     what was measured
 * @param appId      the provider's app id, or null when no event told it
 * @param platform   the platform name ({@code dev.shipstream.schemas.Platform}), or null when no event told it
 * @param endedAt    the event time (epoch milliseconds) the observation belongs to: the end of the measured span,
 *                   which decides its day and week
 * @param durationMs the duration in milliseconds; null when its start or end was not observed (or the two
 *                   observed times are in the wrong order), never borrowed or guessed
 * @param outcome    how the measured thing ended, in the provider's words or the review-cycle outcome (e.g.
 *                   {@code APPROVED}, {@code FAILED}, {@code errored}, {@code success})
 */
public record Measurement(MetricName metric, String appId, String platform, long endedAt, Long durationMs,
                          String outcome) {

    public Measurement {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(outcome, "outcome");
        if (durationMs != null && durationMs < 0) {
            throw new IllegalArgumentException("durationMs must not be negative, got " + durationMs);
        }
    }

    /**
     * The span from {@code start} to {@code end}, or null unless both were observed and are in order. A negative
     * span means one of the provider's clocks is off; it is not measured rather than measured wrong.
     */
    static Long span(Long start, Long end) {
        if (start == null || end == null || end < start) {
            return null;
        }
        return end - start;
    }
}
