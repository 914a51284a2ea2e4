package dev.shipstream.ingress.publish;

import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.serde.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Encodes a {@link RawWebhook} in the Confluent wire format (magic byte 0, the big-endian schema id, the Avro binary
 * datum), byte for byte as {@code AvroSerializer} does, but with a schema id the caller already holds. It never talks
 * to a schema registry, so it is safe on an event loop; the id comes from {@link SchemaRegistration}, which asks the
 * registry off the event loop. Pure and thread-safe.
 */
public final class RawWebhookEncoder {

    private static final int INITIAL_BUFFER_BYTES = 1024;
    private static final DatumWriter<RawWebhook> WRITER =
            new SpecificDatumWriter<>(RawWebhook.getClassSchema(), SpecificData.getForClass(RawWebhook.class));
    private static final ThreadLocal<BinaryEncoder> ENCODER = new ThreadLocal<>();

    private RawWebhookEncoder() {
    }

    /** The record's value bytes under {@code schemaId}. */
    public static byte[] encode(int schemaId, RawWebhook record) {
        int bodyBytes = record.getBody() == null ? 0 : record.getBody().remaining();
        ByteArrayOutputStream out = new ByteArrayOutputStream(INITIAL_BUFFER_BYTES + bodyBytes);
        WireFormat.writeHeader(out, schemaId);
        try {
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, ENCODER.get());
            ENCODER.set(encoder);
            WRITER.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("a ByteArrayOutputStream does not fail", e);
        }
        return out.toByteArray();
    }
}
