package dev.shipstream.schemas;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything Shipstream promises about one topic: its name, what its keys and values are, how long it keeps
 * records and how many partitions it has. Modules name topics only through descriptors from {@link Topics}.
 *
 * @param name          the topic name
 * @param keyType       the Java type of keys; {@code String} keys are plain UTF-8 (Kafka's StringSerializer)
 * @param valueType     the Java type of values; Avro records travel in the Confluent wire format
 * @param cleanupPolicy delete (time-based retention) or compact (latest value per key)
 * @param retention     how long records are kept, or {@code null} for ever
 * @param partitions    the partition count the topic is created with
 * @param description   one sentence on what the topic holds, for docs and banners
 */
public record TopicDescriptor<K, V>(
        String name,
        Class<K> keyType,
        Class<V> valueType,
        CleanupPolicy cleanupPolicy,
        Duration retention,
        int partitions,
        String description) {

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
    }

    /** The subject of the value schema under Confluent's TopicNameStrategy. */
    public String valueSubject() {
        return name + "-value";
    }

    /** The subject of the key schema under Confluent's TopicNameStrategy. */
    public String keySubject() {
        return name + "-key";
    }

    /** The topic-level configuration to create the topic with. */
    public Map<String, String> topicConfigs() {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("cleanup.policy", cleanupPolicy.configValue());
        configs.put("retention.ms", retention == null ? "-1" : Long.toString(retention.toMillis()));
        return Map.copyOf(configs);
    }
}
