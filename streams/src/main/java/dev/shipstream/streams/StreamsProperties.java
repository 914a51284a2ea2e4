package dev.shipstream.streams;

import dev.shipstream.schemas.serde.AvroSerdeConfig;
import dev.shipstream.streams.errors.DeadLetterDeserializationExceptionHandler;
import dev.shipstream.streams.errors.DeadLetterProcessingExceptionHandler;
import dev.shipstream.streams.errors.DeadLetterProductionExceptionHandler;
import dev.shipstream.streams.errors.DeadLetters;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The Kafka Streams configuration of the application: exactly-once v2, the commit interval, the Shipstream
 * exception handlers and the dead-letter support they need.
 *
 * <p>{@code overrides} come first and the settings that the pipeline's guarantees rest on (application id,
 * bootstrap servers, processing guarantee, handlers) are applied last, so a test or launcher can tune anything else
 * (e.g. {@code consumer.max.poll.records}) but cannot weaken those.
 */
public final class StreamsProperties {

    // A short linger: under exactly-once the commit flushes anyway, and the latency target is tight.
    private static final int PRODUCER_LINGER_MS = 5;

    // Larger than the default 16 KiB: a commit flushes a few hundred records per partition at a time (events and the
    // dedup changelog), and fewer, larger produce requests cost the broker, which shares the cores, less per record.
    private static final int PRODUCER_BATCH_SIZE = 128 * 1024;

    private StreamsProperties() {
    }

    /**
     * Builds the properties.
     *
     * @param settings    the application settings
     * @param deadLetters handed to the exception handlers under {@link DeadLetters#CONFIG}
     * @param overrides   extra Streams, consumer or producer properties
     * @return the properties for {@code new KafkaStreams(topology, properties)}
     */
    public static Properties of(StreamsSettings settings, DeadLetters deadLetters, Map<String, ?> overrides) {
        return of(settings, deadLetters, overrides, null);
    }

    /**
     * Builds the properties of an instance whose HTTP server answers interactive queries.
     *
     * @param settings          the application settings
     * @param deadLetters       handed to the exception handlers under {@link DeadLetters#CONFIG}
     * @param overrides         extra Streams, consumer or producer properties
     * @param applicationServer this instance's {@code host:port} as the other instances reach its HTTP server
     *                          ({@code application.server}), or null for none
     * @return the properties for {@code new KafkaStreams(topology, properties)}
     */
    public static Properties of(StreamsSettings settings, DeadLetters deadLetters, Map<String, ?> overrides,
                                String applicationServer) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(deadLetters, "deadLetters");
        Properties props = new Properties();
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.commitInterval().toMillis());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, settings.replicationFactor());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.streamThreads());
        props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toString());
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), PRODUCER_LINGER_MS);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_SIZE);
        props.putAll(overrides);

        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, settings.schemaRegistryUrl());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationExceptionHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingExceptionHandler.class);
        // The topology has no global store, so this changes nothing today; it is the Kafka 5.0 default, and without
        // it Kafka Streams warns at every start.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionExceptionHandler.class);
        props.put(DeadLetters.CONFIG, deadLetters);
        if (applicationServer != null) {
            // The query API forwards to the instance this names; another value would send queries astray.
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        }
        return props;
    }
}
