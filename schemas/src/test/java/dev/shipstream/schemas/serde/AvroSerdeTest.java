package dev.shipstream.schemas.serde;

import static dev.shipstream.schemas.serde.TestSchemas.PING_V1;
import static dev.shipstream.schemas.serde.TestSchemas.PING_V2_OPTIONAL_NOTE;
import static dev.shipstream.schemas.serde.TestSchemas.PING_V2_REQUIRED_HOST;
import static dev.shipstream.schemas.serde.TestSchemas.ping;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shipstream.schemas.DeadLetter;
import dev.shipstream.schemas.DeadLetterReason;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private static final String TOPIC = "shipstream.test";
    private static final Map<String, Object> SPECIFIC = Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true);
    private static final Map<String, Object> LOOKUP_ONLY = Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false);
    private static final Map<String, Object> USE_LATEST = Map.of(
            AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false,
            AvroSerdeConfig.USE_LATEST_VERSION_CONFIG, true);

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setTopic("shipstream.webhooks.raw")
                .setPartition(2)
                .setOffset(1_234_567L)
                .setKey(ByteBuffer.wrap("asc:builds:42".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .setReason(DeadLetterReason.SCHEMA_VIOLATION)
                .setMessage("missing field data.id")
                .setExceptionClass("java.lang.IllegalArgumentException")
                .setFailedAt(Instant.parse("2025-03-01T12:00:00.123Z"))
                .setApplication(null)
                .setOriginalValue(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .build();
    }

    private <T> byte[] write(T value, Map<String, ?> configs, boolean isKey) {
        try (AvroSerializer<T> serializer = new AvroSerializer<>(registry, configs, isKey)) {
            return serializer.serialize(TOPIC, value);
        }
    }

    private <T> T read(byte[] bytes, Map<String, ?> configs) {
        try (AvroDeserializer<T> deserializer = new AvroDeserializer<>(registry, configs)) {
            return deserializer.deserialize(TOPIC, bytes);
        }
    }

    private Object readObject(byte[] bytes, Map<String, ?> configs) {
        return read(bytes, configs);
    }

    @Test
    void roundTripsAGeneratedRecordThroughTheSpecificReader() {
        DeadLetter read = read(write(deadLetter(), Map.of(), false), SPECIFIC);

        assertThat(read).isEqualTo(deadLetter());
    }

    @Test
    void roundTripsAGenericRecordThroughTheGenericReader() {
        GenericRecord written = ping(PING_V1, "p-1", 3);

        GenericRecord read = read(write(written, Map.of(), false), Map.of());

        assertThat(read).isEqualTo(written);
        assertThat(read.getSchema()).isEqualTo(written.getSchema());
    }

    @Test
    void readsAGeneratedRecordAsAGenericRecordWithTheWritersSchema() {
        GenericRecord read = read(write(deadLetter(), Map.of(), false), Map.of());

        assertThat(read).isNotInstanceOf(DeadLetter.class);
        assertThat(read.getSchema()).isEqualTo(DeadLetter.getClassSchema());
        assertThat(read.get("topic")).hasToString("shipstream.webhooks.raw");
        assertThat(read.get("failedAt")).isEqualTo(Instant.parse("2025-03-01T12:00:00.123Z").toEpochMilli());
        assertThat(read.get("reason")).hasToString("SCHEMA_VIOLATION");
    }

    @Test
    void readsAGenericRecordIntoItsGeneratedClass() {
        GenericRecord generic = new GenericData.Record(DeadLetter.getClassSchema());
        DeadLetter expected = deadLetter();
        for (Schema.Field field : DeadLetter.getClassSchema().getFields()) {
            generic.put(field.name(), expected.get(field.pos()));
        }
        generic.put("reason", new GenericData.EnumSymbol(DeadLetterReason.getClassSchema(), "SCHEMA_VIOLATION"));
        generic.put("failedAt", expected.getFailedAt().toEpochMilli());

        DeadLetter read = read(write(generic, Map.of(), false), SPECIFIC);

        assertThat(read).isEqualTo(expected);
    }

    @Test
    void resolvesAnOlderWritersRecordAgainstTheGeneratedClass() {
        Schema full = DeadLetter.getClassSchema();
        List<Schema.Field> olderFields = new ArrayList<>();
        for (Schema.Field field : full.getFields()) {
            if (!field.name().equals("application") && !field.name().equals("originalValue")) {
                olderFields.add(new Schema.Field(field, field.schema()));
            }
        }
        Schema older = Schema.createRecord(full.getName(), full.getDoc(), full.getNamespace(), false, olderFields);
        GenericRecord old = new GenericData.Record(older);
        old.put("topic", "t");
        old.put("partition", 0);
        old.put("offset", 1L);
        old.put("reason", new GenericData.EnumSymbol(DeadLetterReason.getClassSchema(), "OTHER"));
        old.put("message", "m");
        old.put("failedAt", 5L);

        DeadLetter read = read(write(old, Map.of(), false), SPECIFIC);

        assertThat(read.getTopic()).isEqualTo("t");
        assertThat(read.getFailedAt()).isEqualTo(Instant.ofEpochMilli(5));
        assertThat(read.getApplication()).isNull();
        assertThat(read.getOriginalValue()).isNull();
    }

    @Test
    void failsTheSpecificReaderWhenNoGeneratedClassExists() {
        byte[] bytes = write(ping(PING_V1, "p", 1), Map.of(), false);

        assertThatThrownBy(() -> read(bytes, SPECIFIC))
                .isInstanceOf(SerializationException.class)
                .hasMessage("specific.avro.reader is true but no generated class dev.shipstream.test.Ping (named by "
                        + "schema id 1 of a value from topic 'shipstream.test') is on the classpath");
    }

    @Test
    void registersKeysAndValuesUnderTheirTopicNameStrategySubjects() {
        byte[] key = write(ping(PING_V1, "k", 1), Map.of(), true);
        byte[] value = write(deadLetter(), Map.of(), false);

        assertThat(registry.subjects()).containsExactly(TOPIC + "-key", TOPIC + "-value");
        assertThat(WireFormat.schemaId(key)).isEqualTo(registry.latest(TOPIC + "-key").id());
        assertThat(WireFormat.schemaId(value)).isEqualTo(registry.latest(TOPIC + "-value").id());
    }

    @Test
    void failsClearlyWhenAutoRegisterIsOffAndTheSchemaIsNotRegistered() {
        assertThatThrownBy(() -> write(ping(PING_V1, "p", 1), LOOKUP_ONLY, false))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("Schema dev.shipstream.test.Ping is not registered under subject "
                        + "'shipstream.test-value' (topic 'shipstream.test'), and auto.register.schemas is false: "
                        + "register it first, or set use.latest.version to write with the latest registered schema.")
                .hasMessageContaining("Subject 'shipstream.test-value' not found.");
        assertThat(registry.subjects()).isEmpty();
    }

    @Test
    void usesTheRegisteredIdWhenAutoRegisterIsOff() {
        registry.register(TOPIC + "-value", PING_V1);
        int id = registry.register(TOPIC + "-value", PING_V2_OPTIONAL_NOTE);

        byte[] bytes = write(ping(PING_V2_OPTIONAL_NOTE, "p", 1), LOOKUP_ONLY, false);

        assertThat(WireFormat.schemaId(bytes)).isEqualTo(id);
        assertThat(registry.versions(TOPIC + "-value")).containsExactly(1, 2);
    }

    @Test
    void writesWithTheLatestVersionWhenAsked() {
        registry.register(TOPIC + "-value", PING_V1);
        int latest = registry.register(TOPIC + "-value", PING_V2_OPTIONAL_NOTE);

        byte[] bytes = write(ping(PING_V1, "p-7", 7), USE_LATEST, false);

        assertThat(WireFormat.schemaId(bytes)).isEqualTo(latest);
        GenericRecord read = read(bytes, Map.of());
        assertThat(read.getSchema()).isEqualTo(TestSchemas.parse(PING_V2_OPTIONAL_NOTE));
        assertThat(read.get("id")).hasToString("p-7");
        assertThat(read.get("count")).isEqualTo(7);
        assertThat(read.get("note")).isNull();
    }

    @Test
    void refusesTheLatestVersionWhenItCannotReadTheRecord() {
        registry.setCompatibility(TOPIC + "-value", CompatibilityLevel.NONE);
        registry.register(TOPIC + "-value", PING_V1);
        registry.register(TOPIC + "-value", PING_V2_REQUIRED_HOST);

        assertThatThrownBy(() -> write(ping(PING_V1, "p", 1), USE_LATEST, false))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("With use.latest.version the latest schema of subject 'shipstream.test-value' "
                        + "(version 2, id 2) must be able to read records of schema dev.shipstream.test.Ping for "
                        + "topic 'shipstream.test', but ")
                .hasMessageContaining("host");
    }

    @Test
    void namesTheSubjectWhenRegistrationIsRefused() {
        registry.register(TOPIC + "-value", PING_V1);

        assertThatThrownBy(() -> write(ping(PING_V2_REQUIRED_HOST, "p", 1), Map.of(), false))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("Could not register the value schema dev.shipstream.test.Ping under subject "
                        + "'shipstream.test-value' for topic 'shipstream.test': Schema being registered is "
                        + "incompatible with an earlier schema")
                .hasCauseInstanceOf(SchemaRegistryException.class);
    }

    @Test
    void rejectsAWrongMagicByte() {
        byte[] bytes = write(deadLetter(), Map.of(), false);
        bytes[0] = 0x7B;

        assertThatThrownBy(() -> read(bytes, SPECIFIC))
                .isInstanceOf(SerializationException.class)
                .hasMessage("Unknown magic byte! Expected 0x00 but found 0x7b at the start of a " + bytes.length
                        + "-byte payload (value from topic 'shipstream.test'); it was not written in the Confluent "
                        + "wire format");
    }

    @Test
    void rejectsAPayloadShorterThanTheHeader() {
        assertThatThrownBy(() -> read(new byte[] {0, 0, 0}, Map.of()))
                .isInstanceOf(SerializationException.class)
                .hasMessage("Payload of 3 bytes (value from topic 'shipstream.test') is too short for the Confluent "
                        + "wire format, whose header alone takes 5 bytes");
    }

    @Test
    void saysWhenTheSchemaIdIsNotInTheRegistry() {
        byte[] bytes = {0, 0, 0, 0, 99, 2, 0x61};

        assertThatThrownBy(() -> read(bytes, Map.of()))
                .isInstanceOf(SerializationException.class)
                .hasMessage("Schema id 99 of a value from topic 'shipstream.test' was not found in the schema "
                        + "registry: Schema 99 not found");
    }

    @Test
    void saysWhenTheBytesDoNotDecode() {
        byte[] bytes = write(ping(PING_V1, "p", 1), Map.of(), false);
        byte[] truncated = java.util.Arrays.copyOf(bytes, 6);

        assertThatThrownBy(() -> read(truncated, Map.of()))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("Could not decode the Avro dev.shipstream.test.Ping in a value from topic "
                        + "'shipstream.test' written with schema id 1: ");
    }

    @Test
    void mapsNullToNullAndEmptyToNull() {
        assertThat(write(null, Map.of(), false)).isNull();
        assertThat(readObject(null, Map.of())).isNull();
        assertThat(readObject(new byte[0], Map.of())).isNull();
        assertThat(registry.subjects()).isEmpty();
    }

    @Test
    void roundTripsPrimitivesAsConfluentDoes() {
        registry.setGlobalCompatibility(CompatibilityLevel.NONE);
        assertThat(readObject(write("héllo", Map.of(), false), Map.of())).isEqualTo("héllo");
        assertThat(readObject(write(42, Map.of(), true), Map.of())).isEqualTo(42);
        assertThat(readObject(write(42L, Map.of(), true), Map.of())).isEqualTo(42L);
        assertThat(readObject(write(1.5f, Map.of(), true), Map.of())).isEqualTo(1.5f);
        assertThat(readObject(write(2.5d, Map.of(), true), Map.of())).isEqualTo(2.5d);
        assertThat(readObject(write(true, Map.of(), true), Map.of())).isEqualTo(true);
        assertThat(readObject(write("s", Map.of(), false), SPECIFIC)).isEqualTo("s");
    }

    @Test
    void writesATopLevelByteArrayRawAsConfluentDoes() {
        byte[] bytes = write(new byte[] {9, 8, 7}, Map.of(), false);

        assertThat(bytes).containsExactly(0, 0, 0, 0, 1, 9, 8, 7);
        assertThat((byte[]) read(bytes, Map.of())).containsExactly(9, 8, 7);
    }

    @Test
    void refusesTypesAvroCannotWrite() {
        assertThatThrownBy(() -> write(new Date(), Map.of(), false))
                .isInstanceOf(SerializationException.class)
                .hasMessage("AvroSerializer cannot serialize a java.util.Date for topic 'shipstream.test': expected a "
                        + "SpecificRecord, GenericRecord or other GenericContainer, or a String, Integer, Long, Float, "
                        + "Double, Boolean or byte[]");
    }

    @Test
    void saysWhenARecordDoesNotMatchItsSchema() {
        GenericRecord incomplete = new GenericData.Record(TestSchemas.parse(PING_V1));
        incomplete.put("id", "p");

        assertThatThrownBy(() -> write(incomplete, Map.of(), false))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("Could not write a dev.shipstream.test.Ping value for topic 'shipstream.test' "
                        + "(subject 'shipstream.test-value', schema id 1): the data does not match its schema: ");
    }

    @Test
    void mustBeConfiguredBeforeUseWithoutAClient() {
        try (AvroSerializer<Object> serializer = new AvroSerializer<>();
             AvroDeserializer<Object> deserializer = new AvroDeserializer<>()) {
            assertThatThrownBy(() -> serializer.serialize(TOPIC, "x"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("AvroSerializer is not configured: call configure(configs, isKey) or construct it "
                            + "with a SchemaRegistryClient");
            assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {0, 0, 0, 0, 1}))
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> new AvroSerde<>().serializer()).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void sharesAMockScopeBetweenSerdesConfiguredByKafka() {
        Map<String, Object> configs = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://serde-test",
                AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, "true");
        try (AvroSerializer<DeadLetter> serializer = new AvroSerializer<>();
             AvroSerde<DeadLetter> serde = new AvroSerde<>()) {
            serializer.configure(configs, false);
            serde.configure(configs, false);

            byte[] bytes = serializer.serialize(TOPIC, deadLetter());

            assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(deadLetter());
            assertThat(serde.serializer().serialize(TOPIC, deadLetter())).isEqualTo(bytes);
            assertThat(SchemaRegistryClients.mockScope("serde-test").subjects()).containsExactly(TOPIC + "-value");
        } finally {
            SchemaRegistryClients.dropMockScope("serde-test");
        }
    }

    @Test
    void buildsASpecificSerdeForStreams() {
        try (AvroSerde<DeadLetter> serde = AvroSerde.specific(registry, Map.of(), true)) {
            byte[] bytes = serde.serializer().serialize(TOPIC, deadLetter());

            assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(deadLetter());
            assertThat(registry.subjects()).containsExactly(TOPIC + "-key");
        }
    }

    @Test
    void asksTheRegistryOncePerSchemaNotPerRecord() {
        CountingRegistry counting = new CountingRegistry(registry);
        try (AvroSerializer<DeadLetter> serializer = new AvroSerializer<>(counting);
             AvroDeserializer<DeadLetter> deserializer = new AvroDeserializer<>(counting, SPECIFIC)) {
            for (int i = 0; i < 20; i++) {
                deserializer.deserialize(TOPIC, serializer.serialize(TOPIC, deadLetter()));
            }
        }

        assertThat(counting.calls("register")).isEqualTo(1);
        assertThat(counting.calls("schemaById")).isEqualTo(1);
    }

    @Test
    void leavesAClientItWasGivenOpenAndClosesOneItBuilt() {
        CountingRegistry counting = new CountingRegistry(registry);
        new AvroSerializer<>(counting).close();
        new AvroDeserializer<>(counting).close();
        new AvroSerde<>(counting).close();

        assertThat(counting.calls("close")).isZero();
    }
}
