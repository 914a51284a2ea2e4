package dev.shipstream.schemas.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.ByteBuffer;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.kafka.connect.data.SchemaAndValue;

/** Avro -> Connect -> Avro over generated records of a schema that uses every supported type. */
class AvroConnectDataProperties {

    private static final Schema ALL_TYPES = new Schema.Parser().parse("""
            {"type": "record", "name": "AllTypes", "namespace": "dev.shipstream.test", "doc": "Every supported type.",
             "fields": [
              {"name": "i", "type": "int"},
              {"name": "l", "type": "long", "default": 0, "doc": "A long with a default."},
              {"name": "f", "type": "float"},
              {"name": "d", "type": "double"},
              {"name": "b", "type": "boolean", "default": true},
              {"name": "s", "type": {"type": "string", "avro.java.string": "String"}},
              {"name": "bytes", "type": "bytes"},
              {"name": "optionalString", "type": ["null", "string"], "default": null},
              {"name": "color", "type": {"type": "enum", "name": "Color", "doc": "Colours.",
                                          "symbols": ["RED", "GREEN", "BLUE"], "default": "RED"}},
              {"name": "optionalColor", "type": ["null", "Color"], "default": null},
              {"name": "ints", "type": {"type": "array", "items": "int"}, "default": []},
              {"name": "labels", "type": {"type": "map", "values": "string"}, "default": {}},
              {"name": "nested", "type": {"type": "record", "name": "Nested", "fields": [
                 {"name": "n", "type": "long"},
                 {"name": "tag", "type": ["null", "string"], "default": null}]}},
              {"name": "optionalNested", "type": ["null", "Nested"], "default": null},
              {"name": "nestedList", "type": {"type": "array", "items": "Nested"}},
              {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "optionalAt", "type": ["null", {"type": "long", "logicalType": "timestamp-millis"}],
               "default": null},
              {"name": "day", "type": {"type": "int", "logicalType": "date"}},
              {"name": "timeOfDay", "type": {"type": "int", "logicalType": "time-millis"}},
              {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2}}
             ]}
            """);
    private static final Schema NESTED = ALL_TYPES.getField("nested").schema();
    private static final Schema COLOR = ALL_TYPES.getField("color").schema();
    private static final long MAX_UNSCALED = 999_999_999_999L;

    private final AvroConnectData data = new AvroConnectData();

    @Property(tries = 300)
    void avroToConnectToAvroIsIdentity(@ForAll("allTypes") GenericRecord record) {
        SchemaAndValue connect = data.toConnectData(ALL_TYPES, record);

        Schema regenerated = data.fromConnectSchema(connect.schema());
        assertThat(regenerated).isEqualTo(ALL_TYPES);
        assertThat(regenerated.toString()).isEqualTo(ALL_TYPES.toString());
        assertThat(data.fromConnectData(connect.schema(), connect.value())).isEqualTo(record);
    }

    @Provide
    Arbitrary<GenericRecord> allTypes() {
        Arbitrary<String> strings = Arbitraries.strings().ofMaxLength(12);
        Arbitrary<GenericData.EnumSymbol> colors = Arbitraries.of("RED", "GREEN", "BLUE")
                .map(symbol -> new GenericData.EnumSymbol(COLOR, symbol));
        Arbitrary<GenericRecord> nested = Combinators.combine(Arbitraries.longs(), strings.injectNull(0.3))
                .as((n, tag) -> new GenericRecordBuilder(NESTED).set("n", n).set("tag", tag).build());
        return Builders.withBuilder(() -> new GenericRecordBuilder(ALL_TYPES))
                .use(Arbitraries.integers()).in((b, v) -> b.set("i", v))
                .use(Arbitraries.longs()).in((b, v) -> b.set("l", v))
                .use(Arbitraries.floats()).in((b, v) -> b.set("f", v))
                .use(Arbitraries.doubles()).in((b, v) -> b.set("d", v))
                .use(Arbitraries.of(true, false)).in((b, v) -> b.set("b", v))
                .use(strings).in((b, v) -> b.set("s", v))
                .use(Arbitraries.bytes().array(byte[].class).ofMaxSize(16))
                .in((b, v) -> b.set("bytes", ByteBuffer.wrap(v)))
                .use(strings.injectNull(0.3)).in((b, v) -> b.set("optionalString", v))
                .use(colors).in((b, v) -> b.set("color", v))
                .use(colors.injectNull(0.3)).in((b, v) -> b.set("optionalColor", v))
                .use(Arbitraries.integers().list().ofMaxSize(5)).in((b, v) -> b.set("ints", v))
                .use(Arbitraries.maps(strings, strings).ofMaxSize(4)).in((b, v) -> b.set("labels", v))
                .use(nested).in((b, v) -> b.set("nested", v))
                .use(nested.injectNull(0.3)).in((b, v) -> b.set("optionalNested", v))
                .use(nested.list().ofMaxSize(3)).in((b, v) -> b.set("nestedList", v))
                .use(Arbitraries.longs()).in((b, v) -> b.set("at", v))
                .use(Arbitraries.longs().injectNull(0.3)).in((b, v) -> b.set("optionalAt", v))
                .use(Arbitraries.integers().between(-1_000_000, 1_000_000)).in((b, v) -> b.set("day", v))
                .use(Arbitraries.integers().between(0, 86_399_999)).in((b, v) -> b.set("timeOfDay", v))
                .use(Arbitraries.longs().between(-MAX_UNSCALED, MAX_UNSCALED))
                .in((b, v) -> b.set("amount", ByteBuffer.wrap(BigInteger.valueOf(v).toByteArray())))
                .build(GenericRecordBuilder::build);
    }
}
