package dev.shipstream.streams.dedup;

import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.streams.state.WindowStores;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Drops delivery events whose provider event id was already seen within the retention: the Confluent
 * deduplication pattern, with a window store that expires old ids on its own.
 *
 * <p>Why deduplicate under exactly-once: exactly-once covers Kafka-to-Kafka processing, but the providers retry a
 * delivery they think failed and replay on request, and the ingress is stateless by design, so the same provider
 * event reaches the raw topic more than once. All deliveries of one event have the same body and so the same
 * entity key, which places them on one partition and in one task's store: no repartition is needed.
 *
 * <p>An id is remembered from its first sighting, by record time (the ingress's receive time), for the retention;
 * a later duplicate does not extend it, so "at most once per event id within the retention of its first delivery"
 * is exactly what subscribers get. The id is qualified by source so that two providers' ids never collide.
 */
public final class EventDeduplicator implements ProcessorSupplier<String, DeliveryEvent, String, DeliveryEvent> {

    private final String storeName;
    private final Duration retention;

    /**
     * @param storeName the window store's name (also names its changelog)
     * @param retention how long an id is remembered; at least 1 ms
     */
    public EventDeduplicator(String storeName, Duration retention) {
        this.storeName = Objects.requireNonNull(storeName, "storeName");
        Objects.requireNonNull(retention, "retention");
        if (retention.toMillis() < 1) {
            throw new IllegalArgumentException("retention must be at least 1 ms, got " + retention);
        }
        this.retention = retention;
    }

    /**
     * The store key of an event: its source and provider event id.
     *
     * @param event a delivery event
     * @return {@code <SOURCE>:<eventId>}
     */
    public static String idOf(DeliveryEvent event) {
        return event.getSource() + ":" + event.getEventId();
    }

    @Override
    public Processor<String, DeliveryEvent, String, DeliveryEvent> get() {
        return new DeduplicationProcessor();
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        // Window size = retention: each id is one "window" starting at its first sighting.
        return Set.of(Stores.windowStoreBuilder(
                WindowStores.persistentWindowStore(storeName, retention, retention, false),
                Serdes.String(), Serdes.Long()));
    }

    private final class DeduplicationProcessor implements Processor<String, DeliveryEvent, String, DeliveryEvent> {

        private ProcessorContext<String, DeliveryEvent> context;
        private WindowStore<String, Long> seen;

        @Override
        public void init(ProcessorContext<String, DeliveryEvent> context) {
            this.context = context;
            this.seen = context.getStateStore(storeName);
        }

        @Override
        public void process(Record<String, DeliveryEvent> record) {
            String id = idOf(record.value());
            long time = record.timestamp();
            if (seenWithinRetention(id, time)) {
                return;
            }
            seen.put(id, time, time);
            context.forward(record);
        }

        private boolean seenWithinRetention(String id, long time) {
            // Both directions: a retry may carry an earlier receive time than the delivery seen first (clock skew
            // between ingress instances).
            // The long-typed fetch: the Instant overloads format a validation message on every call.
            long from = Math.max(0, time - retention.toMillis() + 1);
            long to = time + retention.toMillis() - 1;
            try (WindowStoreIterator<Long> hits = seen.fetch(id, from, to)) {
                return hits.hasNext();
            }
        }
    }
}
