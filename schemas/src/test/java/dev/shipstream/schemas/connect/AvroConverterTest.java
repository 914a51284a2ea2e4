package dev.shipstream.schemas.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.util.List;
import java.util.Map;

import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.serde.AvroDeserializer;
import dev.shipstream.schemas.serde.AvroSerdeConfig;
import dev.shipstream.schemas.serde.AvroSerializer;
import dev.shipstream.schemas.serde.CompatibilityLevel;
import dev.shipstream.schemas.serde.InMemorySchemaRegistryClient;
import dev.shipstream.schemas.serde.RegisteredSchema;
import dev.shipstream.schemas.serde.SchemaRegistryClient;
import dev.shipstream.schemas.serde.SchemaRegistryClients;
import dev.shipstream.schemas.serde.SchemaRegistryException;
import dev.shipstream.schemas.serde.WireFormat;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.Test;

class AvroConverterTest {

    private static final String TOPIC = "shipstream.events";

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final AvroConverter converter = valueConverter(registry);

    @Test
    void readsWhatTheSerdeWroteAndWritesBackTheSameDeliveryEvent() {
        DeliveryEvent event = ContractFixtures.fullDeliveryEvent();
        byte[] written = new AvroSerializer<DeliveryEvent>(registry).serialize(TOPIC, event);

        SchemaAndValue connect = converter.toConnectData(TOPIC, written);
        Struct struct = (Struct) connect.value();
        assertThat(connect.schema().name()).isEqualTo("dev.shipstream.schemas.DeliveryEvent");
        assertThat(struct.getString("eventId")).isEqualTo(event.getEventId());
        assertThat(struct.get("occurredAt")).isEqualTo(java.util.Date.from(event.getOccurredAt()));
        assertThat(struct.getStruct("app").getString("name")).isEqualTo("Shipstream Demo");

        byte[] rewritten = converter.fromConnectData(TOPIC, connect.schema(), connect.value());
        assertThat(WireFormat.schemaId(rewritten)).isEqualTo(WireFormat.schemaId(written));
        assertThat(registry.versions(TOPIC + "-value")).containsExactly(1);
        AvroDeserializer<DeliveryEvent> reader = new AvroDeserializer<>(registry,
                Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true));
        assertThat(reader.deserialize(TOPIC, rewritten)).isEqualTo(event);
    }

    @Test
    void writesBackTheExactBytesItRead() {
        byte[] written = new AvroSerializer<DeliveryEvent>(registry)
                .serialize(TOPIC, ContractFixtures.minimalDeliveryEvent());
        SchemaAndValue connect = converter.toConnectData(TOPIC, written);
        assertThat(converter.fromConnectData(TOPIC, connect.schema(), connect.value())).isEqualTo(written);
    }

    @Test
    void convertsARawWebhookWithItsBody() {
        RawWebhook webhook = ContractFixtures.rawWebhook();
        byte[] written = new AvroSerializer<RawWebhook>(registry).serialize("shipstream.webhooks.raw", webhook);
        SchemaAndValue connect = converter.toConnectData("shipstream.webhooks.raw", written);
        assertThat(((Struct) connect.value()).getBytes("body")).isEqualTo(webhook.getBody().array());

        byte[] rewritten = converter.fromConnectData("shipstream.webhooks.raw", connect.schema(), connect.value());
        AvroDeserializer<RawWebhook> reader = new AvroDeserializer<>(registry,
                Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true));
        assertThat(reader.deserialize("shipstream.webhooks.raw", rewritten)).isEqualTo(webhook);
    }

    @Test
    void givesTheTopLevelSchemaItsVersionUnderTheTopicsSubject() {
        byte[] written = new AvroSerializer<DeliveryEvent>(registry)
                .serialize(TOPIC, ContractFixtures.minimalDeliveryEvent());
        assertThat(converter.toConnectData(TOPIC, written).schema().version()).isEqualTo(1);
        // A nested logical type keeps Connect's own version.
        assertThat(converter.toConnectData(TOPIC, written).schema().field("occurredAt").schema().version())
                .isEqualTo(Timestamp.SCHEMA.version());
    }

    @Test
    void leavesTheVersionUnsetForASchemaRegisteredUnderAnotherSubject() {
        byte[] written = new AvroSerializer<DeliveryEvent>(registry)
                .serialize("another.topic", ContractFixtures.minimalDeliveryEvent());
        SchemaAndValue connect = converter.toConnectData(TOPIC, written);
        assertThat(connect.schema().version()).isNull();
        assertThat(((Struct) connect.value()).getString("eventId")).isEqualTo("evt-min");
    }

    @Test
    void convertsPrimitiveKeysUnderTheKeySubject() {
        AvroConverter keys = new AvroConverter(registry);
        keys.configure(Map.of(), true);
        byte[] written = new AvroSerializer<String>(registry, Map.of(), true).serialize(TOPIC, "eas:build:b-1");

        SchemaAndValue key = keys.toConnectData(TOPIC, written);
        assertThat(key.schema().type()).isEqualTo(Schema.Type.STRING);
        assertThat(key.value()).isEqualTo("eas:build:b-1");
        assertThat(key.schema().version()).isEqualTo(1);
        assertThat(keys.fromConnectData(TOPIC, key.schema(), key.value())).isEqualTo(written);
        assertThat(registry.subjects()).containsExactly(TOPIC + "-key");
    }

    @Test
    void findsTheRegistryThroughTheMockUrl() {
        String scope = "avro-converter-test";
        try {
            byte[] written = new AvroSerializer<DeliveryEvent>(SchemaRegistryClients.mockScope(scope))
                    .serialize(TOPIC, ContractFixtures.minimalDeliveryEvent());
            AvroConverter configured = new AvroConverter();
            configured.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://" + scope), false);
            assertThat(((Struct) configured.toConnectData(TOPIC, written).value()).getString("eventId"))
                    .isEqualTo("evt-min");
            configured.close();
        } finally {
            SchemaRegistryClients.dropMockScope(scope);
        }
    }

    @Test
    void treatsNullsAsTombstones() {
        assertThat(converter.toConnectData(TOPIC, null)).isEqualTo(SchemaAndValue.NULL);
        assertThat(converter.fromConnectData(TOPIC, null, null)).isNull();
        Schema schema = converter.toConnectData(TOPIC, new AvroSerializer<DeliveryEvent>(registry)
                .serialize(TOPIC, ContractFixtures.minimalDeliveryEvent())).schema();
        assertThat(converter.fromConnectData(TOPIC, schema, null)).isNull();
    }

    @Test
    void rejectsBytesNotInTheWireFormat() {
        assertThatThrownBy(() -> converter.toConnectData(TOPIC, new byte[] {1, 2, 3, 4, 5, 6}))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(TOPIC)
                .hasCauseInstanceOf(SerializationException.class);
    }

    @Test
    void rejectsAnUnknownSchemaId() {
        assertThatThrownBy(() -> converter.toConnectData(TOPIC, new byte[] {0, 0, 0, 3, (byte) 0xe7, 2}))
                .isInstanceOf(DataException.class)
                .hasCauseInstanceOf(SerializationException.class);
    }

    @Test
    void rejectsATruncatedRecord() {
        byte[] written = new AvroSerializer<DeliveryEvent>(registry)
                .serialize(TOPIC, ContractFixtures.fullDeliveryEvent());
        byte[] truncated = java.util.Arrays.copyOf(written, written.length / 2);
        assertThatThrownBy(() -> converter.toConnectData(TOPIC, truncated))
                .isInstanceOf(DataException.class)
                .hasCauseInstanceOf(SerializationException.class);
    }

    @Test
    void rejectsARecordDeclaringAStringLongerThanItselfWithoutAllocatingIt() {
        String raw = "shipstream.webhooks.raw";
        byte[] valid = new AvroSerializer<RawWebhook>(registry).serialize(raw, ContractFixtures.rawWebhook());
        converter.toConnectData(raw, valid); // caches the schema before measuring
        // The header, source symbol 0, then an endpointId whose length varint says 2,000,000,000: 14 bytes.
        byte[] poison = java.nio.ByteBuffer.allocate(14).put(WireFormat.header(WireFormat.schemaId(valid)))
                .put(new byte[] {0, (byte) 0x80, (byte) 0xd0, (byte) 0xac, (byte) 0xf3, 0x0e, 'a', 'b', 'c'}).array();

        long before = allocatedBytes();
        assertThatThrownBy(() -> converter.toConnectData(raw, poison))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("declares a length of 2000000000 bytes")
                .hasCauseInstanceOf(SerializationException.class);
        assertThat(allocatedBytes() - before).isLessThan(1024 * 1024);
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    @Test
    void rejectsAStructWhoseSchemaTheSubjectCannotAccept() {
        new AvroSerializer<DeliveryEvent>(registry).serialize(TOPIC, ContractFixtures.minimalDeliveryEvent());
        registry.setCompatibility(TOPIC + "-value", CompatibilityLevel.FULL);
        Schema unrelated = SchemaBuilder.struct().name("dev.shipstream.schemas.DeliveryEvent")
                .field("only", Schema.STRING_SCHEMA).build();
        assertThatThrownBy(() -> converter.fromConnectData(TOPIC, unrelated, new Struct(unrelated).put("only", "x")))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(TOPIC)
                .hasCauseInstanceOf(SerializationException.class);
    }

    @Test
    void rejectsAValueThatDoesNotMatchItsSchema() {
        assertThatThrownBy(() -> converter.fromConnectData(TOPIC, Schema.INT32_SCHEMA, "not a number"))
                .isInstanceOf(DataException.class);
    }

    @Test
    void reportsAnUnreachableRegistryAsRetriable() {
        byte[] written = new AvroSerializer<DeliveryEvent>(registry)
                .serialize(TOPIC, ContractFixtures.minimalDeliveryEvent());
        Schema schema = converter.toConnectData(TOPIC, written).schema();
        Struct value = (Struct) converter.toConnectData(TOPIC, written).value();

        AvroConverter offline = valueConverter(new UnreachableRegistry());
        assertThatThrownBy(() -> offline.toConnectData(TOPIC, written))
                .isInstanceOf(RetriableException.class)
                .hasMessageContaining("unavailable");
        assertThatThrownBy(() -> offline.fromConnectData(TOPIC, schema, value))
                .isInstanceOf(RetriableException.class)
                .hasRootCauseInstanceOf(ConnectException.class);
    }

    @Test
    void refusesToWorkUnconfigured() {
        assertThatThrownBy(() -> new AvroConverter(registry).toConnectData(TOPIC, new byte[] {0}))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void describesItsConfiguration() {
        assertThat(converter.config().names()).contains(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG,
                AvroConverter.SCHEMAS_CACHE_SIZE_CONFIG, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG);
        assertThat(converter.version()).isNotBlank();
    }

    private static AvroConverter valueConverter(SchemaRegistryClient client) {
        AvroConverter converter = new AvroConverter(client);
        converter.configure(Map.of(), false);
        return converter;
    }

    /** A registry that cannot be reached: every call fails as the HTTP client fails on a refused connection. */
    private static final class UnreachableRegistry implements SchemaRegistryClient {

        private static SchemaRegistryException refused() {
            return new SchemaRegistryException("Connection refused", new ConnectException("Connection refused"));
        }

        @Override
        public int register(String subject, String schema) {
            throw refused();
        }

        @Override
        public RegisteredSchema lookup(String subject, String schema) {
            throw refused();
        }

        @Override
        public String schemaById(int id) {
            throw refused();
        }

        @Override
        public RegisteredSchema latest(String subject) {
            throw refused();
        }

        @Override
        public RegisteredSchema version(String subject, int version) {
            throw refused();
        }

        @Override
        public List<Integer> versions(String subject) {
            throw refused();
        }

        @Override
        public List<String> subjects() {
            throw refused();
        }

        @Override
        public boolean isCompatible(String subject, String schema) {
            throw refused();
        }

        @Override
        public CompatibilityLevel compatibility(String subject) {
            throw refused();
        }

        @Override
        public void setCompatibility(String subject, CompatibilityLevel level) {
            throw refused();
        }

        @Override
        public CompatibilityLevel globalCompatibility() {
            throw refused();
        }

        @Override
        public void setGlobalCompatibility(CompatibilityLevel level) {
            throw refused();
        }

        @Override
        public void close() {
        }
    }
}
