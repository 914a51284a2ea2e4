package dev.shipstream.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Small schemas, and evolutions of them, for the serde and registry tests. */
final class TestSchemas {

    /** Version 1 of a small record. */
    static final String PING_V1 = """
            {"type": "record", "name": "Ping", "namespace": "dev.shipstream.test", "fields": [
              {"name": "id", "type": "string"},
              {"name": "count", "type": "int"}
            ]}""";

    /** Version 1 with another field that has a default: readable both ways (FULL). */
    static final String PING_V2_OPTIONAL_NOTE = """
            {"type": "record", "name": "Ping", "namespace": "dev.shipstream.test", "fields": [
              {"name": "id", "type": "string"},
              {"name": "count", "type": "int"},
              {"name": "note", "type": ["null", "string"], "default": null}
            ]}""";

    /** Version 1 with a new field without default: cannot read version 1 data (not BACKWARD), FORWARD only. */
    static final String PING_V2_REQUIRED_HOST = """
            {"type": "record", "name": "Ping", "namespace": "dev.shipstream.test", "fields": [
              {"name": "id", "type": "string"},
              {"name": "count", "type": "int"},
              {"name": "host", "type": "string"}
            ]}""";

    /** Version 1 without count: it reads version 1 data (BACKWARD), version 1 cannot read its data (not FORWARD). */
    static final String PING_V2_WITHOUT_COUNT = """
            {"type": "record", "name": "Ping", "namespace": "dev.shipstream.test", "fields": [
              {"name": "id", "type": "string"}
            ]}""";

    /** Version 1 with count changed to a string: incompatible both ways. */
    static final String PING_V2_COUNT_AS_STRING = """
            {"type": "record", "name": "Ping", "namespace": "dev.shipstream.test", "fields": [
              {"name": "id", "type": "string"},
              {"name": "count", "type": "string"}
            ]}""";

    /**
     * Count as a string with a default: it reads data without count (so it is BACKWARD to {@link #PING_V2_WITHOUT_COUNT})
     * but not version 1 data, whose int count cannot become a string (so not BACKWARD_TRANSITIVE).
     */
    static final String PING_V3_COUNT_AS_STRING_WITH_DEFAULT = """
            {"type": "record", "name": "Ping", "namespace": "dev.shipstream.test", "fields": [
              {"name": "id", "type": "string"},
              {"name": "count", "type": "string", "default": "none"}
            ]}""";

    private TestSchemas() {
    }

    static Schema parse(String text) {
        return new Schema.Parser().parse(text);
    }

    static GenericRecord ping(String schema, String id, int count) {
        GenericRecord record = new GenericData.Record(parse(schema));
        record.put("id", id);
        record.put("count", count);
        return record;
    }
}
