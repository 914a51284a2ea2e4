package dev.shipstream.streams;

import java.util.Objects;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes state restoration visible: counts the records Kafka Streams restores into local stores from their changelogs,
 * as {@value #NAME}, and logs each finished restore that restored anything.
 *
 * <p>A restart after a clean stop restores nothing (the stores' offsets match their changelogs); records counted
 * there mean local state was lost or wiped, e.g. after a crash under exactly-once. Thread-safe: the stream threads
 * share one instance.
 */
final class StateRestores implements StateRestoreListener {

    /** The meter name; Prometheus renders it as {@code shipstream_streams_restored_records_total}. */
    static final String NAME = "shipstream.streams.restored.records";

    private static final Logger LOG = LoggerFactory.getLogger(StateRestores.class);

    private final Counter restored;

    StateRestores(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        this.restored = Counter.builder(NAME)
                .description("Records restored into local state stores from their changelogs")
                .register(registry);
    }

    /** The records restored since start. */
    long restoredRecords() {
        return (long) restored.count();
    }

    @Override
    public void onRestoreStart(TopicPartition partition, String storeName, long startingOffset, long endingOffset) {
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String storeName, long batchEndOffset, long numRestored) {
        restored.increment(numRestored);
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String storeName, long totalRestored) {
        if (totalRestored > 0) {
            LOG.info("restored {} records into store {} from {}", totalRestored, storeName, partition);
        }
    }
}
