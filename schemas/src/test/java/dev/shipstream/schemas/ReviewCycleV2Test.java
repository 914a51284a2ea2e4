package dev.shipstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/**
 * The second released form of {@code ReviewCycle} adds {@code submittedAtSource}: data written with the first form
 * reads with the field null, and a reader still on the first form reads the new data, ignoring the field.
 */
class ReviewCycleV2Test {

    private static final Schema V1 = ReleasedSchemas.of("ReviewCycle").get(0);
    private static final Schema V2 = ReleasedSchemas.of("ReviewCycle").get(1);

    @Test
    void theSecondFormAddsTheOptionalSubmittedAtSourceAndIsTheCurrentSchema() {
        assertThat(V1.getField("submittedAtSource")).isNull();
        Schema.Field source = V2.getField("submittedAtSource");
        assertThat(source.defaultVal()).isEqualTo(org.apache.avro.JsonProperties.NULL_VALUE);
        assertThat(source.schema().getTypes().get(1).getEnumSymbols())
                .containsExactly("OBSERVED", "APP_STORE_CONNECT_API", "UNKNOWN");
        assertThat(V2).isEqualTo(ReviewCycle.getClassSchema());
    }

    @Test
    void aRecordWrittenWithTheFirstFormReadsWithNoSource() throws IOException {
        GenericRecord old = new GenericData.Record(V1);
        fillRequired(old);

        GenericRecord read = read(write(old, V1), V1, V2);

        assertThat(read.get("submittedAtSource")).isNull();
        assertThat(read.get("versionId").toString()).isEqualTo("6745123456");
    }

    @Test
    void aReaderOnTheFirstFormReadsARecordWithASource() throws IOException {
        ReviewCycle cycle = ReviewCycle.newBuilder()
                .setVersionId("6745123456").setCycle(2).setCycleCount(2).setOutcome(ReviewOutcome.APPROVED)
                .setSubmittedAt(Instant.parse("2025-12-18T06:00:00Z"))
                .setSubmittedAtSource(SubmittedAtSource.APP_STORE_CONNECT_API)
                .setObserved(List.of("IN_REVIEW")).setLastEventAt(Instant.parse("2025-12-18T22:34:18.785Z"))
                .build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new org.apache.avro.specific.SpecificDatumWriter<>(ReviewCycle.class).write(cycle, encoder);
        encoder.flush();

        GenericRecord read = read(bytes.toByteArray(), V2, V1);

        assertThat(read.getSchema().getField("submittedAtSource")).isNull();
        assertThat(read.get("submittedAt")).isEqualTo(Instant.parse("2025-12-18T06:00:00Z").toEpochMilli());
    }

    private static void fillRequired(GenericRecord record) {
        record.put("versionId", "6745123456");
        record.put("cycle", 1);
        record.put("cycleCount", 1);
        record.put("outcome", new GenericData.EnumSymbol(V1.getField("outcome").schema(), "OPEN"));
        record.put("observed", List.of());
        record.put("lastEventAt", 0L);
    }

    private static byte[] write(GenericRecord record, Schema schema) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return bytes.toByteArray();
    }

    private static GenericRecord read(byte[] bytes, Schema writer, Schema reader) throws IOException {
        return new GenericDatumReader<GenericRecord>(writer, reader)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    }
}
