package dev.shipstream.testsupport;

/**
 * A running Kafka broker and Confluent-compatible schema registry for integration tests. One platform serves a
 * whole test JVM; tests isolate themselves with {@link #uniqueName(String)} for topics and application ids.
 */
public interface KafkaPlatform extends AutoCloseable {

    /** The {@code bootstrap.servers} value for clients. */
    String bootstrapServers();

    /** The {@code schema.registry.url} value for serdes and converters. */
    String schemaRegistryUrl();

    /** A name no other test in this JVM gets, e.g. {@code orders-7} for a topic or application id. */
    default String uniqueName(String prefix) {
        return UniqueNames.next(prefix);
    }

    /** Creates a topic (replication factor 1) and waits until it exists. Idempotent. */
    default void createTopic(String name, int partitions) {
        TopicCreator.create(bootstrapServers(), name, partitions);
    }

    /**
     * Makes the broker unreachable while keeping its data, as a crash or network partition would. Tests that call
     * it must call {@link #startBroker()} before they end, since the broker is shared.
     */
    void stopBroker();

    /** Brings the broker back on the same address after {@link #stopBroker()}, and waits until it is ready. */
    void startBroker();

    @Override
    void close();
}
