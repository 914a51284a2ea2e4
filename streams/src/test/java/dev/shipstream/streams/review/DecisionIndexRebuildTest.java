package dev.shipstream.streams.review;

import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.serde.AvroSerializer;
import dev.shipstream.schemas.serde.SchemaRegistryClients;
import dev.shipstream.streams.errors.DeadLetterMetrics;
import dev.shipstream.streams.errors.DeadLetters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A store from before the decision-time index: a task that starts on histories without the index's marker builds the
 * index from them, and a task whose index is complete leaves it as it is. The stores outlive the processor here as
 * they outlive a task.
 */
class DecisionIndexRebuildTest {

    private static final String STORE = "histories";
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final long T0 = Instant.parse("2026-01-05T09:00:00Z").toEpochMilli();

    private final String scope = "rebuild-" + UUID.randomUUID();
    private KeyValueStore<String, VersionHistory> histories;
    private KeyValueStore<Bytes, byte[]> index;

    @BeforeEach
    void storesFromBeforeTheIndex() {
        histories = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(STORE), Serdes.String(),
                VersionHistory.serde(256)).withLoggingDisabled().build();
        index = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(DecisionIndex.storeName(STORE)),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
        MockProcessorContext<String, Object> storeContext = new MockProcessorContext<>();
        histories.init(storeContext.getStateStoreContext(), histories);
        index.init(storeContext.getStateStoreContext(), index);

        // Rejected then approved: two decided cycles.
        histories.put("asc:appStoreVersions:v1", history("v1",
                change("a1", T0, "READY_FOR_REVIEW", "WAITING_FOR_REVIEW"),
                change("a2", T0 + DAY, "WAITING_FOR_REVIEW", "IN_REVIEW"),
                change("a3", T0 + DAY + 3_600_000, "IN_REVIEW", "REJECTED"),
                change("a4", T0 + 2 * DAY, "REJECTED", "WAITING_FOR_REVIEW"),
                change("a5", T0 + 3 * DAY, "WAITING_FOR_REVIEW", "PENDING_DEVELOPER_RELEASE")));
        // Still waiting: nothing to index.
        histories.put("asc:appStoreVersions:v2", history("v2",
                change("b1", T0, "READY_FOR_REVIEW", "WAITING_FOR_REVIEW")));
    }

    @AfterEach
    void dropRegistry() {
        SchemaRegistryClients.dropMockScope(scope);
    }

    @Test
    void aTaskStartingWithoutTheIndexBuildsItFromTheHistories() {
        start();

        assertThat(DecisionIndex.isComplete(index.get(DecisionIndex.markerKey()))).isTrue();
        assertThat(entries()).containsExactly(
                "decided at " + (T0 + DAY + 3_600_000) + ", cycle 1 of asc:appStoreVersions:v1",
                "decided at " + (T0 + 3 * DAY) + ", cycle 2 of asc:appStoreVersions:v1");
    }

    @Test
    void aTaskStartingWithACompleteIndexLeavesIt() {
        start();
        List<String> built = entries();
        histories.delete("asc:appStoreVersions:v1");

        start();

        assertThat(entries()).as("not rebuilt: the marker says the index is complete").isEqualTo(built);
    }

    private void start() {
        DeadLetters letters = new DeadLetters("dead", "app", new AvroSerializer<>(SchemaRegistryClients.mockScope(scope),
                Map.of()), new DeadLetterMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
        Processor<String, DeliveryEvent, String, Object> processor = new ReviewCycleProcessor(STORE, Duration.ofDays(7),
                256, "cycles", "dead", letters, "events",
                new AvroSerializer<>(SchemaRegistryClients.mockScope(scope), Map.of())).get();
        MockProcessorContext<String, Object> context = new MockProcessorContext<>();
        context.addStateStore(histories);
        context.addStateStore(index);
        processor.init(context);
    }

    private List<String> entries() {
        List<String> entries = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = index.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> entry = all.next();
                if (!entry.key.equals(DecisionIndex.markerKey())) {
                    entries.add("decided at " + DecisionIndex.decidedAt(entry.key) + ", cycle "
                            + DecisionIndex.cycleNumber(entry.key) + " of " + DecisionIndex.historyKey(entry.value));
                }
            }
        }
        return entries;
    }

    private static VersionStateChange change(String id, long at, String from, String to) {
        return new VersionStateChange(id, at, from, to, null);
    }

    private static VersionHistory history(String versionId, VersionStateChange... changes) {
        VersionHistory history = VersionHistory.empty(versionId);
        for (VersionStateChange change : changes) {
            history = history.with(change, "app1", "IOS", "1.0");
        }
        return history;
    }
}
