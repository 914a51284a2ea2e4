package dev.shipstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.Topics;
import dev.shipstream.schemas.connect.AvroConverter;
import dev.shipstream.schemas.connect.ContractFixtures;
import dev.shipstream.schemas.serde.AvroDeserializer;
import dev.shipstream.schemas.serde.AvroSerializer;
import dev.shipstream.schemas.serde.HttpSchemaRegistryClient;
import dev.shipstream.schemas.serde.RegisteredSchema;
import dev.shipstream.schemas.serde.SchemaRegistryClient;
import dev.shipstream.schemas.serde.SchemaRegistryException;
import org.apache.avro.Schema;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The devstack as a subscriber meets it: the broker, the registry and the catalogue started by {@link DevStack},
 * records written with our serializer and read back with our deserializer and Connect converter, the registry's
 * compatibility rule, and a restart on the same data directory.
 */
class DevStackIT {

    @TempDir
    Path dataDir;

    private DevStack start() {
        return DevStack.start(new DevStackOptions(dataDir, false, 0, 0));
    }

    @Test
    void specificRecordWrittenByOurSerializerIsReadBackAsSpecificAndAsGeneric() {
        DeliveryEvent event = ContractFixtures.fullDeliveryEvent();
        try (DevStack stack = start()) {
            TopicPartitionOffset offset = produce(stack, event);

            byte[] stored = readValueAt(stack, offset);
            try (AvroDeserializer<DeliveryEvent> specific = new AvroDeserializer<>();
                 AvroDeserializer<GenericRecord> generic = new AvroDeserializer<>()) {
                specific.configure(Map.of("schema.registry.url", stack.schemaRegistryUrl(), "specific.avro.reader", true), false);
                generic.configure(Map.of("schema.registry.url", stack.schemaRegistryUrl()), false);

                assertThat(specific.deserialize(Topics.EVENTS.name(), stored)).isEqualTo(event);
                GenericRecord asGeneric = generic.deserialize(Topics.EVENTS.name(), stored);
                assertThat(asGeneric.getSchema().getFullName()).isEqualTo("dev.shipstream.schemas.DeliveryEvent");
                assertThat(asGeneric.get("eventId")).hasToString(event.getEventId());
                assertThat(asGeneric.get("entityKey")).hasToString(event.getEntityKey());
            }
        }
    }

    @Test
    void registryRejectsAnIncompatibleSchemaWith409AndAcceptsACompatibleOne() {
        try (DevStack stack = start();
             SchemaRegistryClient registry = new HttpSchemaRegistryClient(stack.schemaRegistryUrl())) {
            String subject = Topics.EVENTS.valueSubject();
            int firstId = registry.register(subject, DeliveryEvent.getClassSchema().toString());

            Schema requiredFieldAdded = withExtraField(DeliveryEvent.getClassSchema(), false);
            assertThatThrownBy(() -> registry.register(subject, requiredFieldAdded.toString()))
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(409);
                        assertThat(e.errorCode()).isEqualTo(409);
                    });

            Schema optionalFieldAdded = withExtraField(DeliveryEvent.getClassSchema(), true);
            int secondId = registry.register(subject, optionalFieldAdded.toString());
            assertThat(secondId).isNotEqualTo(firstId);
            assertThat(registry.versions(subject)).containsExactly(1, 2);
        }
    }

    @Test
    void recordsAndSchemasSurviveARestartOnTheSameDataDirectory() {
        DeliveryEvent event = ContractFixtures.fullDeliveryEvent();
        TopicPartitionOffset offset;
        RegisteredSchema registeredBefore;
        try (DevStack stack = start();
             SchemaRegistryClient registry = new HttpSchemaRegistryClient(stack.schemaRegistryUrl())) {
            offset = produce(stack, event);
            registeredBefore = registry.latest(Topics.EVENTS.valueSubject());
        }

        try (DevStack restarted = start();
             SchemaRegistryClient registry = new HttpSchemaRegistryClient(restarted.schemaRegistryUrl());
             AvroDeserializer<DeliveryEvent> deserializer = new AvroDeserializer<>()) {
            assertThat(registry.latest(Topics.EVENTS.valueSubject())).isEqualTo(registeredBefore);
            assertThat(registry.schemaById(registeredBefore.id())).isEqualTo(registeredBefore.schema());

            deserializer.configure(Map.of("schema.registry.url", restarted.schemaRegistryUrl(), "specific.avro.reader", true), false);
            assertThat(deserializer.deserialize(Topics.EVENTS.name(), readValueAt(restarted, offset))).isEqualTo(event);
        }
    }

    @Test
    void connectConverterRoundTripsADeliveryEventThroughAStruct() {
        DeliveryEvent event = ContractFixtures.fullDeliveryEvent();
        try (DevStack stack = start()) {
            TopicPartitionOffset offset = produce(stack, event);
            byte[] stored = readValueAt(stack, offset);

            AvroConverter converter = new AvroConverter();
            converter.configure(Map.of("schema.registry.url", stack.schemaRegistryUrl()), false);
            SchemaAndValue connectData = converter.toConnectData(Topics.EVENTS.name(), stored);
            assertThat(connectData.value()).isInstanceOf(Struct.class);
            Struct struct = (Struct) connectData.value();
            assertThat(struct.getString("eventId")).isEqualTo(event.getEventId());
            assertThat(struct.getStruct("entity").getString("id")).isEqualTo(event.getEntity().getId());

            byte[] written = converter.fromConnectData(Topics.EVENTS.name(), connectData.schema(), struct);
            try (AvroDeserializer<DeliveryEvent> deserializer = new AvroDeserializer<>()) {
                deserializer.configure(Map.of("schema.registry.url", stack.schemaRegistryUrl(), "specific.avro.reader", true), false);
                assertThat(deserializer.deserialize(Topics.EVENTS.name(), written)).isEqualTo(event);
            }
        }
    }

    private static TopicPartitionOffset produce(DevStack stack, DeliveryEvent event) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        // Serializers handed to the producer are not configured by it.
        AvroSerializer<DeliveryEvent> values = new AvroSerializer<>();
        values.configure(Map.of("schema.registry.url", stack.schemaRegistryUrl()), false);
        try (KafkaProducer<String, DeliveryEvent> producer = new KafkaProducer<>(config, new StringSerializer(), values)) {
            var metadata = producer.send(new ProducerRecord<>(Topics.EVENTS.name(), event.getEntityKey(), event)).get();
            return new TopicPartitionOffset(new TopicPartition(metadata.topic(), metadata.partition()), metadata.offset());
        } catch (Exception e) {
            throw new AssertionError("Producing to the devstack failed", e);
        }
    }

    private record TopicPartitionOffset(TopicPartition partition, long offset) {
    }

    /** The value bytes exactly as stored at a position of the events topic. */
    private static byte[] readValueAt(DevStack stack, TopicPartitionOffset position) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(position.partition()));
            consumer.seek(position.partition(), position.offset());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.offset() == position.offset()) {
                        return record.value();
                    }
                }
            }
        }
        throw new AssertionError("No record at " + position + " within 30 s");
    }

    /** The schema with one more string field: optional (defaulting to null) or required (no default). */
    private static Schema withExtraField(Schema schema, boolean optional) {
        try {
            ObjectMapper json = new ObjectMapper();
            ObjectNode root = (ObjectNode) json.readTree(schema.toString());
            ObjectNode field = ((ArrayNode) root.get("fields")).addObject();
            field.put("name", "releaseTrain");
            field.put("doc", "A field added by the test.");
            if (optional) {
                field.putArray("type").add("null").add("string");
                field.putNull("default");
            } else {
                field.put("type", "string");
            }
            return new Schema.Parser().parse(json.writeValueAsString(root));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
