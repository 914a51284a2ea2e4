package dev.shipstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shipstream.schemas.RawWebhook;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * A record cannot make the deserializer allocate more than its own length justifies, nor recurse without bound:
 * such records are {@link SerializationException}s (which Kafka Streams and Connect dead-letter), not
 * {@link OutOfMemoryError}s or {@link StackOverflowError}s that kill the consuming thread.
 */
class AvroDeserializerBoundsTest {

    private static final String TOPIC = "shipstream.webhooks.raw";
    private static final Map<String, Object> SPECIFIC = Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true);
    private static final long ONE_MIB = 1024 * 1024;
    private static final Schema LINKED_LIST = TestSchemas.parse("""
            {"type": "record", "name": "Node", "namespace": "dev.shipstream.test", "fields": [
              {"name": "next", "type": ["null", "Node"]}]}""");
    private static final Schema RECORDS = TestSchemas.parse("""
            {"type": "record", "name": "Batch", "namespace": "dev.shipstream.test", "fields": [
              {"name": "items", "type": {"type": "array", "items":
                {"type": "record", "name": "Item", "fields": [{"name": "id", "type": "string"}]}}}]}""");
    private static final Schema NULLS = TestSchemas.parse("""
            {"type": "record", "name": "Nulls", "namespace": "dev.shipstream.test", "fields": [
              {"name": "nulls", "type": {"type": "array", "items": "null"}}]}""");

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    /** The 14-byte record of the incident: a RawWebhook whose endpointId declares 2,000,000,000 bytes. */
    static byte[] poisonRawWebhook(int schemaId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WireFormat.writeHeader(out, schemaId);
        out.write(0); // source: the first symbol
        writeVarint(out, 2_000_000_000L); // endpointId's length
        out.writeBytes(new byte[] {'a', 'b', 'c'});
        return out.toByteArray();
    }

    @Test
    void aStringDeclaringMoreBytesThanTheRecordHasIsRefusedWithoutAllocatingIt() {
        int id = registry.register(TOPIC + "-value", RawWebhook.getClassSchema().toString());
        byte[] poison = poisonRawWebhook(id);
        assertThat(poison).hasSize(14);

        try (AvroDeserializer<RawWebhook> deserializer = new AvroDeserializer<>(registry, SPECIFIC)) {
            assertThatThrownBy(() -> deserializer.deserialize(TOPIC, poison))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("value from topic '" + TOPIC + "'")
                    .hasMessageContaining("schema id " + id)
                    .hasMessageContaining("declares a length of 2000000000 bytes");
            // Measured the second time, once the writer schema and the reader are cached.
            long before = allocatedBytes();
            assertThatThrownBy(() -> deserializer.deserialize(TOPIC, poison))
                    .isInstanceOf(SerializationException.class);
            assertThat(allocatedBytes() - before).isLessThan(ONE_MIB);
        }
    }

    @Test
    void anArrayDeclaringMoreItemsThanTheRecordHasBytesIsRefused() {
        int id = registry.register("batches-value", RECORDS.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WireFormat.writeHeader(out, id);
        writeVarint(out, 2_000_000_000L);
        out.writeBytes(new byte[] {2, 'x', 0});

        long before = allocatedBytes();
        assertThatThrownBy(() -> read("batches", out.toByteArray()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("a block declares 2000000000 items");
        assertThat(allocatedBytes() - before).isLessThan(ONE_MIB);
    }

    @Test
    void itemsThatTakeNoBytesAreBoundedByTheRecordLength() {
        int id = registry.register("nulls-value", NULLS.toString());
        byte[] fewNulls = datum(id, 100, 0);
        byte[] billionNulls = datum(id, 1_000_000_000L, 0);

        GenericRecord read = read("nulls", fewNulls);
        assertThat((Iterable<?>) read.get("nulls")).hasSize(100);
        assertThatThrownBy(() -> read("nulls", billionNulls))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("items that take no bytes");
    }

    @Test
    void aDatumNestedDeeperThanTheLimitIsRefusedInsteadOfOverflowingTheStack() {
        int id = registry.register("lists-value", LINKED_LIST.toString());

        assertThat(read("lists", linkedList(id, 20))).isNotNull();
        assertThatThrownBy(() -> read("lists", linkedList(id, 100_000)))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("nested deeper than " + AvroSerdeConfig.MAX_NESTING_DEPTH_DEFAULT + " levels");
    }

    @Test
    void theNestingLimitIsConfigurable() {
        int id = registry.register("lists-value", LINKED_LIST.toString());
        byte[] tenDeep = linkedList(id, 10);

        try (AvroDeserializer<GenericRecord> deserializer = new AvroDeserializer<>(registry,
                Map.of(AvroSerdeConfig.MAX_NESTING_DEPTH_CONFIG, 8))) {
            assertThatThrownBy(() -> deserializer.deserialize("lists", tenDeep))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("nested deeper than 8 levels");
        }
    }

    private GenericRecord read(String topic, byte[] bytes) {
        try (AvroDeserializer<GenericRecord> deserializer = new AvroDeserializer<>(registry)) {
            return deserializer.deserialize(topic, bytes);
        }
    }

    /** A linked list of {@code nodes} nodes: each but the last says "union branch 1, another node". */
    private static byte[] linkedList(int id, int nodes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WireFormat.writeHeader(out, id);
        for (int i = 1; i < nodes; i++) {
            writeVarint(out, 1);
        }
        writeVarint(out, 0);
        return out.toByteArray();
    }

    private static byte[] datum(int id, long... varints) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WireFormat.writeHeader(out, id);
        for (long value : varints) {
            writeVarint(out, value);
        }
        return out.toByteArray();
    }

    /** Writes a zig-zag varint, as Avro encodes ints and longs. */
    static void writeVarint(ByteArrayOutputStream out, long value) {
        long raw = (value << 1) ^ (value >> 63);
        while ((raw & ~0x7FL) != 0) {
            out.write((int) ((raw & 0x7F) | 0x80));
            raw >>>= 7;
        }
        out.write((int) raw);
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
