package dev.shipstream.schemas;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything Shipstream promises about one topic: its name, what its keys and values are, how long it keeps
 * records, how many partitions it has and how durably it stores them. Modules name topics only through descriptors
 * from {@link Topics}.
 *
 * <p>The replication factor and {@code min.insync.replicas} are the production values: with producers at
 * {@code acks=all}, a write is acknowledged only once {@code min.insync.replicas} brokers have it. A cluster with
 * fewer brokers than the replication factor (a development broker) cannot create such a topic at all, so tools that
 * create topics apply {@link #replicationFactorOn(int)} and {@link #minInsyncReplicasOn(int)}: the same values capped
 * at the cluster's size.
 *
 * @param name          the topic name
 * @param keyType       the Java type of keys; {@code String} keys are plain UTF-8 (Kafka's StringSerializer)
 * @param valueType     the Java type of values; Avro records travel in the Confluent wire format
 * @param cleanupPolicy delete (time-based retention) or compact (latest value per key)
 * @param retention     how long records are kept, or {@code null} for ever
 * @param partitions    the partition count the topic is created with
 * @param description   one sentence on what the topic holds, for docs and banners
 * @param replicationFactor  copies of each partition on a production cluster
 * @param minInsyncReplicas  replicas that must have a write before an {@code acks=all} producer is answered
 */
public record TopicDescriptor<K, V>(
        String name,
        Class<K> keyType,
        Class<V> valueType,
        CleanupPolicy cleanupPolicy,
        Duration retention,
        int partitions,
        String description,
        short replicationFactor,
        int minInsyncReplicas) {

    /** Kafka's topic configuration key for {@code min.insync.replicas}. */
    public static final String MIN_INSYNC_REPLICAS_CONFIG = "min.insync.replicas";
    /** The production replication factor: a partition survives the loss of two brokers. */
    public static final short PRODUCTION_REPLICATION_FACTOR = 3;
    /** The production {@code min.insync.replicas}: an acknowledged write is on two brokers, and one may be down. */
    public static final int PRODUCTION_MIN_INSYNC_REPLICAS = 2;

    /** Kafka's {@code cleanup.policy} values. */
    public enum CleanupPolicy {
        DELETE("delete"), COMPACT("compact");

        private final String configValue;

        CleanupPolicy(String configValue) {
            this.configValue = configValue;
        }

        public String configValue() {
            return configValue;
        }
    }

    public TopicDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(valueType, "valueType");
        Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1 for topic " + name);
        }
        if (replicationFactor < 1 || minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("topic " + name + " needs 1 <= min.insync.replicas <= replication "
                    + "factor, got " + minInsyncReplicas + " and " + replicationFactor);
        }
    }

    /**
     * A topic with the production durability: {@link #PRODUCTION_REPLICATION_FACTOR} and
     * {@link #PRODUCTION_MIN_INSYNC_REPLICAS}.
     */
    public TopicDescriptor(String name, Class<K> keyType, Class<V> valueType, CleanupPolicy cleanupPolicy,
            Duration retention, int partitions, String description) {
        this(name, keyType, valueType, cleanupPolicy, retention, partitions, description,
                PRODUCTION_REPLICATION_FACTOR, PRODUCTION_MIN_INSYNC_REPLICAS);
    }

    /**
     * The replication factor to create the topic with on a cluster of {@code brokers} brokers.
     *
     * @param brokers the cluster's size, at least 1
     * @return the descriptor's replication factor, capped at {@code brokers}
     */
    public short replicationFactorOn(int brokers) {
        return (short) Math.min(replicationFactor, Math.max(1, brokers));
    }

    /**
     * The {@code min.insync.replicas} to create the topic with on a cluster of {@code brokers} brokers.
     *
     * @param brokers the cluster's size, at least 1
     * @return the descriptor's value on a cluster large enough for its replication factor; on a smaller one, at
     *     most the capped replication factor minus one (at least 1), so that one broker down does not stop writes
     */
    public int minInsyncReplicasOn(int brokers) {
        short factor = replicationFactorOn(brokers);
        return factor == replicationFactor ? minInsyncReplicas : Math.min(minInsyncReplicas, Math.max(1, factor - 1));
    }

    /** The subject of the value schema under Confluent's TopicNameStrategy. */
    public String valueSubject() {
        return name + "-value";
    }

    /** The subject of the key schema under Confluent's TopicNameStrategy. */
    public String keySubject() {
        return name + "-key";
    }

    /** The topic-level configuration to create the topic with on a production cluster. */
    public Map<String, String> topicConfigs() {
        return topicConfigsWith(minInsyncReplicas);
    }

    /**
     * The topic-level configuration to create the topic with on a cluster of {@code brokers} brokers.
     *
     * @param brokers the cluster's size, at least 1
     * @return {@link #topicConfigs()} with {@code min.insync.replicas} from {@link #minInsyncReplicasOn(int)}
     */
    public Map<String, String> topicConfigsOn(int brokers) {
        return topicConfigsWith(minInsyncReplicasOn(brokers));
    }

    private Map<String, String> topicConfigsWith(int minInsync) {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("cleanup.policy", cleanupPolicy.configValue());
        configs.put("retention.ms", retention == null ? "-1" : Long.toString(retention.toMillis()));
        configs.put(MIN_INSYNC_REPLICAS_CONFIG, Integer.toString(minInsync));
        return Map.copyOf(configs);
    }
}
