package dev.shipstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.shipstream.schemas.DeadLetter;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.RawWebhook;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.RandomData;

/**
 * The bounds check agrees with Avro's binary grammar: everything Avro writes passes it, no strict prefix of that
 * does, and whatever bytes pass it Avro can read.
 */
class DatumBoundsProperties {

    /** Every kind of Avro type, nested, including collections of items that take no bytes. */
    static final Schema EVERY_TYPE = TestSchemas.parse("""
            {"type": "record", "name": "Everything", "namespace": "dev.shipstream.test", "fields": [
              {"name": "b", "type": "boolean"}, {"name": "i", "type": "int"}, {"name": "l", "type": "long"},
              {"name": "f", "type": "float"}, {"name": "d", "type": "double"}, {"name": "s", "type": "string"},
              {"name": "bytes", "type": "bytes"},
              {"name": "fixed", "type": {"type": "fixed", "name": "Four", "size": 4}},
              {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B", "C"]}},
              {"name": "u", "type": ["null", "int", "string", {"type": "array", "items": "long"}]},
              {"name": "nulls", "type": {"type": "array", "items": "null"}},
              {"name": "empties", "type": {"type": "array", "items":
                {"type": "record", "name": "Empty", "fields": []}}},
              {"name": "nested", "type": {"type": "array", "items": {"type": "map", "values":
                {"type": "record", "name": "Inner", "fields": [
                  {"name": "x", "type": ["null", "string"]}, {"name": "y", "type": "Four"}]}}}}
            ]}""");

    private static final List<Schema> SCHEMAS = List.of(EVERY_TYPE, RawWebhook.getClassSchema(),
            DeliveryEvent.getClassSchema(), DeadLetter.getClassSchema());
    private static final int DEPTH = AvroSerdeConfig.MAX_NESTING_DEPTH_DEFAULT;

    @Property(tries = 300)
    void everyDatumAvroWritesPasses(@ForAll("schemas") Schema schema, @ForAll long seed) {
        byte[] datum = randomDatum(schema, seed);

        DatumBounds.check(schema, datum, 0, datum.length, DEPTH);
    }

    @Property(tries = 300)
    void noStrictPrefixOfADatumPasses(@ForAll("schemas") Schema schema, @ForAll long seed,
                                      @ForAll @IntRange(min = 1, max = 10_000) int cut) {
        byte[] datum = randomDatum(schema, seed);
        int length = Math.max(0, datum.length - cut);

        assertThatThrownBy(() -> DatumBounds.check(schema, datum, 0, length, DEPTH))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Refused before decoding: ");
    }

    @Property(tries = 2_000)
    void whateverPassesAvroCanRead(@ForAll("schemas") Schema schema, @ForAll("bytes") byte[] bytes) {
        Throwable refused = catchThrowable(() -> DatumBounds.check(schema, bytes, 0, bytes.length, DEPTH));
        if (refused != null) {
            assertThat(refused).isInstanceOf(IllegalArgumentException.class);
            return;
        }
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
        try {
            new GenericDatumReader<>(schema).read(null, decoder);
        } catch (IOException e) {
            throw new AssertionError("passed the check but Avro could not read it: " + e, e);
        }
    }

    @Provide
    Arbitrary<Schema> schemas() {
        return Arbitraries.of(SCHEMAS);
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        // Small bytes and small varints are the interesting ones: they make short lengths, counts and indexes.
        Arbitrary<Byte> small = Arbitraries.bytes().between((byte) -4, (byte) 12);
        return Arbitraries.oneOf(small, Arbitraries.bytes()).array(byte[].class).ofMaxSize(64);
    }

    static byte[] randomDatum(Schema schema, long seed) {
        Object datum = new RandomData(GenericData.get(), schema, 1, seed).iterator().next();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<>(schema).write(datum, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
