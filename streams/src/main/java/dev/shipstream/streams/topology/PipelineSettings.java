package dev.shipstream.streams.topology;

import dev.shipstream.schemas.Topics;

import java.time.Duration;
import java.util.Objects;

/**
 * What the pipeline topology needs to know: its topics, the application id recorded in dead letters, and the
 * deduplication retention.
 *
 * @param rawTopic         the raw-webhook topic read
 * @param eventsTopic      the delivery-event topic written
 * @param deadLetterTopic  the dead-letter topic written
 * @param applicationId    the Streams application id, recorded in dead letters
 * @param dedupRetention   how long an event id is remembered; a provider's retry or replay within it is dropped
 */
public record PipelineSettings(
        String rawTopic,
        String eventsTopic,
        String deadLetterTopic,
        String applicationId,
        Duration dedupRetention) {

    /** The default deduplication retention; it covers the providers' retry horizons (hours to a few days). */
    public static final Duration DEFAULT_DEDUP_RETENTION = Duration.ofDays(7);

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
        if (rawTopic.equals(eventsTopic) || rawTopic.equals(deadLetterTopic) || eventsTopic.equals(deadLetterTopic)) {
            throw new IllegalArgumentException("rawTopic, eventsTopic and deadLetterTopic must differ, got "
                    + rawTopic + ", " + eventsTopic + ", " + deadLetterTopic);
        }
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
        return new PipelineSettings(rawTopic, eventsTopic, deadLetterTopic, applicationId, retention);
    }

    private static void requireName(String setting, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(setting + " must not be blank");
        }
    }
}
