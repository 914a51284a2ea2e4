package dev.shipstream.streams.metrics;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The form of a {@link Measurement} on the metrics repartition topic (internal to the streams app): a version byte,
 * the metric, app, platform, end time, duration and outcome.
 */
final class MeasurementSerde {

    private static final byte FORMAT_VERSION = 1;

    private MeasurementSerde() {
    }

    static Serde<Measurement> serde() {
        Serializer<Measurement> serializer = (topic, m) -> m == null ? null : write(m);
        Deserializer<Measurement> deserializer = (topic, data) -> data == null ? null : read(data);
        return Serdes.serdeFrom(serializer, deserializer);
    }

    private static byte[] write(Measurement m) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT_VERSION);
            out.writeUTF(m.metric().name());
            writeNullable(out, m.appId());
            writeNullable(out, m.platform());
            out.writeLong(m.endedAt());
            out.writeBoolean(m.durationMs() != null);
            if (m.durationMs() != null) {
                out.writeLong(m.durationMs());
            }
            out.writeUTF(m.outcome());
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new SerializationException("Cannot write a measurement", e);
        }
    }

    private static Measurement read(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte format = in.readByte();
            if (format != FORMAT_VERSION) {
                throw new SerializationException("Unknown measurement format " + format);
            }
            MetricName metric = MetricName.valueOf(in.readUTF());
            String appId = readNullable(in);
            String platform = readNullable(in);
            long endedAt = in.readLong();
            Long duration = in.readBoolean() ? in.readLong() : null;
            return new Measurement(metric, appId, platform, endedAt, duration, in.readUTF());
        } catch (IOException | IllegalArgumentException e) {
            throw new SerializationException("Cannot read a measurement", e);
        }
    }

    private static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
