package dev.shipstream.ingress.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shipstream.schemas.RawWebhook;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class RecordEnvelopeTest {

    private static final List<String> HEADERS = List.of("content-type", "user-agent");

    @Test
    void refusesASchemaFieldItHasNoBoundFor() {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : RawWebhook.getClassSchema().getFields()) {
            fields.add(new Schema.Field(field, field.schema()));
        }
        fields.add(new Schema.Field("note", Schema.create(Schema.Type.STRING)));
        Schema extended = Schema.createRecord("RawWebhook", null, "dev.shipstream.schemas", false, fields);

        assertThatThrownBy(() -> RecordEnvelope.of(extended, 16 * 1024, List.of("default"), List.of("v1"), HEADERS))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'note'");
    }

    @Test
    void growsWithTheHeaderLimitThreeCopiesAtTwoBytesEach() {
        RecordEnvelope small = RecordEnvelope.of(8 * 1024, List.of("default"), List.of("v1"), HEADERS);
        RecordEnvelope large = RecordEnvelope.of(16 * 1024, List.of("default"), List.of("v1"), HEADERS);

        assertThat(large.valueOverhead() - small.valueOverhead()).isEqualTo(3 * 2 * 8 * 1024);
    }

    @Test
    void maxRequestSizeAndBodyLimitAreEachOthersInverse() {
        RecordEnvelope envelope = RecordEnvelope.of(16 * 1024, List.of("an-endpoint"), List.of("2026-01"), HEADERS);

        assertThat(envelope.maxBodyFor(envelope.maxRequestSizeFor(262_144))).isEqualTo(262_144);
    }
}
