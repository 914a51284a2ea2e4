package dev.shipstream.streams.topology;

import dev.shipstream.schemas.DeadLetter;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.ReviewCycle;
import dev.shipstream.schemas.serde.AvroDeserializer;
import dev.shipstream.schemas.serde.AvroSerdeConfig;
import dev.shipstream.schemas.serde.AvroSerializer;
import dev.shipstream.schemas.serde.SchemaRegistryClient;
import dev.shipstream.streams.dedup.EventDeduplicator;
import dev.shipstream.streams.enrich.EnrichmentStage;
import dev.shipstream.streams.metrics.DeliveryMetricsTopology;
import dev.shipstream.streams.errors.DeadLetters;
import dev.shipstream.streams.normalize.Normalizers;
import dev.shipstream.streams.review.ReviewCycleProcessor;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;

import java.util.Map;
import java.util.Objects;

/**
 * Builds the pipeline: raw webhooks in, deduplicated and enriched delivery events out.
 *
 * <pre>
 * {@value Names#RAW_WEBHOOKS_SOURCE} (raw topic, key and value as bytes)
 *   -&gt; {@value Names#PARSE}: decode RawWebhook, normalise; failures -&gt; {@value Names#DEAD_LETTER_SINK}
 *   -&gt; {@value Names#DEDUPLICATE} (store {@value Names#DEDUP_STORE}): drop ids seen within the retention
 *   -&gt; {@value Names#ENRICH}: the App Store Connect enrichment stage, with its own stores
 *   -&gt; {@value Names#CLOUD_EVENTS}: CloudEvents binary-mode headers
 *   -&gt; {@value Names#EVENTS_SINK} (events topic, keyed by entity key)
 *   -&gt; {@value Names#REVIEW_CYCLES} (store {@value Names#REVIEW_HISTORY_STORE}): App Store version state changes
 *      -&gt; {@value Names#REVIEW_CYCLES_SINK} (review-cycles topic, keyed by the version's entity key); events past
 *      the grace -&gt; {@value Names#DEAD_LETTER_SINK}
 * </pre>
 *
 * <p>A second sub-topology ({@link DeliveryMetricsTopology}) reads the events and review-cycles topics back, measures
 * durations, repartitions by metric and app ({@value Names#METRICS_REPARTITION}) and sums them per UTC day and ISO
 * week into {@value Names#METRICS_STORE} and the delivery-metrics topic.
 *
 * <p>Raw values are read as bytes and decoded by {@value Names#PARSE}, so an undecodable record becomes a dead letter
 * with its exact bytes and processing goes on. Events are keyed by {@code DeliveryEvent.entityKey}, which is the
 * ingress's key for every well-formed payload, so no repartition happens. Building does no I/O: the registry client
 * is used only when records flow.
 */
public final class PipelineTopology {

    private PipelineTopology() {
    }

    /**
     * Builds the topology.
     *
     * @param settings    topics, application id, deduplication retention
     * @param registry    the schema registry client of every Avro serde in the topology (the caller closes it)
     * @param enrichment  the enrichment stage, e.g. {@link EnrichmentStage#notConfigured()}
     * @param deadLetters makes and counts the dead letters of {@value Names#PARSE}
     * @return the topology, every node and store named after {@link Names}
     */
    public static Topology build(PipelineSettings settings, SchemaRegistryClient registry,
                                 EnrichmentStage enrichment, DeadLetters deadLetters) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(enrichment, "enrichment");
        Objects.requireNonNull(deadLetters, "deadLetters");

        RawWebhookParser parser = new RawWebhookParser(
                new AvroDeserializer<RawWebhook>(registry, Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true)),
                new Normalizers());
        StringSerializer keys = new StringSerializer();

        PipelineBuilder builder = new PipelineBuilder();
        // The processor-API nodes go in first, so their sub-topology keeps number 0 (task ids, and with them the
        // state directories of a running deployment, derive from it); the DSL's metrics nodes follow at build().
        Topology topology = builder.topology();
        topology.addSource(Names.RAW_WEBHOOKS_SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                settings.rawTopic());
        topology.addProcessor(Names.PARSE, () -> new ParseProcessor(parser, deadLetters), Names.RAW_WEBHOOKS_SOURCE);
        topology.addProcessor(Names.DEDUPLICATE,
                new EventDeduplicator(Names.DEDUP_STORE, settings.dedupRetention()), Names.PARSE);
        topology.addProcessor(Names.ENRICH, enrichment.processorSupplier(), Names.DEDUPLICATE);
        topology.addProcessor(Names.CLOUD_EVENTS, CloudEventsProcessor::new, Names.ENRICH);
        topology.addSink(Names.EVENTS_SINK, settings.eventsTopic(), keys,
                new AvroSerializer<DeliveryEvent>(registry, Map.of()), Names.CLOUD_EVENTS);
        topology.addProcessor(Names.REVIEW_CYCLES, new ReviewCycleProcessor(Names.REVIEW_HISTORY_STORE,
                settings.reviewGrace(), PipelineSettings.MAX_STATE_CHANGES_PER_VERSION, Names.REVIEW_CYCLES_SINK,
                Names.DEAD_LETTER_SINK, deadLetters, settings.eventsTopic(),
                new AvroSerializer<DeliveryEvent>(registry, Map.of())), Names.CLOUD_EVENTS);
        topology.addSink(Names.REVIEW_CYCLES_SINK, settings.reviewCyclesTopic(), keys,
                new AvroSerializer<ReviewCycle>(registry, Map.of()), Names.REVIEW_CYCLES);
        topology.addSink(Names.DEAD_LETTER_SINK, settings.deadLetterTopic(), keys,
                new AvroSerializer<DeadLetter>(registry, Map.of()), Names.PARSE, Names.REVIEW_CYCLES);
        DeliveryMetricsTopology.addTo(builder, new DeliveryMetricsTopology.NodeNames(Names.METRICS_EVENTS_SOURCE,
                Names.METRICS_CYCLES_SOURCE, Names.MEASURE_EVENTS, Names.METRICS_PHASE_STORE, Names.MEASURE_CYCLES,
                Names.METRICS_MEASURED_CYCLES_STORE, Names.MERGE_MEASUREMENTS, Names.METRICS_REPARTITION,
                Names.AGGREGATE_METRICS, Names.METRICS_STORE, Names.METRICS_SINK), settings.eventsTopic(),
                settings.reviewCyclesTopic(), settings.deliveryMetricsTopic(), registry);
        return builder.build();
    }

    /** Lets the processor-API nodes be added to the builder's topology before its DSL nodes. */
    private static final class PipelineBuilder extends StreamsBuilder {
        Topology topology() {
            return topology;
        }
    }
}
