package dev.shipstream.streams.review;

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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the review-cycle store keeps per App Store version: every applied state change (the cycles are recomputed from
 * them, so a late change lands in its place) and what the events told about the version.
 *
 * @param versionId     the appStoreVersions id
 * @param appId         the app id, if an event carried it
 * @param platform      the platform's name, if an event carried it
 * @param versionString the marketing version, if an event carried it
 * @param changes       the applied changes, in arrival order, one per event id
 */
public record VersionHistory(String versionId, String appId, String platform, String versionString,
                             List<VersionStateChange> changes) {

    public VersionHistory {
        Objects.requireNonNull(versionId, "versionId");
        changes = List.copyOf(changes);
    }

    /** A version with no change yet. */
    public static VersionHistory empty(String versionId) {
        return new VersionHistory(versionId, null, null, null, List.of());
    }

    /** Whether a change with this event id was applied. */
    public boolean contains(String eventId) {
        return changes.stream().anyMatch(change -> change.eventId().equals(eventId));
    }

    /** The latest event time applied, or {@link Long#MIN_VALUE} when there is none. */
    public long latestAt() {
        return changes.stream().mapToLong(VersionStateChange::at).max().orElse(Long.MIN_VALUE);
    }

    /**
     * A copy with one more change; what an event tells about the version replaces what was known, and an unknown
     * value keeps what was.
     */
    public VersionHistory with(VersionStateChange change, String appId, String platform, String versionString) {
        List<VersionStateChange> more = new ArrayList<>(changes.size() + 1);
        more.addAll(changes);
        more.add(change);
        return new VersionHistory(versionId, appId == null ? this.appId : appId,
                platform == null ? this.platform : platform,
                versionString == null ? this.versionString : versionString, more);
    }

    /**
     * The store format: a version byte, the version's fields, the number of changes, then each change. Format 2 adds
     * each change's API submission date (a presence byte and a long); format 1, written before, is still read (its
     * changes have none), so a store or changelog from before the upgrade restores. Reading refuses more changes than
     * {@code maxChanges}, so a corrupt length cannot allocate without bound.
     *
     * @param maxChanges the most changes a stored history may hold
     * @return the serde
     */
    public static Serde<VersionHistory> serde(int maxChanges) {
        return Serdes.serdeFrom(new StoreSerializer(), new StoreDeserializer(maxChanges));
    }

    private static final byte FORMAT_V1 = 1;
    private static final byte FORMAT_VERSION = 2;

    private static final class StoreSerializer implements Serializer<VersionHistory> {
        @Override
        public byte[] serialize(String topic, VersionHistory value) {
            if (value == null) {
                return null;
            }
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 96 * value.changes().size());
                DataOutputStream out = new DataOutputStream(bytes);
                out.writeByte(FORMAT_VERSION);
                out.writeUTF(value.versionId());
                writeNullable(out, value.appId());
                writeNullable(out, value.platform());
                writeNullable(out, value.versionString());
                out.writeInt(value.changes().size());
                for (VersionStateChange change : value.changes()) {
                    out.writeUTF(change.eventId());
                    out.writeLong(change.at());
                    writeNullable(out, change.oldValue());
                    out.writeUTF(change.newValue());
                    out.writeBoolean(change.apiSubmittedAt() != null);
                    if (change.apiSubmittedAt() != null) {
                        out.writeLong(change.apiSubmittedAt());
                    }
                }
                return bytes.toByteArray();
            } catch (IOException e) {
                throw new SerializationException("Cannot write the review history of " + value.versionId(), e);
            }
        }
    }

    /**
     * Reads the format {@link StoreSerializer} writes ({@code DataOutputStream}'s), straight from the array: a history is
     * read for every version event, and reading it through {@code DataInputStream} over a {@code ByteArrayInputStream}
     * (synchronized single-byte reads, a char buffer per string) was 40 % of the stream thread in the benchmark with
     * 256-change histories. Strings are ids and state names, so pure ASCII is decoded directly; any other string goes
     * the modified-UTF-8 way of {@link DataInputStream#readUTF}.
     */
    private static final class StoreDeserializer implements Deserializer<VersionHistory> {
        private final int maxChanges;

        StoreDeserializer(int maxChanges) {
            this.maxChanges = maxChanges;
        }

        @Override
        public VersionHistory deserialize(String topic, byte[] data) {
            if (data == null) {
                return null;
            }
            Reader in = new Reader(data);
            byte format = in.readByte();
            if (format != FORMAT_VERSION && format != FORMAT_V1) {
                throw new SerializationException("Unknown review history format " + format);
            }
            String versionId = in.readUtf();
            String appId = in.readNullable();
            String platform = in.readNullable();
            String versionString = in.readNullable();
            int count = in.readInt();
            if (count < 0 || count > maxChanges) {
                throw new SerializationException("A review history of " + count + " changes, at most "
                        + maxChanges + " allowed");
            }
            List<VersionStateChange> changes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String eventId = in.readUtf();
                long at = in.readLong();
                String oldValue = in.readNullable();
                String newValue = in.readUtf();
                Long apiSubmittedAt = format == FORMAT_V1 || in.readByte() == 0 ? null : in.readLong();
                changes.add(new VersionStateChange(eventId, at, oldValue, newValue, apiSubmittedAt));
            }
            if (in.position() != data.length) {
                throw new SerializationException("A review history with " + (data.length - in.position())
                        + " bytes after its last change");
            }
            return new VersionHistory(versionId, appId, platform, versionString, changes);
        }
    }

    /** Big-endian reads over an array, each checked against its end. */
    private static final class Reader {
        private final byte[] data;
        private int position;

        Reader(byte[] data) {
            this.data = data;
        }

        int position() {
            return position;
        }

        private int take(int length) {
            if (length > data.length - position) {
                throw new SerializationException("A review history cut short at byte " + position);
            }
            int at = position;
            position += length;
            return at;
        }

        byte readByte() {
            return data[take(1)];
        }

        int readInt() {
            int at = take(4);
            return (data[at] & 0xff) << 24 | (data[at + 1] & 0xff) << 16 | (data[at + 2] & 0xff) << 8
                    | (data[at + 3] & 0xff);
        }

        long readLong() {
            int at = take(8);
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = value << 8 | (data[at + i] & 0xff);
            }
            return value;
        }

        String readNullable() {
            return readByte() != 0 ? readUtf() : null;
        }

        String readUtf() {
            int lengthAt = take(2);
            int length = (data[lengthAt] & 0xff) << 8 | (data[lengthAt + 1] & 0xff);
            int at = take(length);
            for (int i = at; i < at + length; i++) {
                if (data[i] < 0) {
                    return modifiedUtf8(lengthAt, length);
                }
            }
            return new String(data, at, length, StandardCharsets.ISO_8859_1);
        }

        private String modifiedUtf8(int lengthAt, int length) {
            try {
                return new DataInputStream(new ByteArrayInputStream(data, lengthAt, length + 2)).readUTF();
            } catch (IOException e) {
                throw new SerializationException("A review history with a malformed string at byte " + lengthAt, e);
            }
        }
    }

    private static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }
}
