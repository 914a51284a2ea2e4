package dev.shipstream.streams.topology;

/**
 * The name of every node and store of the pipeline topology.
 *
 * <p>Kafka Streams derives changelog topics, task assignment and stored offsets from these names; renaming one
 * breaks a running deployment (its state and changelog are orphaned). {@code PipelineTopologyDescriptionTest} pins
 * the whole description, so a rename is a deliberate act.
 */
public final class Names {

    /** Reads the raw-webhook topic as bytes. */
    public static final String RAW_WEBHOOKS_SOURCE = "raw-webhooks-source";
    /** Decodes and normalises a raw webhook; routes failures to the dead-letter sink. */
    public static final String PARSE = "parse-raw-webhook";
    /** Drops events whose provider event id was seen within the retention. */
    public static final String DEDUPLICATE = "deduplicate-by-event-id";
    /** The window store of seen event ids; its changelog is {@code <application id>-shipstream-dedup-event-ids-changelog}. */
    public static final String DEDUP_STORE = "shipstream-dedup-event-ids";
    /** The App Store Connect enrichment stage. */
    public static final String ENRICH = "enrich-from-app-store-connect";
    /** Adds the CloudEvents binary-mode headers. */
    public static final String CLOUD_EVENTS = "add-cloudevents-headers";
    /** Writes delivery events. */
    public static final String EVENTS_SINK = "delivery-events-sink";
    /** Writes dead letters. */
    public static final String DEAD_LETTER_SINK = "dead-letter-sink";
    /** Turns App Store version state changes into review cycles. */
    public static final String REVIEW_CYCLES = "compute-review-cycles";
    /** The key-value store of each App Store version's state changes; its changelog is {@code <application id>-shipstream-review-histories-changelog}. */
    public static final String REVIEW_HISTORY_STORE = "shipstream-review-histories";
    /** Writes review cycles. */
    public static final String REVIEW_CYCLES_SINK = "review-cycles-sink";

    /**
     * Reads delivery events for the metrics. The metrics' node names sort after {@link #RAW_WEBHOOKS_SOURCE}, so the
     * first sub-topology keeps number 0 and its tasks keep their state.
     */
    public static final String METRICS_EVENTS_SOURCE = "source-events-for-metrics";
    /** Reads review cycles for the metrics. */
    public static final String METRICS_CYCLES_SOURCE = "source-review-cycles-for-metrics";
    /** Measures EAS and Appflow completions, build processing and TestFlight beta review. */
    public static final String MEASURE_EVENTS = "measure-delivery-events";
    /** The window store of build-upload and TestFlight state changes kept to pair with later ones. */
    public static final String METRICS_PHASE_STORE = "shipstream-metric-state-changes";
    /** Measures each decided review cycle once. */
    public static final String MEASURE_CYCLES = "measure-review-cycles";
    /** The window store of review decisions already measured. */
    public static final String METRICS_MEASURED_CYCLES_STORE = "shipstream-metric-measured-cycles";
    /** Merges the two measurement streams. */
    public static final String MERGE_MEASUREMENTS = "merge-measurements";
    /** Repartitions measurements by metric, platform and app; the topic is {@code <application id>-summarize-delivery-metrics-repartition}. */
    public static final String METRICS_REPARTITION = "summarize-delivery-metrics";
    /** Sums measurements per metric, platform, app, UTC day and ISO week. */
    public static final String AGGREGATE_METRICS = "aggregate-delivery-metrics";
    /**
     * The key-value store of delivery-metric sketches, for interactive queries: key {@code MetricKey.text()}
     * ({@code <metric>|DAY or WEEK|<bucket start ISO-8601>|<platform or ->|<app id or ->}), value a
     * {@code DurationSketch} ({@code DurationSketch.serde()}). One metric's buckets of a time range are one key range.
     */
    public static final String METRICS_STORE = "shipstream-delivery-metrics";
    /** Writes delivery metrics. */
    public static final String METRICS_SINK = "delivery-metrics-sink";

    /**
     * The repartition topic the metrics sub-topology reads: its partitions are the partitions of
     * {@link #METRICS_STORE} (Kafka Streams names it {@code <application id>-<name>-repartition}).
     */
    public static String metricsRepartitionTopic(String applicationId) {
        return applicationId + "-" + METRICS_REPARTITION + "-repartition";
    }

    private Names() {
    }
}
