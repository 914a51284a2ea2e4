package dev.shipstream.connect.common;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger in a compacted Kafka topic, so sent keys and thread ids survive task restarts, rebalances and moves to
 * another worker. At start the task reads the topic to its end into a bounded in-memory cache; each
 * {@link #record} goes to the cache at once and to the topic through an idempotent {@code acks=all} producer without
 * waiting (waiting per message was a quarter of the Slack task's time at 50 events/s); {@link #flush}, which the task
 * calls before Connect commits offsets, waits for every write and fails if one failed, so no offset is committed
 * past a delivery whose key is not on the broker.
 *
 * <p>Why a topic and not the target's own metadata: Slack's {@code conversations.history} search needs an extra
 * scope and one API call (tier-3 rate limited) per lookup, and an Incoming Webhook has no history at all; a
 * compacted topic costs nothing per message and works for every target.
 *
 * <p>The window for a duplicate is a crash between the target's answer and the ledger write's acknowledgement (a
 * few ms, the same with or without waiting per record, since a crash also loses a write being waited for); that is
 * the at-least-once the connector documents.
 */
public final class KafkaDeliveryLedger implements DeliveryLedger {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaDeliveryLedger.class);
    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(2);

    private final String topic;
    private final Producer<String, String> producer;
    private final InMemoryDeliveryLedger cache;
    /** The first write that failed since the last flush, reported by the producer's I/O thread. */
    private final AtomicReference<Exception> failed = new AtomicReference<>();

    /** For tests: a given producer, an empty cache. */
    KafkaDeliveryLedger(String topic, Producer<String, String> producer, InMemoryDeliveryLedger cache) {
        this.topic = topic;
        this.producer = producer;
        this.cache = cache;
    }

    /**
     * Creates the topic if missing (compacted), reads it into a cache of at most {@code maxEntries} keys and opens
     * the producer. {@code clientConfig} holds {@code bootstrap.servers} and any security settings.
     */
    public static KafkaDeliveryLedger open(String topic, Map<String, Object> clientConfig, long maxEntries) {
        ensureTopic(topic, clientConfig);
        InMemoryDeliveryLedger cache = new InMemoryDeliveryLedger(maxEntries);
        int loaded = load(topic, clientConfig, cache);
        LOG.info("Delivery ledger: read {} entries from topic {}", loaded, topic);
        Map<String, Object> producerConfig = new HashMap<>(clientConfig);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaDeliveryLedger(topic,
                new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer()), cache);
    }

    @Override
    public Optional<String> lookup(String key) {
        return cache.lookup(key);
    }

    @Override
    public void record(String key, String value) {
        throwIfAWriteFailed();
        producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
            if (error != null) {
                failed.compareAndSet(null, error);
            }
        });
        cache.record(key, value);
    }

    @Override
    public void flush() {
        try {
            // Bounded by the producer's delivery.timeout.ms: every send completes, acknowledged or failed.
            producer.flush();
        } catch (InterruptException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while writing the delivery ledger", e);
        }
        throwIfAWriteFailed();
    }

    /**
     * A message went out but its key is not safe: fail the task rather than risk a silent duplicate later; Connect's
     * restart reads the ledger again.
     */
    private void throwIfAWriteFailed() {
        Exception error = failed.get();
        if (error != null) {
            throw new ConnectException("Could not write to the delivery ledger topic " + topic, error);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        cache.close();
    }

    private static void ensureTopic(String topic, Map<String, Object> clientConfig) {
        Map<String, Object> adminConfig = new HashMap<>(clientConfig);
        adminConfig.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(adminConfig)) {
            NewTopic newTopic = new NewTopic(topic, Optional.of(1), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            admin.createTopics(List.of(newTopic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new RetriableException("Could not create the delivery ledger topic " + topic, e.getCause());
            }
        } catch (TimeoutException e) {
            throw new RetriableException("Timed out creating the delivery ledger topic " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while creating the delivery ledger topic", e);
        }
    }

    private static int load(String topic, Map<String, Object> clientConfig, InMemoryDeliveryLedger cache) {
        Map<String, Object> consumerConfig = new HashMap<>(clientConfig);
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        int loaded = 0;
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, LOAD_TIMEOUT)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, LOAD_TIMEOUT);
            long deadline = System.nanoTime() + LOAD_TIMEOUT.toNanos();
            while (!reached(consumer, end, Set.copyOf(partitions))) {
                if (System.nanoTime() > deadline) {
                    throw new RetriableException("Timed out reading the delivery ledger topic " + topic);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() != null) {
                        cache.record(record.key(), record.value());
                        loaded++;
                    }
                }
            }
        }
        return loaded;
    }

    private static boolean reached(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end,
                                   Set<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            if (consumer.position(partition) < end.getOrDefault(partition, 0L)) {
                return false;
            }
        }
        return true;
    }
}
