package dev.shipstream.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format: one magic byte {@code 0}, the schema's global registry id as a 4-byte big-endian
 * int, then the payload (for Avro, the datum in Avro binary encoding, without any container-file header).
 *
 * <pre>
 * offset 0      1            5
 *        +------+------------+---------------------------+
 *        | 0x00 | schema id  | Avro binary datum ...     |
 *        +------+------------+---------------------------+
 * </pre>
 *
 * This is the layout Confluent's serializers write and read, so records written here are read by any Confluent
 * consumer unchanged and vice versa.
 */
public final class WireFormat {

    /** The first byte of every record in the Confluent wire format. */
    public static final byte MAGIC_BYTE = 0x0;
    /** Bytes taken by the schema id. */
    public static final int ID_SIZE = 4;
    /** Bytes before the payload: magic byte and schema id. */
    public static final int HEADER_SIZE = 1 + ID_SIZE;

    private WireFormat() {
    }

    /** The 5-byte header for a record written with the schema of this id. */
    public static byte[] header(int schemaId) {
        return ByteBuffer.allocate(HEADER_SIZE).put(MAGIC_BYTE).putInt(schemaId).array();
    }

    /** Writes the 5-byte header for a record written with the schema of this id. */
    public static void writeHeader(ByteArrayOutputStream out, int schemaId) {
        out.writeBytes(header(schemaId));
    }

    /** The schema id in the header of this payload. */
    public static int schemaId(byte[] payload) {
        return readSchemaId(ByteBuffer.wrap(payload), "payload");
    }

    /**
     * Reads the header at the buffer's position, leaving the position at the start of the Avro datum.
     *
     * @param context what the bytes are (e.g. {@code "record from topic 'x'"}), for error messages
     * @return the schema id
     * @throws SerializationException if the bytes are too short for a header or do not start with the magic byte
     */
    public static int readSchemaId(ByteBuffer buffer, String context) {
        int length = buffer.remaining();
        if (length < HEADER_SIZE) {
            throw new SerializationException("Payload of " + length + " bytes (" + context + ") is too short for the "
                    + "Confluent wire format, whose header alone takes " + HEADER_SIZE + " bytes");
        }
        byte magic = buffer.get();
        if (magic != MAGIC_BYTE) {
            throw new SerializationException(String.format(
                    "Unknown magic byte! Expected 0x00 but found 0x%02x at the start of a %d-byte payload (%s); "
                            + "it was not written in the Confluent wire format", magic, length, context));
        }
        return buffer.getInt();
    }
}
