package dev.shipstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.EventCategory;
import dev.shipstream.schemas.RawWebhook;
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
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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
        return DevStack.start(new DevStackOptions(dataDir, false, 0, 0, 0, 0, 0, dataDir.resolve("no-plugins")), Map.of());
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

    @Test
    void signedWebhookIsStoredRawAndComesOutNormalised() throws Exception {
        String secret = "devstack-it-secret-0123456789";
        byte[] body = "{\"data\":{\"type\":\"webhookPingCreated\",\"id\":\"ping-1\",\"attributes\":{\"timestamp\":\"2025-03-01T10:00:00Z\"}}}"
                .getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = "hmacsha256=" + HexFormat.of().formatHex(mac.doFinal(body));

        try (DevStack stack = DevStack.start(new DevStackOptions(dataDir, false, 0, 0, 0, 0, 0, dataDir.resolve("no-plugins")), Map.of("SHIPSTREAM_ASC_SECRET", secret))) {
            assertThat(stack.banner()).doesNotContain(secret).contains("SHIPSTREAM_EAS_SECRET=");
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + stack.ingressPort() + "/webhooks/app-store-connect/default"))
                    .header("content-type", "application/json")
                    .header("x-apple-signature", signature)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);

            try (AvroDeserializer<RawWebhook> deserializer = new AvroDeserializer<>();
                 KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                         ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                         ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                         ConsumerConfig.GROUP_ID_CONFIG, "devstack-it"), new StringDeserializer(), new ByteArrayDeserializer())) {
                deserializer.configure(Map.of("schema.registry.url", stack.schemaRegistryUrl(), "specific.avro.reader", true), false);
                consumer.subscribe(List.of(Topics.WEBHOOKS_RAW.name()));
                List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (records.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                }
                assertThat(records).hasSize(1);
                assertThat(records.get(0).key()).isEqualTo("asc:webhookPingCreated:ping-1");
                RawWebhook raw = deserializer.deserialize(Topics.WEBHOOKS_RAW.name(), records.get(0).value());
                assertThat(raw.getBody().array()).isEqualTo(body);
                assertThat(raw.getAuthentication().getSecretId()).isEqualTo("env");
            }

            try (AvroDeserializer<DeliveryEvent> deserializer = new AvroDeserializer<>();
                 KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                         ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                         ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                         ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                         ConsumerConfig.GROUP_ID_CONFIG, "devstack-it-events"), new StringDeserializer(), new ByteArrayDeserializer())) {
                deserializer.configure(Map.of("schema.registry.url", stack.schemaRegistryUrl(), "specific.avro.reader", true), false);
                consumer.subscribe(List.of(Topics.EVENTS.name()));
                List<DeliveryEvent> events = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (events.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(record ->
                            events.add(deserializer.deserialize(Topics.EVENTS.name(), record.value())));
                }
                assertThat(events).singleElement().satisfies(event -> {
                    assertThat(event.getEventId()).isEqualTo("ping-1");
                    assertThat(event.getCategory()).isEqualTo(EventCategory.PING);
                    assertThat(event.getEntityKey()).isEqualTo("asc:webhookPingCreated:ping-1");
                });
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
