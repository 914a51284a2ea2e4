package dev.shipstream.streams.enrich;

import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.ReleasedSchemas;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * An event waiting for its lookup, with what is needed to emit it later exactly as it came (record timestamp and
 * headers) and the state of its retries.
 *
 * @param event the event as it arrived
 * @param recordTimestamp the input record's timestamp, kept for the output record
 * @param headers the input record's headers, kept for the output record
 * @param parkedAt when it was parked (wall-clock epoch ms); the maximum hold counts from here
 * @param nextAttemptAt when it may be tried next (wall-clock epoch ms)
 * @param attempts API attempts made so far
 * @param lastReason why it is waiting (the last failure), for the {@code UNAVAILABLE} reason
 */
record ParkedEvent(DeliveryEvent event, long recordTimestamp, Headers headers, long parkedAt, long nextAttemptAt,
                   int attempts, String lastReason) {

    ParkedEvent {
        Objects.requireNonNull(event, "event");
        headers = headers == null ? new RecordHeaders() : headers;
    }

    ParkedEvent retried(int attempts, String reason, long nextAttemptAt) {
        return new ParkedEvent(event, recordTimestamp, headers, parkedAt, nextAttemptAt, attempts, reason);
    }

    /**
     * The store format: a version byte, the retry fields, the headers, then the event in Avro single-object encoding.
     * Its schema fingerprint names the writer schema; the decoder knows every released form of
     * {@code DeliveryEvent} ({@link ReleasedSchemas}), so events held across an upgrade that evolved the schema are
     * resolved into the current one. No registry is involved, so the store works with whatever registry the
     * application uses.
     */
    static Serde<ParkedEvent> serde() {
        return Serdes.serdeFrom(new StoreSerializer(), new StoreDeserializer());
    }

    private static final byte FORMAT_VERSION = 1;

    private static final BinaryMessageDecoder<DeliveryEvent> DECODER =
            DeliveryEvent.createDecoder(ReleasedSchemas.storeOf(DeliveryEvent.getClassSchema().getName()));

    private static final class StoreSerializer implements Serializer<ParkedEvent> {
        @Override
        public byte[] serialize(String topic, ParkedEvent value) {
            if (value == null) {
                return null;
            }
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
                DataOutputStream out = new DataOutputStream(bytes);
                out.writeByte(FORMAT_VERSION);
                out.writeLong(value.recordTimestamp());
                out.writeLong(value.parkedAt());
                out.writeLong(value.nextAttemptAt());
                out.writeInt(value.attempts());
                writeNullable(out, value.lastReason());
                Header[] headers = value.headers().toArray();
                out.writeInt(headers.length);
                for (Header header : headers) {
                    out.writeUTF(header.key());
                    writeBytes(out, header.value());
                }
                ByteBuffer event = DeliveryEvent.getEncoder().encode(value.event());
                byte[] eventBytes = new byte[event.remaining()];
                event.get(eventBytes);
                writeBytes(out, eventBytes);
                out.flush();
                return bytes.toByteArray();
            } catch (IOException e) {
                throw new SerializationException("cannot serialize a held event", e);
            }
        }
    }

    private static final class StoreDeserializer implements Deserializer<ParkedEvent> {
        @Override
        public ParkedEvent deserialize(String topic, byte[] data) {
            if (data == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
                byte version = in.readByte();
                if (version != FORMAT_VERSION) {
                    throw new SerializationException("held event of unknown format version " + version);
                }
                long recordTimestamp = in.readLong();
                long parkedAt = in.readLong();
                long nextAttemptAt = in.readLong();
                int attempts = in.readInt();
                String lastReason = readNullable(in);
                int headerCount = in.readInt();
                RecordHeaders headers = new RecordHeaders();
                for (int i = 0; i < headerCount; i++) {
                    headers.add(in.readUTF(), readBytes(in));
                }
                DeliveryEvent event = DECODER.decode(ByteBuffer.wrap(readBytes(in)));
                return new ParkedEvent(event, recordTimestamp, headers, parkedAt, nextAttemptAt, attempts,
                        lastReason);
            } catch (IOException e) {
                throw new SerializationException("cannot read a held event", e);
            }
        }
    }

    private static void writeNullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            writeBytes(out, s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? new String(readBytes(in), java.nio.charset.StandardCharsets.UTF_8) : null;
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        if (b == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        if (length > in.available()) {
            throw new IOException("truncated held event");
        }
        return in.readNBytes(length);
    }
}
