package dev.shipstream.schemas;

import java.time.Duration;
import java.util.List;

/**
 * The topic catalogue: every topic Shipstream writes, with its contract. See {@code docs/topics.md}. Every topic has
 * the production durability of {@link TopicDescriptor#PRODUCTION_REPLICATION_FACTOR} replicas and
 * {@link TopicDescriptor#PRODUCTION_MIN_INSYNC_REPLICAS} in sync.
 */
public final class Topics {

    /** Authenticated webhook requests, body bytes untouched, keyed by entity key. Written by the ingress. */
    public static final TopicDescriptor<String, RawWebhook> WEBHOOKS_RAW = new TopicDescriptor<>(
            "shipstream.webhooks.raw", String.class, RawWebhook.class,
            TopicDescriptor.CleanupPolicy.DELETE, Duration.ofDays(30), 6,
            "authenticated webhook requests with their exact body bytes");

    /** Normalised, deduplicated, enriched delivery events, keyed by entity key. Written by the streams app. */
    public static final TopicDescriptor<String, DeliveryEvent> EVENTS = new TopicDescriptor<>(
            "shipstream.events", String.class, DeliveryEvent.class,
            TopicDescriptor.CleanupPolicy.DELETE, Duration.ofDays(365), 6,
            "normalised delivery events from every source");

    /** Records that could not be processed, with the reason and their original bytes. */
    public static final TopicDescriptor<String, DeadLetter> DEADLETTER = new TopicDescriptor<>(
            "shipstream.deadletter", String.class, DeadLetter.class,
            TopicDescriptor.CleanupPolicy.DELETE, Duration.ofDays(30), 1,
            "records that could not be processed, with reason and original bytes");

    /**
     * Review cycles of App Store versions, one record per change of a cycle, keyed by the version's entity key.
     * Written by the streams app. Compacting would keep only one cycle per version (all share the key), so the topic
     * keeps every change for a year, like the events it is computed from.
     */
    public static final TopicDescriptor<String, ReviewCycle> REVIEW_CYCLES = new TopicDescriptor<>(
            "shipstream.review-cycles", String.class, ReviewCycle.class,
            TopicDescriptor.CleanupPolicy.DELETE, Duration.ofDays(365), 6,
            "App Store review cycles per version, computed in event time");

    /**
     * Delivery metrics per app, platform, UTC day and ISO week, one record per change, keyed by metric, bucket and
     * app. Written by the streams app. The latest record per key is the current value; the topic keeps every change
     * for 400 days, so a week-old reader can rebuild a year of buckets.
     */
    public static final TopicDescriptor<String, DeliveryMetric> DELIVERY_METRICS = new TopicDescriptor<>(
            "shipstream.delivery-metrics", String.class, DeliveryMetric.class,
            TopicDescriptor.CleanupPolicy.DELETE, Duration.ofDays(400), 6,
            "delivery durations and outcomes per app, platform, day and week, with mergeable histograms");

    private static final List<TopicDescriptor<?, ?>> ALL = List.of(WEBHOOKS_RAW, EVENTS, DEADLETTER, REVIEW_CYCLES,
            DELIVERY_METRICS);

    private Topics() {
    }

    /** Every topic of the catalogue, in pipeline order. */
    public static List<TopicDescriptor<?, ?>> all() {
        return ALL;
    }
}
