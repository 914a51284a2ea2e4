package dev.shipstream.schemas.serde;

import java.io.Closeable;
import java.util.List;

/**
 * A client of the Confluent Schema Registry REST API, for Avro schemas.
 *
 * <p>Schemas travel as their JSON text (Confluent's {@code schema} field). Every method either returns the
 * registry's answer or throws {@link SchemaRegistryException}, which carries the HTTP status and Confluent's
 * {@code error_code} when the registry answered, and neither when it could not be reached.
 */
public interface SchemaRegistryClient extends Closeable {

    /** {@code POST /subjects/{subject}/versions}: registers the schema (or finds it) and returns its global id. */
    int register(String subject, String schema);

    /** {@code POST /subjects/{subject}}: the registered version of this exact schema under the subject. */
    RegisteredSchema lookup(String subject, String schema);

    /** {@code GET /schemas/ids/{id}}: the schema text with this global id. */
    String schemaById(int id);

    /** {@code GET /subjects/{subject}/versions/latest}. */
    RegisteredSchema latest(String subject);

    /** {@code GET /subjects/{subject}/versions/{version}}. */
    RegisteredSchema version(String subject, int version);

    /** {@code GET /subjects/{subject}/versions}: the version numbers, ascending. */
    List<Integer> versions(String subject);

    /** {@code GET /subjects}. */
    List<String> subjects();

    /**
     * {@code POST /compatibility/subjects/{subject}/versions/latest}: whether the schema could be registered
     * under the subject's compatibility level. A subject without versions is compatible with anything.
     */
    boolean isCompatible(String subject, String schema);

    /** {@code GET /config/{subject}} falling back to the global level ({@code GET /config}) when the subject has none. */
    CompatibilityLevel compatibility(String subject);

    /** {@code PUT /config/{subject}}. */
    void setCompatibility(String subject, CompatibilityLevel level);

    /** {@code GET /config}. */
    CompatibilityLevel globalCompatibility();

    /** {@code PUT /config}. */
    void setGlobalCompatibility(CompatibilityLevel level);

    @Override
    void close();
}
