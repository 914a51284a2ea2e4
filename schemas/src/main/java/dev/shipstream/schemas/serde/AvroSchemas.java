package dev.shipstream.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.AvroRuntimeException;

/** Parsing of registry schema text, shared by the registry clients and the serde. */
final class AvroSchemas {

    /** Confluent's error code for an invalid schema. */
    static final int INVALID_SCHEMA = 42201;

    private AvroSchemas() {
    }

    /**
     * Parses one schema with a fresh parser (so names from other schemas never leak in), validating names and
     * defaults, within {@link SchemaLimits}.
     *
     * @throws SchemaRegistryException 422 / 42201 when the text is not a valid Avro schema
     */
    static Schema parse(String text) {
        if (text == null || text.isBlank()) {
            throw new SchemaRegistryException("Invalid schema: empty schema text", 422, INVALID_SCHEMA);
        }
        try {
            return SchemaLimits.parse(text);
        } catch (AvroRuntimeException | IllegalArgumentException e) {
            throw new SchemaRegistryException("Invalid schema: " + e.getMessage(), 422, INVALID_SCHEMA);
        }
    }
}
