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
import dev.shipstream.streams.errors.DeadLetters;
import dev.shipstream.streams.normalize.Normalizers;
import dev.shipstream.streams.review.ReviewCycleProcessor;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
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

        Topology topology = new Topology();
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
        return topology;
    }
}
