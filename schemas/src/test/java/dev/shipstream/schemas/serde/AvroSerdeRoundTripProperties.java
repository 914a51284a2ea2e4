package dev.shipstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/** Serialize then deserialize is the identity on generic records, and the payload is plain Avro binary. */
class AvroSerdeRoundTripProperties {

    private static final Schema SCHEMA = TestSchemas.parse("""
            {"type": "record", "name": "Sample", "namespace": "dev.shipstream.test", "fields": [
              {"name": "name", "type": "string"},
              {"name": "count", "type": "int"},
              {"name": "offset", "type": "long"},
              {"name": "flag", "type": "boolean"},
              {"name": "ratio", "type": "double"},
              {"name": "note", "type": ["null", "string"], "default": null},
              {"name": "payload", "type": "bytes"},
              {"name": "colour", "type": {"type": "enum", "name": "Colour", "symbols": ["RED", "GREEN", "BLUE"]}},
              {"name": "samples", "type": {"type": "array", "items": "int"}}
            ]}""");

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final AvroSerializer<GenericRecord> serializer = new AvroSerializer<>(registry);
    private final AvroDeserializer<GenericRecord> deserializer = new AvroDeserializer<>(registry);

    @Property(tries = 300)
    void deserializingWhatWasSerializedGivesTheSameRecord(@ForAll("records") GenericRecord record) {
        byte[] bytes = serializer.serialize("samples", record);

        assertThat(deserializer.deserialize("samples", bytes)).isEqualTo(record);
    }

    @Property(tries = 100)
    void thePayloadIsTheHeaderThenPlainAvroBinary(@ForAll("records") GenericRecord record) throws IOException {
        byte[] bytes = serializer.serialize("samples", record);

        assertThat(Arrays.copyOf(bytes, WireFormat.HEADER_SIZE)).containsExactly(WireFormat.header(1));
        assertThat(Arrays.copyOfRange(bytes, WireFormat.HEADER_SIZE, bytes.length)).containsExactly(avro(record));
    }

    @Provide
    Arbitrary<GenericRecord> records() {
        Arbitrary<String> text = Arbitraries.strings().withCharRange('\u0000', '\uD7FF')
                .withChars('\uE000', '\uFFFD').ofMaxLength(30);
        return Combinators.combine(
                text,
                Arbitraries.integers(),
                Arbitraries.longs(),
                Arbitraries.of(true, false),
                Arbitraries.doubles(),
                text.injectNull(0.3),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40),
                Arbitraries.of("RED", "GREEN", "BLUE")
        ).as((name, count, offset, flag, ratio, note, payload, colour) -> {
            GenericRecord record = new GenericData.Record(SCHEMA);
            record.put("name", name);
            record.put("count", count);
            record.put("offset", offset);
            record.put("flag", flag);
            record.put("ratio", ratio);
            record.put("note", note);
            record.put("payload", ByteBuffer.wrap(payload));
            record.put("colour", new GenericData.EnumSymbol(SCHEMA.getField("colour").schema(), colour));
            return record;
        }).flatMap(record -> Arbitraries.integers().list().ofMaxSize(10).map(samples -> {
            GenericRecord withSamples = new GenericData.Record((GenericData.Record) record, true);
            withSamples.put("samples", new GenericData.Array<>(SCHEMA.getField("samples").schema(), samples));
            return withSamples;
        }));
    }

    private static byte[] avro(GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(SCHEMA).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
