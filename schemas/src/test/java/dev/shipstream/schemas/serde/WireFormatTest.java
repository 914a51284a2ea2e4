package dev.shipstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    @Test
    void writesMagicByteThenTheIdBigEndian() {
        assertThat(WireFormat.header(1)).containsExactly(0, 0, 0, 0, 1);
        assertThat(WireFormat.header(0x01020304)).containsExactly(0, 1, 2, 3, 4);
        assertThat(WireFormat.header(-1)).containsExactly(0, 0xFF, 0xFF, 0xFF, 0xFF);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WireFormat.writeHeader(out, 258);
        assertThat(out.toByteArray()).containsExactly(0, 0, 0, 1, 2);
    }

    @Test
    void readsTheIdAndLeavesTheBufferAtTheDatum() {
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {0, 0, 0, 1, 2, 42});

        assertThat(WireFormat.readSchemaId(buffer, "test")).isEqualTo(258);
        assertThat(buffer.position()).isEqualTo(WireFormat.HEADER_SIZE);
        assertThat(buffer.get()).isEqualTo((byte) 42);
        assertThat(WireFormat.schemaId(WireFormat.header(Integer.MAX_VALUE))).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void rejectsAnUnknownMagicByte() {
        assertThatThrownBy(() -> WireFormat.schemaId(new byte[] {1, 0, 0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessage("Unknown magic byte! Expected 0x00 but found 0x01 at the start of a 5-byte payload "
                        + "(payload); it was not written in the Confluent wire format");
    }

    @Test
    void rejectsATruncatedHeader() {
        assertThatThrownBy(() -> WireFormat.readSchemaId(ByteBuffer.wrap(new byte[] {0, 0}), "key from topic 't'"))
                .isInstanceOf(SerializationException.class)
                .hasMessage("Payload of 2 bytes (key from topic 't') is too short for the Confluent wire format, "
                        + "whose header alone takes 5 bytes");
    }
}
