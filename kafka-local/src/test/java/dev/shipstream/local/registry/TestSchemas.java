package dev.shipstream.local.registry;

/** Avro schemas of one record, {@code Order}, in the shapes the compatibility tests need. */
final class TestSchemas {

    static final String ORDER_ID = record("""
            {"name":"id","type":"string"}""");

    /** {@link #ORDER_ID} spelled with other whitespace and attribute order: the same schema. */
    static final String ORDER_ID_REFORMATTED = """
            {
              "type" : "record",
              "namespace" : "dev.shipstream.test",
              "name" : "Order",
              "fields" : [ { "type" : "string", "name" : "id" } ]
            }""";

    /** Adds a field with a default: compatible in both directions. */
    static final String WITH_OPTIONAL_NOTE = record("""
            {"name":"id","type":"string"},{"name":"note","type":"string","default":""}""");

    /** Adds a field without a default: old data cannot be read by it (not backward), old readers skip it. */
    static final String WITH_REQUIRED_AMOUNT = record("""
            {"name":"id","type":"string"},{"name":"amount","type":"int"}""");

    /** Changes the type of {@code id}: incompatible in both directions. */
    static final String ID_AS_LONG = record("""
            {"name":"id","type":"long"}""");

    private TestSchemas() {
    }

    static String record(String fields) {
        return "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"dev.shipstream.test\",\"fields\":["
                + fields + "]}";
    }
}
