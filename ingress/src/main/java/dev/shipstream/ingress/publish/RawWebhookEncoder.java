package dev.shipstream.ingress.publish;

import dev.shipstream.schemas.AuthScheme;
import dev.shipstream.schemas.Authentication;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Source;
import dev.shipstream.schemas.serde.WireFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Encodes a {@link RawWebhook} in the Confluent wire format (magic byte 0, the big-endian schema id, the Avro binary
 * datum), byte for byte as {@code AvroSerializer} does, but with a schema id the caller already holds. It never talks
 * to a schema registry, so it is safe on an event loop; the id comes from {@link SchemaRegistration}, which asks the
 * registry off the event loop. Pure and thread-safe.
 *
 * <p>Built for the ingress's hot path: Avro's direct encoder writes each value straight into one unsynchronised
 * array sized for the body and its envelope, trimmed once at the end. Nothing is looked up per thread: the
 * {@code ThreadLocal} of reused buffered encoders this replaced cost a quarter of the encoding in a profile, more
 * than the small encoder it saved allocating.
 *
 * <p>The fields are written one by one with the encoder's primitives, as the {@code customEncode} that Avro's compiler
 * generates for a record would write them. {@code SpecificDatumWriter} walks the schema for every record (field by
 * field, resolving each union, looking up the conversion of the timestamp), about 9 % of the event loop's time per
 * request in a profile; the compiler generates no {@code customEncode} for a schema with a logical type, and
 * {@code receivedAt} is a {@code timestamp-millis}. The writer is a second copy of the schema, so the class refuses to
 * initialise unless {@code RawWebhook}'s schema is the one it writes ({@link #checkWritesSchema}).
 */
public final class RawWebhookEncoder {

    /** Room for everything but the body in the common case: the envelope of a small request's headers. */
    private static final int ENVELOPE_GUESS_BYTES = 1024;
    private static final EncoderFactory ENCODERS = EncoderFactory.get();

    /**
     * The fields in the order {@link #write} writes them, each with the Avro type it writes. An enum's symbols are the
     * generated Java enum's constants in their order, so that writing a constant's ordinal writes the schema's index
     * of its symbol.
     */
    private static final List<String> WRITTEN_FIELDS = List.of(
            "source: enum dev.shipstream.schemas.Source " + names(Source.values()),
            "endpointId: string",
            "receivedAt: long timestamp-millis",
            "requestId: string",
            "remoteAddress: [null, string]",
            "contentType: [null, string]",
            "userAgent: [null, string]",
            "signature: [null, string]",
            "providerRequestId: [null, string]",
            "headers: map of string",
            "body: bytes",
            "authentication: record dev.shipstream.schemas.Authentication",
            "authentication.scheme: enum dev.shipstream.schemas.AuthScheme " + names(AuthScheme.values()),
            "authentication.secretId: string");

    static {
        checkWritesSchema(RawWebhook.getClassSchema());
    }

    private RawWebhookEncoder() {
    }

    /** The record's value bytes under {@code schemaId}. */
    public static byte[] encode(int schemaId, RawWebhook record) {
        int bodyBytes = record.getBody() == null ? 0 : record.getBody().remaining();
        ValueBytes out = new ValueBytes(WireFormat.HEADER_SIZE + ENVELOPE_GUESS_BYTES + bodyBytes);
        out.write(WireFormat.header(schemaId));
        try {
            BinaryEncoder encoder = ENCODERS.directBinaryEncoder(out, null);
            write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to an array does not fail", e);
        }
        return out.toByteArray();
    }

    /**
     * Throws {@link IllegalStateException} naming the first difference unless {@code schema} has exactly the fields,
     * in order and of the types, that {@link #write} writes.
     */
    static void checkWritesSchema(Schema schema) {
        List<String> fields = new ArrayList<>();
        addFields(schema, "", fields);
        for (int i = 0; i < Math.max(fields.size(), WRITTEN_FIELDS.size()); i++) {
            String written = i < WRITTEN_FIELDS.size() ? WRITTEN_FIELDS.get(i) : null;
            String inSchema = i < fields.size() ? fields.get(i) : null;
            if (written == null || !written.equals(inSchema)) {
                throw new IllegalStateException("RawWebhookEncoder writes " + schema.getFullName()
                        + " field by field and no longer matches its schema: where it writes "
                        + (written == null ? "nothing" : "'" + written + "'") + " the schema has "
                        + (inSchema == null ? "nothing" : "'" + inSchema + "'")
                        + ". Change RawWebhookEncoder.write and its WRITTEN_FIELDS with the schema.");
            }
        }
    }

    private static void addFields(Schema record, String prefix, List<String> fields) {
        for (Schema.Field field : record.getFields()) {
            fields.add(prefix + field.name() + ": " + type(field.schema()));
            if (field.schema().getType() == Schema.Type.RECORD) {
                addFields(field.schema(), prefix + field.name() + ".", fields);
            }
        }
    }

    private static String type(Schema schema) {
        return switch (schema.getType()) {
            case RECORD -> "record " + schema.getFullName();
            case ENUM -> "enum " + schema.getFullName() + " " + schema.getEnumSymbols();
            case UNION -> schema.getTypes().stream().map(RawWebhookEncoder::type).toList().toString();
            case MAP -> "map of " + type(schema.getValueType());
            default -> schema.getLogicalType() == null
                    ? schema.getName() : schema.getName() + " " + schema.getLogicalType().getName();
        };
    }

    private static String names(Enum<?>[] constants) {
        return Arrays.stream(constants).map(Enum::name).toList().toString();
    }

    /**
     * Writes what {@code SpecificDatumWriter} writes for the record: the timestamp as
     * {@code TimestampMillisConversion} converts it, the headers in their map's entry order, the body from its
     * position to its limit without moving either.
     */
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
        writeHeaders(record.getHeaders(), out);
        out.writeBytes(record.getBody());
        Authentication authentication = record.getAuthentication();
        out.writeEnum(authentication.getScheme().ordinal());
        out.writeString(authentication.getSecretId());
    }

    private static void writeOptional(String value, BinaryEncoder out) throws IOException {
        if (value == null) {
            out.writeIndex(0);
            out.writeNull();
        } else {
            out.writeIndex(1);
            out.writeString(value);
        }
    }

    private static void writeHeaders(Map<String, String> headers, BinaryEncoder out) throws IOException {
        int size = headers.size();
        out.writeMapStart();
        out.setItemCount(size);
        int written = 0;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            out.startItem();
            out.writeString(header.getKey());
            out.writeString(header.getValue());
            written++;
        }
        out.writeMapEnd();
        if (written != size) {
            // The count written first would not match the entries after it: the bytes could not be read back.
            throw new ConcurrentModificationException("the headers map had " + size + " entries when writing began and "
                    + written + " when it ended");
        }
    }

    /** A growable byte array without {@code ByteArrayOutputStream}'s locking; one encode's only. */
    private static final class ValueBytes extends OutputStream {
        private byte[] bytes;
        private int size;

        private ValueBytes(int capacity) {
            this.bytes = new byte[capacity];
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }

        @Override
        public void write(byte[] b) {
            write(b, 0, b.length);
        }

        private void ensure(int more) {
            if (bytes.length - size < more) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, Math.addExact(size, more)));
            }
        }

        private byte[] toByteArray() {
            return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
        }
    }
}
