package dev.shipstream.streams.metrics;

import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.EventCategory;
import dev.shipstream.streams.state.WindowStores;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Turns delivery events into measurements. EAS and Appflow completions carry their own times
 * ({@link PayloadDurations}). Build uploads and TestFlight builds need their earlier states: each relevant state change
 * is kept in a window store by entity key and event time for {@code retention}, and when a change ends a phase
 * ({@link StatePhases}) the phase is measured once. A change that arrives after its phase was measured (a late start)
 * does not re-measure it: aggregates cannot take a measurement back, so the duration stays unmeasured rather than
 * counted twice. Events are keyed by entity already, so no repartition is needed here.
 */
public final class EventMeasurer implements FixedKeyProcessorSupplier<String, DeliveryEvent, Measurement> {

    private final String storeName;
    private final Duration retention;

    /**
     * @param storeName the window store of state changes (also names its changelog)
     * @param retention how long a state change is kept to pair with a later one
     */
    public EventMeasurer(String storeName, Duration retention) {
        this.storeName = Objects.requireNonNull(storeName, "storeName");
        this.retention = Objects.requireNonNull(retention, "retention");
    }

    @Override
    public FixedKeyProcessor<String, DeliveryEvent, Measurement> get() {
        return new Measurer();
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        // A window store used as a time-indexed log: windows of 1 ms, duplicates kept so that two changes of one
        // entity in the same millisecond are both kept; segments older than the retention are dropped whole.
        return Set.of(Stores.windowStoreBuilder(
                WindowStores.persistentWindowStore(storeName, retention, Duration.ofMillis(1), true),
                Serdes.String(), StateChangeSerde.SERDE));
    }

    private static StatePhases phasesOf(DeliveryEvent event) {
        if (event.getCategory() == EventCategory.BUILD_UPLOAD_STATE) {
            return StatePhases.BUILD_PROCESSING;
        }
        if (event.getCategory() == EventCategory.TESTFLIGHT_BUILD_STATE) {
            return StatePhases.BETA_REVIEW;
        }
        return null;
    }

    private final class Measurer implements FixedKeyProcessor<String, DeliveryEvent, Measurement> {

        private FixedKeyProcessorContext<String, Measurement> context;
        private WindowStore<String, StateChange> changes;

        @Override
        public void init(FixedKeyProcessorContext<String, Measurement> context) {
            this.context = context;
            this.changes = context.getStateStore(storeName);
        }

        @Override
        public void process(FixedKeyRecord<String, DeliveryEvent> record) {
            DeliveryEvent event = record.value();
            if (event == null || record.key() == null) {
                return;
            }
            for (Measurement m : PayloadDurations.of(event)) {
                context.forward(record.withValue(m));
            }
            StatePhases phases = phasesOf(event);
            if (phases == null || event.getNewState() == null || !phases.concerns(event.getNewState())) {
                return;
            }
            StateChange change = StateChange.of(event);
            List<StateChange> known = new ArrayList<>();
            long from = Math.max(0, change.at() - retention.toMillis());
            try (WindowStoreIterator<StateChange> it = changes.fetch(record.key(), from,
                    change.at() + retention.toMillis())) {
                it.forEachRemaining(kv -> known.add(kv.value));
            }
            if (known.stream().anyMatch(k -> k.eventId().equals(change.eventId()))) {
                return;
            }
            String appId = event.getApp() == null ? null : event.getApp().getId();
            String platform = event.getPlatform() == null ? null : event.getPlatform().name();
            Set<Long> endedBefore = new HashSet<>();
            phases.phases(known).forEach(p -> endedBefore.add(p.endAt()));
            changes.put(record.key(), change, change.at());
            known.add(change);
            for (Measurement m : phases.measure(known, appId, platform)) {
                if (!endedBefore.contains(m.endedAt())) {
                    context.forward(record.withValue(m));
                }
            }
        }
    }
}
