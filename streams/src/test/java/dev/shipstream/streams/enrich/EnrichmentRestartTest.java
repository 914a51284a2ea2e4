package dev.shipstream.streams.enrich;

import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.EnrichmentStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A held event lives in the stores only: a new processor over the same (restored) stores, as after a restart or a
 * rebalance, still emits it once, enriched.
 */
class EnrichmentRestartTest {

    @Test
    void aNewProcessorOverTheSameStoresEmitsTheHeldEventOnce() {
        EnrichmentSettings settings = EnrichmentSettings.builder()
                .retryBackoff(Duration.ofSeconds(5))
                .failurePause(Duration.ofSeconds(1))
                .build();
        MockProcessorContext<String, DeliveryEvent> context = new MockProcessorContext<>();
        KeyValueStore<String, ParkedEvent> held = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(EnrichmentStage.HELD_STORE), Serdes.String(), ParkedEvent.serde())
                .withLoggingDisabled().build();
        KeyValueStore<String, Long> schedule = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(EnrichmentStage.SCHEDULE_STORE), Serdes.String(), Serdes.Long())
                .withLoggingDisabled().build();
        held.init(context.getStateStoreContext(), held);
        schedule.init(context.getStateStoreContext(), schedule);
        context.addStateStore(held);
        context.addStateStore(schedule);
        context.setCurrentSystemTimeMs(1_000_000);

        FakeAppStoreConnectApi failing = new FakeAppStoreConnectApi(
                id -> ApiResult.failure(ApiResult.Kind.TRANSIENT, 0, "timed out after 2000 ms"));
        var before = (EnrichmentProcessor) EnrichmentStage.of(settings, failing, new SimpleMeterRegistry())
                .processorSupplier().get();
        before.init(context);
        DeliveryEvent event = TestEvents.appVersion("v1", "e1", "IN_REVIEW");
        before.process(new Record<>(event.getEntityKey(), event, 42L));
        before.close();
        assertThat(context.forwarded()).isEmpty();
        context.resetForwards();

        FakeAppStoreConnectApi answering = new FakeAppStoreConnectApi(id -> ApiResult.found(new EntityDetails(
                null, "1.101.0", "3", null, null, null, null, List.of(), Map.of()), Optional.empty()));
        MockProcessorContext<String, DeliveryEvent> restarted = new MockProcessorContext<>();
        restarted.addStateStore(held);
        restarted.addStateStore(schedule);
        var after = (EnrichmentProcessor) EnrichmentStage.of(settings, answering, new SimpleMeterRegistry())
                .processorSupplier().get();
        after.init(restarted);
        var punctuator = restarted.scheduledPunctuators().get(0).getPunctuator();

        punctuator.punctuate(1_004_000);
        assertThat(restarted.forwarded()).isEmpty();
        punctuator.punctuate(1_005_000);
        punctuator.punctuate(1_010_000);

        assertThat(restarted.forwarded()).singleElement().satisfies(forward -> {
            assertThat(forward.record().key()).isEqualTo(event.getEntityKey());
            assertThat(forward.record().timestamp()).isEqualTo(42L);
            assertThat(forward.record().value().getEnrichment().getStatus()).isEqualTo(EnrichmentStatus.ENRICHED);
            assertThat(forward.record().value().getEnrichment().getAttempts()).isEqualTo(2);
            assertThat(forward.record().value().getVersionString()).isEqualTo("1.101.0");
        });
        assertThat(answering.lookups()).containsExactly("v1");
        after.close();
    }
}
