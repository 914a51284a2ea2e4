package dev.shipstream.streams.review;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VersionHistoryTest {

    private final Serde<VersionHistory> serde = VersionHistory.serde(3);

    @Test
    void theStoreFormatRoundTripsUnknownValuesIncluded() {
        VersionHistory history = new VersionHistory("v1", "app-1", "IOS", null, List.of(
                new VersionStateChange("e1", 1_000, null, "WAITING_FOR_REVIEW"),
                new VersionStateChange("e2", 2_000, "WAITING_FOR_REVIEW", "IN_REVIEW")));

        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", history)))
                .isEqualTo(history);
    }

    @Test
    void theStoreFormatKeepsTheApiSubmissionDate() {
        VersionHistory history = new VersionHistory("v1", null, null, null, List.of(
                new VersionStateChange("e1", 2_000, "WAITING_FOR_REVIEW", "IN_REVIEW", 1_500L)));

        VersionHistory read = serde.deserializer().deserialize("t", serde.serializer().serialize("t", history));

        assertThat(read.changes().get(0).apiSubmittedAt()).isEqualTo(1_500L);
    }

    @Test
    void readsTheFirstStoreFormatWrittenBeforeApiSubmissionDates() throws IOException {
        // Format 1, as the store and its changelog hold it from before the upgrade.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(1);
        out.writeUTF("v1");
        out.writeBoolean(true);
        out.writeUTF("app-1");
        out.writeBoolean(false);
        out.writeBoolean(false);
        out.writeInt(2);
        out.writeUTF("e1");
        out.writeLong(1_000);
        out.writeBoolean(false);
        out.writeUTF("WAITING_FOR_REVIEW");
        out.writeUTF("e2");
        out.writeLong(2_000);
        out.writeBoolean(true);
        out.writeUTF("WAITING_FOR_REVIEW");
        out.writeUTF("IN_REVIEW");

        assertThat(serde.deserializer().deserialize("t", bytes.toByteArray())).isEqualTo(
                new VersionHistory("v1", "app-1", null, null, List.of(
                        new VersionStateChange("e1", 1_000, null, "WAITING_FOR_REVIEW"),
                        new VersionStateChange("e2", 2_000, "WAITING_FOR_REVIEW", "IN_REVIEW"))));
    }

    @Test
    void refusesAStoredLengthAboveTheCapInsteadOfAllocatingIt() {
        byte[] bytes = serde.serializer().serialize("t", VersionHistory.empty("v1"));
        // The change count is the last four bytes of an empty history.
        ByteBuffer.wrap(bytes).putInt(bytes.length - 4, Integer.MAX_VALUE);

        assertThatThrownBy(() -> serde.deserializer().deserialize("t", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessage("A review history of 2147483647 changes, at most 3 allowed");
    }

    @Test
    void keepsWhatWasKnownWhenAnEventDoesNotSay() {
        VersionHistory history = VersionHistory.empty("v1")
                .with(new VersionStateChange("e1", 5, null, "WAITING_FOR_REVIEW"), "app-1", "IOS", "1.0")
                .with(new VersionStateChange("e2", 3, null, "READY_FOR_REVIEW"), null, null, null);

        assertThat(history.appId()).isEqualTo("app-1");
        assertThat(history.platform()).isEqualTo("IOS");
        assertThat(history.versionString()).isEqualTo("1.0");
        assertThat(history.latestAt()).isEqualTo(5);
        assertThat(history.contains("e2")).isTrue();
    }
}
