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

    private Names() {
    }
}
