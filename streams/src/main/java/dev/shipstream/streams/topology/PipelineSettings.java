package dev.shipstream.streams.topology;

import dev.shipstream.schemas.Topics;

import java.time.Duration;
import java.util.Objects;

/**
 * What the pipeline topology needs to know: its topics, the application id recorded in dead letters, the
 * deduplication retention and the review-cycle grace.
 *
 * @param rawTopic         the raw-webhook topic read
 * @param eventsTopic      the delivery-event topic written
 * @param deadLetterTopic  the dead-letter topic written
 * @param applicationId    the Streams application id, recorded in dead letters
 * @param dedupRetention   how long an event id is remembered; a provider's retry or replay within it is dropped
 * @param reviewCyclesTopic the review-cycle topic written (and read back by the metrics sub-topology)
 * @param deliveryMetricsTopic the delivery-metric topic written
 * @param reviewGrace      how far behind an App Store version's latest event time a state change may be and still be
 *                         placed into its review cycles; an older one is dead-lettered ({@code LATE_EVENT})
 */
public record PipelineSettings(
        String rawTopic,
        String eventsTopic,
        String deadLetterTopic,
        String applicationId,
        Duration dedupRetention,
        String reviewCyclesTopic,
        String deliveryMetricsTopic,
        Duration reviewGrace) {

    /** The default deduplication retention; it covers the providers' retry horizons (hours to a few days). */
    public static final Duration DEFAULT_DEDUP_RETENTION = Duration.ofDays(7);

    /** The default review-cycle grace: as long as the deduplication retention, the providers' retry horizon. */
    public static final Duration DEFAULT_REVIEW_GRACE = Duration.ofDays(7);

    /**
     * The most state changes kept per App Store version. A version's real life is a few dozen changes even with
     * several rejections; the cap bounds the store and the work per event against a runaway producer.
     */
    public static final int MAX_STATE_CHANGES_PER_VERSION = 256;

    /** @throws IllegalArgumentException naming the invalid setting */
    public PipelineSettings {
        requireName("rawTopic", rawTopic);
        requireName("eventsTopic", eventsTopic);
        requireName("deadLetterTopic", deadLetterTopic);
        requireName("applicationId", applicationId);
        Objects.requireNonNull(dedupRetention, "dedupRetention");
        if (dedupRetention.toMillis() < 1) {
            throw new IllegalArgumentException("dedupRetention must be at least 1 ms, got " + dedupRetention);
        }
        requireName("reviewCyclesTopic", reviewCyclesTopic);
        requireName("deliveryMetricsTopic", deliveryMetricsTopic);
        Objects.requireNonNull(reviewGrace, "reviewGrace");
        if (reviewGrace.isNegative()) {
            throw new IllegalArgumentException("reviewGrace must not be negative, got " + reviewGrace);
        }
        if (rawTopic.equals(eventsTopic) || rawTopic.equals(deadLetterTopic) || eventsTopic.equals(deadLetterTopic)) {
            throw new IllegalArgumentException("rawTopic, eventsTopic and deadLetterTopic must differ, got "
                    + rawTopic + ", " + eventsTopic + ", " + deadLetterTopic);
        }
        if (reviewCyclesTopic.equals(rawTopic) || reviewCyclesTopic.equals(eventsTopic)
                || reviewCyclesTopic.equals(deadLetterTopic)) {
            throw new IllegalArgumentException("reviewCyclesTopic must differ from the other topics, got "
                    + reviewCyclesTopic);
        }
        if (deliveryMetricsTopic.equals(rawTopic) || deliveryMetricsTopic.equals(eventsTopic)
                || deliveryMetricsTopic.equals(deadLetterTopic) || deliveryMetricsTopic.equals(reviewCyclesTopic)) {
            throw new IllegalArgumentException("deliveryMetricsTopic must differ from the other topics, got "
                    + deliveryMetricsTopic);
        }
    }

    /**
     * Settings with the catalogue's review-cycle and delivery-metric topics and the default grace.
     *
     * @throws IllegalArgumentException naming the invalid setting
     */
    public PipelineSettings(String rawTopic, String eventsTopic, String deadLetterTopic, String applicationId,
                            Duration dedupRetention) {
        this(rawTopic, eventsTopic, deadLetterTopic, applicationId, dedupRetention, Topics.REVIEW_CYCLES.name(),
                Topics.DELIVERY_METRICS.name(), DEFAULT_REVIEW_GRACE);
    }

    /**
     * The catalogue topics with the default retention.
     *
     * @param applicationId the Streams application id
     * @return settings for {@link Topics#WEBHOOKS_RAW}, {@link Topics#EVENTS} and {@link Topics#DEADLETTER}
     */
    public static PipelineSettings defaults(String applicationId) {
        return new PipelineSettings(Topics.WEBHOOKS_RAW.name(), Topics.EVENTS.name(), Topics.DEADLETTER.name(),
                applicationId, DEFAULT_DEDUP_RETENTION);
    }

    /**
     * A copy with another retention.
     *
     * @param retention the deduplication retention
     * @return the copy
     */
    public PipelineSettings withDedupRetention(Duration retention) {
        return new PipelineSettings(rawTopic, eventsTopic, deadLetterTopic, applicationId, retention,
                reviewCyclesTopic, deliveryMetricsTopic, reviewGrace);
    }

    /**
     * A copy with another review-cycle grace.
     *
     * @param grace the review-cycle grace
     * @return the copy
     */
    public PipelineSettings withReviewGrace(Duration grace) {
        return new PipelineSettings(rawTopic, eventsTopic, deadLetterTopic, applicationId, dedupRetention,
                reviewCyclesTopic, deliveryMetricsTopic, grace);
    }

    /**
     * A copy with other analytics topics.
     *
     * @param reviewCycles    the review-cycle topic
     * @param deliveryMetrics the delivery-metric topic
     * @return the copy
     * @throws IllegalArgumentException if a name is blank or equals another topic's
     */
    public PipelineSettings withAnalyticsTopics(String reviewCycles, String deliveryMetrics) {
        return new PipelineSettings(rawTopic, eventsTopic, deadLetterTopic, applicationId, dedupRetention,
                reviewCycles, deliveryMetrics, reviewGrace);
    }

    private static void requireName(String setting, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(setting + " must not be blank");
        }
    }
}
