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
     * The store format: a version byte, the version's fields, the number of changes, then each change. Reading
     * refuses more changes than {@code maxChanges}, so a corrupt length cannot allocate without bound.
     *
     * @param maxChanges the most changes a stored history may hold
     * @return the serde
     */
    public static Serde<VersionHistory> serde(int maxChanges) {
        return Serdes.serdeFrom(new StoreSerializer(), new StoreDeserializer(maxChanges));
    }

    private static final byte FORMAT_VERSION = 1;

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
                }
                return bytes.toByteArray();
            } catch (IOException e) {
                throw new SerializationException("Cannot write the review history of " + value.versionId(), e);
            }
        }
    }

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
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
                byte format = in.readByte();
                if (format != FORMAT_VERSION) {
                    throw new SerializationException("Unknown review history format " + format);
                }
                String versionId = in.readUTF();
                String appId = readNullable(in);
                String platform = readNullable(in);
                String versionString = readNullable(in);
                int count = in.readInt();
                if (count < 0 || count > maxChanges) {
                    throw new SerializationException("A review history of " + count + " changes, at most "
                            + maxChanges + " allowed");
                }
                List<VersionStateChange> changes = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    changes.add(new VersionStateChange(in.readUTF(), in.readLong(), readNullable(in), in.readUTF()));
                }
                return new VersionHistory(versionId, appId, platform, versionString, changes);
            } catch (IOException e) {
                throw new SerializationException("Cannot read a review history", e);
            }
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
