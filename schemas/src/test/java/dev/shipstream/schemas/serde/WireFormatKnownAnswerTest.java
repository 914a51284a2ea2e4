package dev.shipstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipstream.schemas.DeadLetter;
import dev.shipstream.schemas.DeadLetterReason;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pins the bytes the serializer writes for one fixed record, worked out by hand from the Confluent wire format and
 * the Avro 1.x binary encoding spec, so that any change in what goes on the wire fails here, not in a consumer.
 *
 * <p>Avro binary, as used below: int and long are zig-zag encoded ({@code (n << 1) ^ (n >> 63)}) then written as
 * a little-endian base-128 varint (7 bits per byte, high bit set on every byte but the last); a string or bytes is
 * its length as a long, then the bytes; a union is the branch index as an int, then the value; an enum is the
 * symbol's index as an int; null is nothing; a record is its fields in schema order.
 */
class WireFormatKnownAnswerTest {

    private static final String TOPIC = "shipstream.deadletter";

    private static DeadLetter fixedRecord() {
        return DeadLetter.newBuilder()
                .setTopic("t")
                .setPartition(3)
                .setOffset(300L)
                .setKey(ByteBuffer.wrap(new byte[] {0x6B}))
                .setReason(DeadLetterReason.UNPARSEABLE_PAYLOAD)
                .setMessage("bad")
                .setExceptionClass(null)
                .setFailedAt(Instant.ofEpochMilli(1000L))
                .setApplication("app")
                .setOriginalValue(ByteBuffer.wrap(new byte[0]))
                .setRequestId("r1")
                .build();
    }

    private static final byte[] EXPECTED = bytes(
            0x00,                   // magic byte
            0x00, 0x00, 0x00, 0x01, // schema id 1, big-endian int
            // topic: string "t"
            0x02,                   //   length 1, zig-zag 2
            0x74,                   //   't'
            // partition: int 3
            0x06,                   //   zig-zag 6
            // offset: long 300
            0xD8, 0x04,             //   zig-zag 600 = 0b100_1011000: 0x58 | 0x80 (more follows), then 0x04
            // key: union ["null", "bytes"], bytes {0x6B}
            0x02,                   //   branch 1 ("bytes"), zig-zag 2
            0x02,                   //   length 1, zig-zag 2
            0x6B,                   //   the byte
            // reason: enum DeadLetterReason, UNPARSEABLE_PAYLOAD is symbol 1
            0x02,                   //   zig-zag 2
            // message: string "bad"
            0x06,                   //   length 3, zig-zag 6
            0x62, 0x61, 0x64,       //   'b' 'a' 'd'
            // exceptionClass: union ["null", "string"], null
            0x00,                   //   branch 0 ("null"), no value follows
            // failedAt: long (timestamp-millis) 1000
            0xD0, 0x0F,             //   zig-zag 2000 = 15 * 128 + 80: 0x50 | 0x80, then 0x0F
            // application: union ["null", "string"], "app"
            0x02,                   //   branch 1 ("string")
            0x06,                   //   length 3, zig-zag 6
            0x61, 0x70, 0x70,       //   'a' 'p' 'p'
            // originalValue: union ["null", "bytes"], empty bytes
            0x02,                   //   branch 1 ("bytes")
            0x00,                   //   length 0
            // requestId: union ["null", "string"], "r1" (DeadLetter v3)
            0x02,                   //   branch 1 ("string")
            0x04,                   //   length 2, zig-zag 4
            0x72, 0x31              //   'r' '1'
    );

    @Test
    void writesTheConfluentWireFormatByteForByte() {
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        try (AvroSerializer<DeadLetter> serializer = new AvroSerializer<>(registry)) {
            byte[] written = serializer.serialize(TOPIC, fixedRecord());

            assertThat(registry.latest(TOPIC + "-value").id()).isEqualTo(1);
            assertThat(written).containsExactly(EXPECTED);
        }
    }

    @Test
    void readsTheHandWrittenBytesIntoTheGeneratedClass() {
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        assertThat(registry.register(TOPIC + "-value", DeadLetter.getClassSchema().toString())).isEqualTo(1);
        try (AvroDeserializer<DeadLetter> deserializer = new AvroDeserializer<>(registry,
                Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true))) {
            DeadLetter read = deserializer.deserialize(TOPIC, EXPECTED);

            assertThat(read).isEqualTo(fixedRecord());
            assertThat(read.getFailedAt()).isEqualTo(Instant.ofEpochMilli(1000L));
            assertThat(read.getExceptionClass()).isNull();
        }
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}
