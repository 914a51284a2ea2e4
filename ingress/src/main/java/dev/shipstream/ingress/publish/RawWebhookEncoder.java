package dev.shipstream.ingress.publish;

import dev.shipstream.schemas.Authentication;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.serde.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
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
 *
 * <p>The datum is written field by field in schema order with Avro's own {@link BinaryEncoder} primitives, not by
 * {@link SpecificDatumWriter}, whose walk over the schema (field lookups, union resolution, the timestamp conversion)
 * was about a seventh of the event loop's time in the benchmark's profile. The direct writer is used only for the
 * schema it was written for ({@link #DIRECT_FINGERPRINT}, checked once at class load); for any other schema the
 * generic writer is, so a schema change can make encoding slower but never wrong. {@code RawWebhookEncoderTest}
 * compares the two byte for byte and fails when the schema changed, so the direct writer is updated with it.
 */
public final class RawWebhookEncoder {

    /** The parsing fingerprint (CRC-64-AVRO) of the {@link RawWebhook} schema the direct writer follows. */
    static final long DIRECT_FINGERPRINT = 5261108459141830034L;

    private static final int INITIAL_BUFFER_BYTES = 512;
    private static final DatumWriter<RawWebhook> WRITER =
            new SpecificDatumWriter<>(RawWebhook.getClassSchema(), SpecificData.getForClass(RawWebhook.class));
    private static final boolean DIRECT = followsDirectWriter(RawWebhook.getClassSchema());

    private RawWebhookEncoder() {
    }

    /** The record's value bytes under {@code schemaId}. */
    public static byte[] encode(int schemaId, RawWebhook record) {
        return encode(schemaId, record, DIRECT);
    }

    /** Whether records are written by the direct writer (the schema is the one it was written for). */
    static boolean direct() {
        return DIRECT;
    }

    /** Encodes with the direct writer or the generic one; both give the same bytes for the known schema. */
    static byte[] encode(int schemaId, RawWebhook record, boolean direct) {
        int bodyBytes = record.getBody() == null ? 0 : record.getBody().remaining();
        ByteArrayOutputStream out = new ByteArrayOutputStream(INITIAL_BUFFER_BYTES + bodyBytes);
        WireFormat.writeHeader(out, schemaId);
        // A direct encoder writes straight into the stream: nothing to flush or reuse, no thread-local lookup.
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            if (direct) {
                write(record, encoder);
            } else {
                WRITER.write(record, encoder);
            }
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("a ByteArrayOutputStream does not fail", e);
        }
        return out.toByteArray();
    }

    /** The fields of the schema with {@link #DIRECT_FINGERPRINT}, in its order, as Avro's binary encoding has them. */
    private static void write(RawWebhook record, BinaryEncoder out) throws IOException {
        out.writeEnum(record.getSource().ordinal());
        out.writeString(record.getEndpointId());
        out.writeLong(record.getReceivedAt().toEpochMilli());
        out.writeString(record.getRequestId());
        writeOptional(record.getRemoteAddress(), out);
        writeOptional(record.getContentType(), out);
        writeOptional(record.getUserAgent(), out);
        writeOptional(record.getSignature(), out);
        writeOptional(record.getProviderRequestId(), out);
        Map<String, String> headers = record.getHeaders();
        out.writeMapStart();
        out.setItemCount(headers.size());
        for (Map.Entry<String, String> header : headers.entrySet()) {
            out.startItem();
            out.writeString(header.getKey());
            out.writeString(header.getValue());
        }
        out.writeMapEnd();
        ByteBuffer body = record.getBody();
        if (body.hasArray()) {
            out.writeBytes(body.array(), body.arrayOffset() + body.position(), body.remaining());
        } else {
            out.writeBytes(body.duplicate());
        }
        Authentication authentication = record.getAuthentication();
        out.writeEnum(authentication.getScheme().ordinal());
        out.writeString(authentication.getSecretId());
    }

    /** A {@code ["null", "string"]} union: branch 0 for null, else branch 1 and the string. */
    private static void writeOptional(String value, BinaryEncoder out) throws IOException {
        if (value == null) {
            out.writeIndex(0);
        } else {
            out.writeIndex(1);
            out.writeString(value);
        }
    }

    /**
     * Whether {@code schema} is the one the direct writer follows. The parsing fingerprint leaves logical types out,
     * so the timestamp's unit is checked as well.
     */
    static boolean followsDirectWriter(Schema schema) {
        if (SchemaNormalization.parsingFingerprint64(schema) != DIRECT_FINGERPRINT) {
            return false;
        }
        LogicalType receivedAt = schema.getField("receivedAt").schema().getLogicalType();
        return receivedAt != null && "timestamp-millis".equals(receivedAt.getName());
    }
}
