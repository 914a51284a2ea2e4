package dev.shipstream.streams.metrics;

import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.DeliveryMetric;
import dev.shipstream.schemas.ReviewCycle;
import dev.shipstream.schemas.serde.AvroDeserializer;
import dev.shipstream.schemas.serde.AvroSerdeConfig;
import dev.shipstream.schemas.serde.AvroSerializer;
import dev.shipstream.schemas.serde.SchemaRegistryClient;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The delivery-metrics part of the pipeline, in the DSL because it needs a repartition (by metric and app) that
 * Kafka Streams then creates and manages itself:
 *
 * <pre>
 * events topic -&gt; measure events (window store of build-upload and TestFlight state changes)
 * review-cycles topic -&gt; measure decided cycles once (window store of measured decisions)
 *   -&gt; merge -&gt; repartition by metric|platform|app -&gt; aggregate per day and ISO week (key-value store of sketches,
 *      key-value store of measurements not yet written) -&gt; every second, the buckets that changed
 *   -&gt; delivery-metrics topic
 * </pre>
 *
 * <p>It reads the topics the rest of the pipeline writes, so it is a sub-topology of its own; its node names sort
 * after the raw-webhook source, so the existing sub-topology keeps its number (and its tasks their state).
 */
public final class DeliveryMetricsTopology {

    /** How long state changes and measured decisions are kept to pair with later ones. */
    public static final Duration MEASUREMENT_STATE_RETENTION = Duration.ofDays(90);
    /** How long after its end a day or week bucket is kept in the store (and can still change). */
    public static final Duration BUCKET_RETENTION = Duration.ofDays(400);

    private DeliveryMetricsTopology() {
    }

    /** The names this part of the topology uses; see {@code topology/Names}. */
    public record NodeNames(String eventsSource, String cyclesSource, String measureEvents, String phaseStore,
                            String measureCycles, String measuredCyclesStore, String merge, String repartition,
                            String aggregate, String metricsStore, String sink) {
    }

    /**
     * Adds the metrics sub-topology.
     *
     * @param builder      the builder
     * @param names        every node and store name
     * @param eventsTopic  the delivery-event topic read
     * @param cyclesTopic  the review-cycle topic read
     * @param metricsTopic the delivery-metric topic written
     * @param registry     the schema registry client of the Avro serdes
     */
    public static void addTo(StreamsBuilder builder, NodeNames names, String eventsTopic, String cyclesTopic,
                             String metricsTopic, SchemaRegistryClient registry) {
        addTo(builder, names, eventsTopic, cyclesTopic, metricsTopic, registry, MetricAggregator.DEFAULT_EMIT_INTERVAL);
    }

    /**
     * Adds the metrics sub-topology, writing changed buckets every {@code emitInterval}.
     *
     * @param builder      the builder
     * @param names        every node and store name
     * @param eventsTopic  the delivery-event topic read
     * @param cyclesTopic  the review-cycle topic read
     * @param metricsTopic the delivery-metric topic written
     * @param registry     the schema registry client of the Avro serdes
     * @param emitInterval how often (wall clock) the buckets that changed are written to the store and the topic
     */
    public static void addTo(StreamsBuilder builder, NodeNames names, String eventsTopic, String cyclesTopic,
                             String metricsTopic, SchemaRegistryClient registry, Duration emitInterval) {
        Objects.requireNonNull(registry, "registry");
        Map<String, Object> specific = Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true);
        Serde<DeliveryEvent> events = Serdes.serdeFrom(new AvroSerializer<>(registry, Map.of()),
                new AvroDeserializer<>(registry, specific));
        Serde<ReviewCycle> cycles = Serdes.serdeFrom(new AvroSerializer<>(registry, Map.of()),
                new AvroDeserializer<>(registry, specific));
        Serde<DeliveryMetric> metrics = Serdes.serdeFrom(new AvroSerializer<>(registry, Map.of()),
                new AvroDeserializer<>(registry, specific));

        KStream<String, Measurement> fromEvents = builder
                .stream(eventsTopic, Consumed.with(Serdes.String(), events).withName(names.eventsSource()))
                .processValues(new EventMeasurer(names.phaseStore(), MEASUREMENT_STATE_RETENTION),
                        Named.as(names.measureEvents()));
        KStream<String, Measurement> fromCycles = builder
                .stream(cyclesTopic, Consumed.with(Serdes.String(), cycles).withName(names.cyclesSource()))
                .processValues(new CycleMeasurer(names.measuredCyclesStore(), MEASUREMENT_STATE_RETENTION),
                        Named.as(names.measureCycles()));
        fromEvents.merge(fromCycles, Named.as(names.merge()))
                .selectKey((key, m) -> m.metric().name() + '|' + (m.platform() == null ? MetricKey.UNKNOWN
                        : m.platform()) + '|' + (m.appId() == null ? MetricKey.UNKNOWN : m.appId()),
                        Named.as(names.repartition() + "-key"))
                .repartition(Repartitioned.<String, Measurement>as(names.repartition())
                        .withKeySerde(Serdes.String()).withValueSerde(MeasurementSerde.serde()))
                .process(new MetricAggregator(names.metricsStore(), BUCKET_RETENTION, emitInterval), Named.as(names.aggregate()))
                .to(metricsTopic, Produced.with(Serdes.String(), metrics).withName(names.sink()));
    }
}
