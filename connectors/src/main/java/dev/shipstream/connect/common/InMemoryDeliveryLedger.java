package dev.shipstream.connect.common;

import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * A ledger in the task's memory, bounded to the most recent keys: it stops duplicates within one task's life
 * (Connect's retries and redeliveries of a batch) but not across a restart. Used when no state topic is
 * configured, and as the cache in front of {@link KafkaDeliveryLedger}.
 */
public class InMemoryDeliveryLedger implements DeliveryLedger {

    private final Cache<String, String> entries;

    public InMemoryDeliveryLedger(long maxEntries) {
        this.entries = Caffeine.newBuilder().maximumSize(maxEntries).build();
    }

    @Override
    public Optional<String> lookup(String key) {
        return Optional.ofNullable(entries.getIfPresent(key));
    }

    @Override
    public void record(String key, String value) {
        entries.put(key, value);
    }

    @Override
    public void close() {
        entries.invalidateAll();
    }
}
