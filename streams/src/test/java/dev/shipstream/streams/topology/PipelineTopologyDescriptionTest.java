package dev.shipstream.streams.topology;

import dev.shipstream.schemas.serde.AvroSerializer;
import dev.shipstream.schemas.serde.InMemorySchemaRegistryClient;
import dev.shipstream.streams.enrich.EnrichmentSettings;
import dev.shipstream.streams.enrich.EnrichmentStage;
import dev.shipstream.streams.errors.DeadLetterMetrics;
import dev.shipstream.streams.errors.DeadLetters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the topology: processor, store and topic names are what a running deployment's state, changelogs and
 * offsets hang on. If this fails after a deliberate change, the actual description is written to
 * {@code target/<snapshot>.actual}; review it, then copy it over the snapshot in
 * {@code src/test/resources/topology/}. The production topology is the one with enrichment; without an API key the
 * enrichment stage has no stores, so that variant is pinned too.
 */
class PipelineTopologyDescriptionTest {

    @Test
    void theTopologyWithEnrichmentMatchesTheSnapshot() throws IOException {
        EnrichmentStage enriching = EnrichmentStage.of(EnrichmentSettings.fromEnvironment(Map.of()),
                (type, id) -> {
                    throw new AssertionError("describing a topology makes no lookups");
                }, new SimpleMeterRegistry());

        assertMatchesSnapshot(describe(enriching).toString(), "pipeline-topology.txt");
    }

    @Test
    void theTopologyWithoutEnrichmentMatchesTheSnapshot() throws IOException {
        assertMatchesSnapshot(describe(EnrichmentStage.notConfigured()).toString(),
                "pipeline-topology-enrichment-not-configured.txt");
    }

    @Test
    void everyNodeAndStoreIsNamedExplicitly() {
        String description = describe(EnrichmentStage.notConfigured()).toString();

        // Generated names look like KSTREAM-SOURCE-0000000000 or KSTREAM-AGGREGATE-STATE-STORE-0000000001.
        assertThat(description).doesNotContainPattern("[A-Z]+-[A-Z-]*\\d{10}");
        assertThat(description).contains(Names.RAW_WEBHOOKS_SOURCE, Names.PARSE, Names.DEDUPLICATE, Names.DEDUP_STORE,
                Names.ENRICH, Names.CLOUD_EVENTS, Names.EVENTS_SINK, Names.DEAD_LETTER_SINK);
        assertThat(description).contains(Names.REVIEW_CYCLES, Names.REVIEW_HISTORY_STORE, Names.REVIEW_CYCLES_SINK);
        assertThat(description).contains(Names.METRICS_EVENTS_SOURCE, Names.METRICS_CYCLES_SOURCE, Names.MEASURE_EVENTS,
                Names.METRICS_PHASE_STORE, Names.MEASURE_CYCLES, Names.METRICS_MEASURED_CYCLES_STORE,
                Names.MERGE_MEASUREMENTS, Names.METRICS_REPARTITION, Names.AGGREGATE_METRICS, Names.METRICS_STORE,
                Names.METRICS_SINK);
    }

    @Test
    void reviewCyclesAreComputedWithoutARepartition() {
        TopologyDescription description = describe(EnrichmentStage.notConfigured());

        // Events are keyed by entity key already, so the review-cycle processor shares sub-topology 0; only the
        // metrics, summed per app, repartition, in sub-topologies of their own that come after it.
        TopologyDescription.Subtopology first = description.subtopologies().stream()
                .filter(s -> s.id() == 0).findFirst().orElseThrow();
        assertThat(first.nodes()).extracting(TopologyDescription.Node::name)
                .contains(Names.RAW_WEBHOOKS_SOURCE, Names.REVIEW_CYCLES)
                .noneMatch(name -> name.contains("repartition"));
        assertThat(description.subtopologies()).hasSize(3);
    }

    @Test
    void theMetricsStoresPartitionsAreThoseOfTheRepartitionTopicTheQueryApiIsGiven() {
        TopologyDescription description = describe(EnrichmentStage.notConfigured());

        // The query API maps an instance's partitions to the metrics store through this one topic: the sub-topology
        // holding the store must read it, and only it (Kafka Streams prefixes it with the application id at run time).
        TopologyDescription.Subtopology metrics = description.subtopologies().stream()
                .filter(s -> s.nodes().stream().anyMatch(node -> node instanceof TopologyDescription.Processor p
                        && p.stores().contains(Names.METRICS_STORE)))
                .findFirst().orElseThrow();
        assertThat(metrics.nodes()).filteredOn(TopologyDescription.Source.class::isInstance)
                .flatExtracting(node -> ((TopologyDescription.Source) node).topicSet())
                .containsExactly(Names.METRICS_REPARTITION + "-repartition");
        assertThat(Names.metricsRepartitionTopic("shipstream-streams"))
                .isEqualTo("shipstream-streams-" + Names.METRICS_REPARTITION + "-repartition");
    }

    private static void assertMatchesSnapshot(String actual, String snapshot) throws IOException {
        String expected = snapshot("/topology/" + snapshot);
        if (!actual.equals(expected)) {
            Files.writeString(Path.of("target", snapshot + ".actual"), actual, StandardCharsets.UTF_8);
        }
        assertThat(actual).as("topology description, see target/%s.actual", snapshot).isEqualTo(expected);
    }

    private static TopologyDescription describe(EnrichmentStage enrichment) {
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        DeadLetters deadLetters = new DeadLetters("shipstream.deadletter", "shipstream-streams",
                new AvroSerializer<>(registry, Map.of()), new DeadLetterMetrics(new SimpleMeterRegistry()),
                Clock.systemUTC());
        return PipelineTopology.build(PipelineSettings.defaults("shipstream-streams"), registry,
                enrichment, deadLetters).describe();
    }

    private static String snapshot(String resource) throws IOException {
        try (InputStream in = PipelineTopologyDescriptionTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
