package dev.shipstream.streams.e2e;

import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.Topics;
import dev.shipstream.schemas.serde.AvroDeserializer;
import dev.shipstream.schemas.serde.AvroSerdeConfig;
import dev.shipstream.streams.StreamsApp;
import dev.shipstream.streams.StreamsSettings;
import dev.shipstream.testsupport.KafkaPlatform;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * The streams app as it runs in production (started from environment variables) reading the catalogue's raw topic,
 * with events, dead-letter, review-cycle and delivery-metric topics of this test only, and a read_committed reader of
 * its events.
 *
 * <p>The raw topic is shared with every other test of the JVM, so the app's consumer group starts at its current end
 * (offsets committed before the first start): the app sees only what is posted from then on, and the reader is only
 * ever asked about this test's entity keys anyway.
 */
final class Pipeline implements AutoCloseable {

    static final Duration START_BOUND = Duration.ofSeconds(60);

    private final Map<String, String> env;
    private final KafkaConsumer<String, DeliveryEvent> reader;
    private final List<ConsumerRecord<String, DeliveryEvent>> read = new ArrayList<>();
    private StreamsApp app;

    private Pipeline(Map<String, String> env, KafkaConsumer<String, DeliveryEvent> reader) {
        this.env = env;
        this.reader = reader;
    }

    /**
     * Creates the test's topics, positions the new application at the end of the raw topic, and starts the app.
     *
     * @param enrichmentEnv the {@code SHIPSTREAM_ASC_*} variables
     */
    static Pipeline start(KafkaPlatform platform, Path stateDir, Map<String, String> enrichmentEnv) {
        String events = platform.uniqueName("e2e-events");
        String deadLetters = platform.uniqueName("e2e-deadletters");
        String reviewCycles = platform.uniqueName("e2e-review-cycles");
        String deliveryMetrics = platform.uniqueName("e2e-delivery-metrics");
        String applicationId = platform.uniqueName("e2e-streams");
        platform.createTopic(events, 3);
        platform.createTopic(deadLetters, 1);
        platform.createTopic(reviewCycles, 3);
        platform.createTopic(deliveryMetrics, 3);
        Map<String, String> env = new HashMap<>(enrichmentEnv);
        env.put(StreamsSettings.BOOTSTRAP_SERVERS_ENV, platform.bootstrapServers());
        env.put(StreamsSettings.SCHEMA_REGISTRY_URL_ENV, platform.schemaRegistryUrl());
        env.put(StreamsSettings.APPLICATION_ID_ENV, applicationId);
        env.put(StreamsSettings.STATE_DIR_ENV, stateDir.toString());
        env.put(StreamsSettings.EVENTS_TOPIC_ENV, events);
        env.put(StreamsSettings.DEADLETTER_TOPIC_ENV, deadLetters);
        env.put(StreamsSettings.REVIEW_CYCLES_TOPIC_ENV, reviewCycles);
        env.put(StreamsSettings.DELIVERY_METRICS_TOPIC_ENV, deliveryMetrics);
        env.put(StreamsSettings.HTTP_PORT_ENV, "0");
        platform.createTopic(Topics.WEBHOOKS_RAW.name(), Topics.WEBHOOKS_RAW.partitions());
        startAtEndOfRawTopic(platform, applicationId);
        Pipeline pipeline = new Pipeline(Map.copyOf(env), reader(platform, events));
        try {
            pipeline.startApp();
            return pipeline;
        } catch (RuntimeException | Error e) {
            pipeline.close();
            throw e;
        }
    }

    /** Starts the app (again: same application id and state directory) and waits until it runs. */
    void startApp() {
        if (app != null) {
            throw new IllegalStateException("the app is running");
        }
        app = StreamsApp.start(StreamsSettings.fromEnvironment(env), env);
        StreamsApp started = app;
        await("streams app RUNNING").atMost(START_BOUND).pollInterval(Duration.ofMillis(100))
                .until(() -> started.state() == KafkaStreams.State.RUNNING);
    }

    /** Closes the app (Kafka Streams commits what it processed and keeps its state directory). */
    void stopApp() {
        if (app != null) {
            StreamsApp running = app;
            app = null;
            running.close();
        }
    }

    /** This test's review-cycle topic. */
    String reviewCyclesTopic() {
        return env.get(StreamsSettings.REVIEW_CYCLES_TOPIC_ENV);
    }

    /** The running app. */
    StreamsApp app() {
        if (app == null) {
            throw new IllegalStateException("the app is stopped");
        }
        return app;
    }

    /** Reads what is committed on the events topic now, keeping it. */
    void poll() {
        reader.poll(Duration.ofMillis(100)).forEach(read::add);
    }

    /** Every record read so far with this key (the entity key), in topic order. */
    List<ConsumerRecord<String, DeliveryEvent>> recordsOf(String entityKey) {
        return read.stream().filter(r -> entityKey.equals(r.key())).toList();
    }

    /** Reads until a record of {@code entityKey} with {@code eventId} has arrived, and returns the first such. */
    ConsumerRecord<String, DeliveryEvent> awaitEvent(String entityKey, String eventId, Duration bound) {
        await("event " + eventId + " of " + entityKey + " on the events topic").atMost(bound)
                .pollInterval(Duration.ofMillis(10)).pollDelay(Duration.ZERO)
                .until(() -> {
                    poll();
                    return find(entityKey, eventId) != null;
                });
        return find(entityKey, eventId);
    }

    private ConsumerRecord<String, DeliveryEvent> find(String entityKey, String eventId) {
        return recordsOf(entityKey).stream().filter(r -> eventId.equals(r.value().getEventId())).findFirst()
                .orElse(null);
    }

    /** The record's headers as text, last value per name. */
    static Map<String, String> headers(ConsumerRecord<?, ?> record) {
        Map<String, String> out = new HashMap<>();
        for (Header header : record.headers()) {
            out.put(header.key(), header.value() == null ? null
                    : new String(header.value(), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public void close() {
        try {
            stopApp();
        } finally {
            reader.close();
        }
    }

    private static KafkaConsumer<String, DeliveryEvent> reader(KafkaPlatform platform, String topic) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, platform.uniqueName("e2e-reader"));
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, platform.schemaRegistryUrl());
        props.put(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true);
        // A consumer does not configure the deserializers it is handed.
        AvroDeserializer<DeliveryEvent> values = new AvroDeserializer<>();
        values.configure(props, false);
        KafkaConsumer<String, DeliveryEvent> consumer = new KafkaConsumer<>(props, new StringDeserializer(), values);
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static void startAtEndOfRawTopic(KafkaPlatform platform, String applicationId) {
        String raw = Topics.WEBHOOKS_RAW.name();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                platform.bootstrapServers()))) {
            int partitions = admin.describeTopics(List.of(raw)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(raw).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(raw, p), OffsetSpec.latest());
            }
            Map<TopicPartition, OffsetAndMetadata> ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS)
                    .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                            e -> new OffsetAndMetadata(e.getValue().offset())));
            // The Kafka Streams group id is the application id.
            admin.alterConsumerGroupOffsets(applicationId, ends).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot position " + applicationId + " at the end of " + raw, e);
        }
    }
}
