package dev.shipstream.streams.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;

import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.ReleasedSchemas;
import dev.shipstream.schemas.connect.ContractFixtures;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class ParkedEventTest {

    @Test
    void roundTripsThroughTheStoreFormat() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_id", "abc".getBytes());
        ParkedEvent parked = new ParkedEvent(ContractFixtures.fullDeliveryEvent(), 42L, headers, 1_000L, 2_000L, 3, "HTTP 500");

        byte[] stored = ParkedEvent.serde().serializer().serialize("t", parked);
        ParkedEvent read = ParkedEvent.serde().deserializer().deserialize("t", stored);

        assertThat(read.event()).isEqualTo(parked.event());
        assertThat(read.recordTimestamp()).isEqualTo(42L);
        assertThat(read.headers().lastHeader("ce_id").value()).isEqualTo("abc".getBytes());
        assertThat(read.attempts()).isEqualTo(3);
        assertThat(read.lastReason()).isEqualTo("HTTP 500");
    }

    @Test
    void readsEventsHeldUnderEveryReleasedFormOfTheSchema() throws java.io.IOException {
        List<Schema> released = ReleasedSchemas.of("DeliveryEvent");
        assertThat(released).isNotEmpty();
        DeliveryEvent event = ContractFixtures.fullDeliveryEvent();
        byte[] current = ParkedEvent.serde().serializer().serialize("t",
                new ParkedEvent(event, 1L, new RecordHeaders(), 1L, 1L, 0, null));
        int eventStart = current.length - DeliveryEvent.getEncoder().encode(event).remaining();

        for (Schema writer : released) {
            // Fields are written by position: released forms only ever gain fields at the end.
            GenericRecord asWritten = ContractFixtures.asGeneric(event);
            ByteBuffer encoded = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(asWritten);
            byte[] eventBytes = new byte[encoded.remaining()];
            encoded.get(eventBytes);
            byte[] stored = withEvent(current, eventStart, eventBytes);

            assertThat(ParkedEvent.serde().deserializer().deserialize("t", stored).event().getEventId())
                    .isEqualTo(event.getEventId());
        }
    }

    /** The stored bytes with the trailing length-prefixed event replaced. */
    private static byte[] withEvent(byte[] stored, int eventStart, byte[] eventBytes) {
        ByteBuffer out = ByteBuffer.allocate(eventStart + eventBytes.length);
        out.put(stored, 0, eventStart - Integer.BYTES);
        out.putInt(eventBytes.length);
        out.put(eventBytes);
        return out.array();
    }
}
