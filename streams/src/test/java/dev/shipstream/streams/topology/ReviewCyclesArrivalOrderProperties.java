package dev.shipstream.streams.topology;

import dev.shipstream.schemas.ReviewCycle;
import dev.shipstream.streams.review.DecisionIndex;
import dev.shipstream.streams.review.ReviewCycles;
import dev.shipstream.streams.review.VersionHistory;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Through the whole pipeline, any arrival order of the seed article's real timeline (it spans five days, inside the
 * default grace of seven) ends in the same review cycles as the order the events happened in, and with the
 * decision-time index holding exactly the decided cycles of the histories.
 */
class ReviewCyclesArrivalOrderProperties {

    private static final List<String> SEED = seedArticle();
    private static Path stateRoot;
    private static Map<Integer, ReviewCycle> inEventTimeOrder;

    @BeforeContainer
    static void computeTheExpectedCycles() throws IOException {
        stateRoot = Files.createTempDirectory("review-cycles-order");
        inEventTimeOrder = finalCycles(SEED);
    }

    @AfterContainer
    static void deleteState() throws IOException {
        try (Stream<Path> paths = Files.walk(stateRoot)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Property(tries = 25)
    void anyArrivalOrderWithinTheGraceEndsInTheSameCycles(
            @ForAll @Size(7) List<@IntRange(min = 0, max = 1_000) Integer> ranks) {
        List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6));
        order.sort(Comparator.comparing(ranks::get));
        List<String> arrival = order.stream().map(SEED::get).toList();

        assertThat(finalCycles(arrival)).isEqualTo(inEventTimeOrder);
    }

    /** The latest record per cycle, ignoring lastEventAt (the latest time seen when the record was made). */
    private static Map<Integer, ReviewCycle> finalCycles(List<String> payloads) {
        Path stateDir;
        try {
            stateDir = Files.createTempDirectory(stateRoot, "run");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (PipelineDriver pipeline = PipelineDriver.withDefaults(stateDir)) {
            Instant received = Instant.parse("2026-01-02T03:00:00Z");
            for (String json : payloads) {
                pipeline.sendAppStoreConnect(json, received);
                received = received.plusSeconds(1);
            }
            assertThat(indexEntries(pipeline)).as("the decision-time index, kept change by change")
                    .isEqualTo(decidedCycles(pipeline));
            Map<Integer, ReviewCycle> latest = pipeline.latestPerCycle();
            // When the last event arrived depends on the arrival order; the cycles must not.
            latest.values().forEach(cycle -> cycle.setLastEventAt(Instant.EPOCH));
            return latest;
        }
    }

    /** The decision-time index's entries, as "decidedAt cycle historyKey". */
    private static Set<String> indexEntries(PipelineDriver pipeline) {
        KeyValueStore<Bytes, byte[]> index =
                pipeline.driver.getKeyValueStore(DecisionIndex.storeName(Names.REVIEW_HISTORY_STORE));
        Set<String> entries = new TreeSet<>();
        try (KeyValueIterator<Bytes, byte[]> all = index.all()) {
            all.forEachRemaining(entry -> {
                if (!entry.key.equals(DecisionIndex.markerKey())) {
                    entries.add(DecisionIndex.decidedAt(entry.key) + " " + DecisionIndex.cycleNumber(entry.key) + " "
                            + DecisionIndex.historyKey(entry.value));
                }
            });
        }
        return entries;
    }

    /** What the index must hold: every decided cycle of every history, in the same form. */
    private static Set<String> decidedCycles(PipelineDriver pipeline) {
        KeyValueStore<String, VersionHistory> histories = pipeline.driver.getKeyValueStore(Names.REVIEW_HISTORY_STORE);
        Set<String> decided = new TreeSet<>();
        try (KeyValueIterator<String, VersionHistory> all = histories.all()) {
            all.forEachRemaining(entry -> ReviewCycles.of(entry.value.changes()).stream()
                    .filter(cycle -> cycle.decidedAt() != null)
                    .forEach(cycle -> decided.add(cycle.decidedAt() + " " + cycle.number() + " " + entry.key)));
        }
        return decided;
    }

    private static List<String> seedArticle() {
        List<String> payloads = new ArrayList<>();
        for (String name : List.of("1-ready-for-review", "2-waiting-for-review", "3-developer-rejected",
                "4-prepare-for-submission", "5-in-review", "6-pending-developer-release", "7-ready-for-distribution")) {
            try (InputStream in = ReviewCyclesArrivalOrderProperties.class.getResourceAsStream(
                    "/review/seed-article/" + name + ".json")) {
                payloads.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return payloads;
    }
}
