package dev.shipstream.streams.topology;

import dev.shipstream.schemas.DeadLetter;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.DeliveryMetric;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Source;
import dev.shipstream.schemas.Topics;
import dev.shipstream.schemas.ReviewCycle;
import dev.shipstream.schemas.keys.EntityKeys;
import dev.shipstream.schemas.serde.AvroDeserializer;
import dev.shipstream.schemas.serde.AvroSerdeConfig;
import dev.shipstream.schemas.serde.AvroSerializer;
import dev.shipstream.schemas.serde.SchemaRegistryClient;
import dev.shipstream.schemas.serde.SchemaRegistryClients;
import dev.shipstream.streams.enrich.EnrichmentStage;
import dev.shipstream.streams.errors.DeadLetterMetrics;
import dev.shipstream.streams.errors.DeadLetters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;

/** The pipeline in a {@link TopologyTestDriver} with an in-memory registry, and typed views of its topics. */
public final class PipelineDriver implements AutoCloseable {

    static final String APPLICATION_ID = "shipstream-streams-test";

    final PipelineSettings settings;
    final SchemaRegistryClient registry;
    final DeadLetterMetrics metrics = new DeadLetterMetrics(new SimpleMeterRegistry());
    public final TopologyTestDriver driver;
    final TestInputTopic<String, RawWebhook> raw;
    final TestInputTopic<byte[], byte[]> rawBytes;
    final TestOutputTopic<String, DeliveryEvent> events;
    final TestOutputTopic<String, DeadLetter> deadLetters;
    final TestOutputTopic<String, ReviewCycle> reviewCycles;
    final TestOutputTopic<String, DeliveryMetric> deliveryMetrics;
    private final String scope = "pipeline-" + UUID.randomUUID();

    PipelineDriver(PipelineSettings settings, Path stateDir) {
        this(settings, stateDir, EnrichmentStage.notConfigured());
    }

    /** The pipeline with the given enrichment stage, e.g. one against a WireMock App Store Connect. */
    PipelineDriver(PipelineSettings settings, Path stateDir, EnrichmentStage enrichment) {
        this.settings = settings;
        registry = SchemaRegistryClients.mockScope(scope);
        DeadLetters letters = new DeadLetters(settings.deadLetterTopic(), APPLICATION_ID,
                new AvroSerializer<>(registry, Map.of()), metrics, Clock.systemUTC());
        Topology topology = PipelineTopology.build(settings, registry, enrichment, letters);

        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(DeadLetters.CONFIG, letters);
        driver = new TopologyTestDriver(topology, props, Instant.parse("2026-01-02T03:00:00Z"));

        Map<String, Object> specific = Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true);
        raw = driver.createInputTopic(settings.rawTopic(), new StringSerializer(),
                new AvroSerializer<>(registry, Map.of()));
        rawBytes = driver.createInputTopic(settings.rawTopic(), new ByteArraySerializer(), new ByteArraySerializer());
        events = driver.createOutputTopic(settings.eventsTopic(), new StringDeserializer(),
                new AvroDeserializer<>(registry, specific));
        deadLetters = driver.createOutputTopic(settings.deadLetterTopic(), new StringDeserializer(),
                new AvroDeserializer<>(registry, specific));
        reviewCycles = driver.createOutputTopic(settings.reviewCyclesTopic(), new StringDeserializer(),
                new AvroDeserializer<>(registry, specific));
        deliveryMetrics = driver.createOutputTopic(Topics.DELIVERY_METRICS.name(), new StringDeserializer(),
                new AvroDeserializer<>(registry, specific));
    }

    public static PipelineDriver withDefaults(Path stateDir) {
        return new PipelineDriver(PipelineSettings.defaults(APPLICATION_ID), stateDir);
    }

    /** Sends a signed App Store Connect webhook body, as the ingress would have published it, keyed by its entity. */
    public void sendAppStoreConnect(String json, Instant receivedAt) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        raw.pipeInput(EntityKeys.keyOf(Source.APP_STORE_CONNECT, body), Fixtures.raw(Source.APP_STORE_CONNECT, body),
                receivedAt);
    }

    @Override
    public void close() {
        driver.close();
        SchemaRegistryClients.dropMockScope(scope);
    }

    /**
     * The latest record of each review cycle read from the review-cycles topic so far, by cycle number, without the
     * numbers beyond the latest cycle count (a late event can renumber and so drop cycles).
     */
    Map<Integer, ReviewCycle> latestPerCycle() {
        Map<Integer, ReviewCycle> latest = new TreeMap<>();
        for (ReviewCycle cycle : reviewCycles.readValuesToList()) {
            latest.put(cycle.getCycle(), cycle);
        }
        int count = latest.values().stream().mapToInt(ReviewCycle::getCycleCount).max().orElse(0);
        latest.keySet().removeIf(number -> number > count);
        return latest;
    }
}
