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

/** The store form of a {@link StateChange}: a version byte, event id, time, whether observed, old and new state. */
final class StateChangeSerde {

    static final Serde<StateChange> SERDE = Serdes.serdeFrom(
            (Serializer<StateChange>) (topic, c) -> c == null ? null : write(c),
            (Deserializer<StateChange>) (topic, data) -> data == null ? null : read(data));

    private static final byte FORMAT_VERSION = 1;

    private StateChangeSerde() {
    }

    private static byte[] write(StateChange c) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT_VERSION);
            out.writeUTF(c.eventId());
            out.writeLong(c.at());
            out.writeBoolean(c.observed());
            out.writeBoolean(c.oldState() != null);
            if (c.oldState() != null) {
                out.writeUTF(c.oldState());
            }
            out.writeUTF(c.newState());
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new SerializationException("Cannot write a state change", e);
        }
    }

    private static StateChange read(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte format = in.readByte();
            if (format != FORMAT_VERSION) {
                throw new SerializationException("Unknown state change format " + format);
            }
            String eventId = in.readUTF();
            long at = in.readLong();
            boolean observed = in.readBoolean();
            String oldState = in.readBoolean() ? in.readUTF() : null;
            return new StateChange(eventId, at, observed, oldState, in.readUTF());
        } catch (IOException e) {
            throw new SerializationException("Cannot read a state change", e);
        }
    }
}
