package dev.shipstream.local.registry;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A {@link SchemaStore} on a compacted, single-partition Kafka topic ({@code _schemas} by default).
 *
 * <p><b>Start.</b> Creates the topic when it is missing (1 partition, {@code cleanup.policy=compact}, the configured
 * replication factor), reads it from the beginning up to the end offset found at start, and only then returns.
 * A background thread keeps tailing the topic, so that several registry instances on one topic converge.
 *
 * <p><b>Writes.</b> Produced with {@code acks=all} and idempotence. The future returned by {@link #append} completes
 * after the broker acknowledged the record and this store's reader has applied it, so state read afterwards
 * includes the write.
 *
 * <p><b>Format.</b> Keys and values are UTF-8 JSON objects; keys are written with a fixed field order so compaction
 * keeps exactly one record per key:
 * <table>
 *   <caption>records in the topic</caption>
 *   <tr><th>record</th><th>key</th><th>value</th></tr>
 *   <tr><td>schema registration</td>
 *       <td>{@code {"keytype":"SCHEMA","subject":s,"version":v,"id":n}}</td>
 *       <td>{@code {"subject":s,"version":v,"id":n,"schema":"<Avro JSON>"}}</td></tr>
 *   <tr><td>compatibility level</td>
 *       <td>{@code {"keytype":"CONFIG","subject":s}}; without {@code subject} for the global level</td>
 *       <td>{@code {"compatibilityLevel":"FULL"}}; a tombstone (null) removes a subject's own level</td></tr>
 *   <tr><td>subject soft deletion</td>
 *       <td>{@code {"keytype":"DELETE_SUBJECT","subject":s}}</td>
 *       <td>{@code {"subject":s,"version":v}}: versions up to {@code v} are deleted</td></tr>
 * </table>
 * The id is part of a registration's key so that, should two instances race for the same subject and version, both
 * records survive compaction and every reader resolves the race identically (the first in log order wins). Records
 * with another {@code keytype} are skipped; undecodable records are logged and skipped.
 */
public final class KafkaSchemaStore implements SchemaStore {

    /** The topic the registry uses unless told otherwise, as Confluent's does. */
    public static final String DEFAULT_TOPIC = "_schemas";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSchemaStore.class);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    private static final int REQUEST_TIMEOUT_MS = 5_000;

    private final String bootstrapServers;
    private final String topic;
    private final short replicationFactor;
    private final Duration operationTimeout;
    private final TopicPartition partition;

    /** Guards {@link #appliedUpTo}, {@link #waiters} and {@link #failure}. */
    private final Object progressLock = new Object();
    private final SortedMap<Long, CompletableFuture<Void>> waiters = new TreeMap<>();
    private long appliedUpTo;
    private RuntimeException failure;

    private KafkaProducer<byte[], byte[]> producer;
    private KafkaConsumer<byte[], byte[]> consumer;
    private Thread reader;
    private volatile boolean running;

    /**
     * A store on {@code topic} of the cluster at {@code bootstrapServers}.
     *
     * @param replicationFactor used only when the topic has to be created
     * @param operationTimeout  bounds each admin call, producer blocking and delivery
     */
    public KafkaSchemaStore(String bootstrapServers, String topic, short replicationFactor,
                            Duration operationTimeout) {
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.topic = Objects.requireNonNull(topic, "topic");
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be at least 1, got " + replicationFactor);
        }
        this.replicationFactor = replicationFactor;
        this.operationTimeout = Objects.requireNonNull(operationTimeout, "operationTimeout");
        this.partition = new TopicPartition(topic, 0);
    }

    /** The topic this store reads and writes. */
    public String topic() {
        return topic;
    }

    @Override
    public void start(Consumer<RegistryRecord> applier, Duration timeout) {
        Objects.requireNonNull(applier, "applier");
        if (reader != null) {
            throw new IllegalStateException("store already started");
        }
        try {
            ensureTopic();
            producer = new KafkaProducer<>(producerConfig());
            consumer = new KafkaConsumer<>(consumerConfig());
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long endAtStart = consumer.endOffsets(List.of(partition), timeout).get(partition);
            CompletableFuture<Void> caughtUp = new CompletableFuture<>();
            running = true;
            reader = new Thread(() -> read(applier, endAtStart, caughtUp), "dev-schema-registry-reader-" + topic);
            reader.setDaemon(true);
            reader.start();
            caughtUp.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("Schema store read topic {} up to offset {}", topic, endAtStart);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new SchemaStoreException("interrupted while reading topic " + topic, e);
        } catch (TimeoutException e) {
            close();
            throw new SchemaStoreException("topic " + topic + " was not read within " + timeout, e);
        } catch (ExecutionException e) {
            close();
            throw new SchemaStoreException("could not read topic " + topic + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (RuntimeException e) {
            close();
            throw e instanceof SchemaStoreException ? e
                    : new SchemaStoreException("could not open topic " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public CompletableFuture<Void> append(RegistryRecord record) {
        Objects.requireNonNull(record, "record");
        CompletableFuture<Void> applied = new CompletableFuture<>();
        synchronized (progressLock) {
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
        }
        if (producer == null || !running) {
            return CompletableFuture.failedFuture(new SchemaStoreException("store is not running"));
        }
        ProducerRecord<byte[], byte[]> producerRecord = new ProducerRecord<>(
                topic, 0, RegistryRecordCodec.key(record), RegistryRecordCodec.value(record));
        try {
            producer.send(producerRecord, (metadata, exception) -> {
                if (exception != null) {
                    applied.completeExceptionally(new SchemaStoreException(
                            "write to topic " + topic + " failed: " + exception.getMessage(), exception));
                } else {
                    awaitApplied(metadata.offset(), applied);
                }
            });
        } catch (RuntimeException e) {
            applied.completeExceptionally(
                    new SchemaStoreException("write to topic " + topic + " failed: " + e.getMessage(), e));
        }
        return applied;
    }

    @Override
    public void close() {
        running = false;
        Thread readerThread = reader;
        if (readerThread != null) {
            consumer.wakeup();
            try {
                readerThread.join(operationTimeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (consumer != null) {
            consumer.close(Duration.ofMillis(operationTimeout.toMillis()));
        }
        if (producer != null) {
            producer.close(operationTimeout);
            producer = null;
        }
        failWaiters(new SchemaStoreException("store closed"));
    }

    private void ensureTopic() throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) operationTimeout.toMillis(),
                AdminClientConfig.CLIENT_ID_CONFIG, "dev-schema-registry-admin");
        try (Admin admin = Admin.create(config)) {
            try {
                TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames()
                        .get(operationTimeout.toMillis(), TimeUnit.MILLISECONDS).get(topic);
                if (description.partitions().size() != 1) {
                    throw new SchemaStoreException("topic " + topic + " has " + description.partitions().size()
                            + " partitions; the schema registry needs exactly 1 to keep one order");
                }
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            NewTopic newTopic = new NewTopic(topic, 1, replicationFactor)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            try {
                admin.createTopics(List.of(newTopic)).all().get(operationTimeout.toMillis(), TimeUnit.MILLISECONDS);
                LOG.info("Created schema topic {} (compacted, replication factor {})", topic, replicationFactor);
            } catch (ExecutionException e) {
                // Another registry instance created it between our describe and create: that is the topic we want.
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    private void read(Consumer<RegistryRecord> applier, long endAtStart, CompletableFuture<Void> caughtUp) {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_INTERVAL)) {
                    apply(applier, record);
                }
                long position = consumer.position(partition);
                markApplied(position);
                if (position >= endAtStart) {
                    caughtUp.complete(null);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                fail(new SchemaStoreException("reader of topic " + topic + " was woken up unexpectedly", e),
                        caughtUp);
            }
        } catch (RuntimeException e) {
            LOG.error("Reader of schema topic {} stopped; the registry can no longer write", topic, e);
            fail(new SchemaStoreException("reader of topic " + topic + " failed: " + e.getMessage(), e), caughtUp);
        } finally {
            consumer.close(Duration.ofMillis(operationTimeout.toMillis()));
            caughtUp.completeExceptionally(new SchemaStoreException("store closed before it caught up"));
        }
    }

    private void apply(Consumer<RegistryRecord> applier, ConsumerRecord<byte[], byte[]> record) {
        try {
            RegistryRecordCodec.decode(record.key(), record.value()).ifPresentOrElse(applier,
                    () -> LOG.debug("Skipping record of unknown type at {}-{}", partition, record.offset()));
        } catch (IllegalArgumentException e) {
            // One bad record must not stop a registry that reads a topic other tools may have written to.
            LOG.warn("Skipping undecodable record at {}-{}: {}", partition, record.offset(), e.getMessage());
        }
    }

    private void markApplied(long position) {
        synchronized (progressLock) {
            appliedUpTo = position;
            SortedMap<Long, CompletableFuture<Void>> done = waiters.headMap(position);
            done.values().forEach(future -> future.complete(null));
            done.clear();
        }
    }

    private void awaitApplied(long offset, CompletableFuture<Void> applied) {
        synchronized (progressLock) {
            if (failure != null) {
                applied.completeExceptionally(failure);
            } else if (offset < appliedUpTo) {
                applied.complete(null);
            } else {
                waiters.put(offset, applied);
            }
        }
    }

    private void fail(RuntimeException cause, CompletableFuture<Void> caughtUp) {
        synchronized (progressLock) {
            failure = cause;
        }
        caughtUp.completeExceptionally(cause);
        failWaiters(cause);
    }

    private void failWaiters(RuntimeException cause) {
        synchronized (progressLock) {
            waiters.values().forEach(future -> future.completeExceptionally(cause));
            waiters.clear();
        }
    }

    private Map<String, Object> producerConfig() {
        int timeoutMs = (int) operationTimeout.toMillis();
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "dev-schema-registry-writer");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(timeoutMs, REQUEST_TIMEOUT_MS));
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "dev-schema-registry-reader");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) operationTimeout.toMillis());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }
}
