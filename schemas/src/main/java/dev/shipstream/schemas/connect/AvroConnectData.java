package dev.shipstream.schemas.connect;

import dev.shipstream.schemas.serde.BoundedCache;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;

import org.apache.avro.generic.GenericData;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Converts Avro schemas and data to Kafka Connect schemas and data and back, the way Confluent's
 * {@code io.confluent.connect.avro.AvroData} does, so that a sink task sees the same {@link Struct}s under this
 * project's {@link AvroConverter} as under Confluent's.
 *
 * <p>Supported Avro types, and what they become in Connect:
 * <ul>
 *   <li>{@code record}: a STRUCT named with the record's full name, documented with the record's doc; field docs
 *       and the record doc are also kept as Confluent's {@code io.confluent.connect.avro.field.doc.<field>} and
 *       {@code io.confluent.connect.avro.record.doc} parameters;</li>
 *   <li>{@code int, long, float, double, boolean, string, bytes}: INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING,
 *       BYTES ({@link ByteBuffer} values, as Confluent's);</li>
 *   <li>{@code ["null", T]} (either order): T made optional; a non-null field default of {@code [T, "null"]} is
 *       kept;</li>
 *   <li>{@code enum}: a STRING named with the enum's full name, with the parameters
 *       {@value #ENUM_PARAMETER} = full name, {@code io.confluent.connect.avro.Enum.<SYMBOL>} = symbol for each
 *       symbol in order, {@code io.confluent.connect.avro.enum.doc.<Name>} and
 *       {@code io.confluent.connect.avro.enum.default.<Name>};</li>
 *   <li>{@code array}: ARRAY; {@code map}: MAP with non-optional STRING keys;</li>
 *   <li>logical types {@code timestamp-millis}, {@code date}, {@code time-millis} and {@code decimal} (on bytes):
 *       Connect's {@link Timestamp}, {@link Date}, {@link Time} and {@link Decimal}, with
 *       {@code java.util.Date} and {@link BigDecimal} values; other logical types map to their underlying type;</li>
 *   <li>Avro field defaults become Connect schema defaults (flagged with {@value #FIELD_DEFAULT_FLAG_PARAMETER});
 *       Avro properties whose name starts with {@code avro} (e.g. {@code avro.java.string}) become parameters.</li>
 * </ul>
 * Connect's INT8 and INT16 go to Avro {@code int} with Confluent's {@code connect.type} property, and come back.
 * Fixed, other unions, standalone null, recursive records and maps with non-string keys are rejected with a
 * {@link DataException}, as are values that do not match their schema; messages name the offending field path.
 *
 * <p>Unlike Confluent's converter with its defaults, {@link #fromConnectSchema} adds no {@code connect.*}
 * properties ({@code connect.name}, {@code connect.version}, {@code connect.parameters}, ...) to the Avro schemas
 * it generates: everything our contracts need survives in Connect parameters, so converting an Avro schema to
 * Connect and back gives an Avro schema equal to the original, docs and defaults included, and records a sink
 * writes back are registered under the same schema id. What Avro cannot express is lost on the way back: names of
 * non-record Connect schemas other than the logical types, Connect docs of primitive schemas other than as field
 * docs, and Connect schema versions. Avro aliases, field properties and properties not starting with {@code avro}
 * are not carried over.
 *
 * <p>Converted schemas are cached in two bounded LRU caches (one per direction); instances are thread-safe.
 */
public final class AvroConnectData {

    /** Confluent's namespace for its Connect parameters and default record names. */
    public static final String NAMESPACE = "io.confluent.connect.avro";
    /** Parameter on a STRING schema that came from an Avro enum: the enum's full name. */
    public static final String ENUM_PARAMETER = NAMESPACE + ".Enum";
    /** Parameter on a STRUCT schema: the Avro record's doc. */
    public static final String RECORD_DOC_PARAMETER = NAMESPACE + ".record.doc";
    /** Prefix of STRUCT parameters holding an Avro field's doc, followed by the field name. */
    public static final String FIELD_DOC_PARAMETER_PREFIX = NAMESPACE + ".field.doc.";
    /** Prefix of enum STRING parameters holding the enum's doc, followed by the enum's simple name. */
    public static final String ENUM_DOC_PARAMETER_PREFIX = NAMESPACE + ".enum.doc.";
    /** Prefix of enum STRING parameters holding the enum's default symbol, followed by the enum's simple name. */
    public static final String ENUM_DEFAULT_PARAMETER_PREFIX = NAMESPACE + ".enum.default.";
    /** Parameter set to {@code "true"} on a schema whose default value came from an Avro field default. */
    public static final String FIELD_DEFAULT_FLAG_PARAMETER = NAMESPACE + ".field.default";
    /** Parameter on a {@link Decimal} schema: the Avro precision, when not {@value #DEFAULT_DECIMAL_PRECISION}. */
    public static final String DECIMAL_PRECISION_PARAMETER = "connect.decimal.precision";
    /** The Avro decimal precision assumed when a Connect {@link Decimal} schema names none (Confluent's). */
    public static final int DEFAULT_DECIMAL_PRECISION = 64;
    /** The number of schemas each cache holds unless told otherwise (Confluent's {@code schemas.cache.config}). */
    public static final int DEFAULT_CACHE_SIZE = 1000;

    /** Confluent's Avro property recording a Connect INT8 or INT16 on an Avro int. */
    static final String CONNECT_TYPE_PROP = "connect.type";
    /** Avro properties with names starting so are carried as Connect parameters and back, as Confluent does. */
    static final String AVRO_PROP_PREFIX = "avro";

    private final BoundedCache<AvroSchemaKey, Schema> toConnectCache;
    private final BoundedCache<Schema, org.apache.avro.Schema> fromConnectCache;

    /** A converter caching up to {@value #DEFAULT_CACHE_SIZE} schemas in each direction. */
    public AvroConnectData() {
        this(DEFAULT_CACHE_SIZE);
    }

    /** A converter caching up to {@code cacheSize} schemas in each direction. */
    public AvroConnectData(int cacheSize) {
        this.toConnectCache = new BoundedCache<>(cacheSize);
        this.fromConnectCache = new BoundedCache<>(cacheSize);
    }

    /** The Connect schema for an Avro schema. */
    public Schema toConnectSchema(org.apache.avro.Schema avroSchema) {
        return toConnectSchema(avroSchema, null);
    }

    /**
     * The Connect schema for an Avro schema, with {@code version} (e.g. the registry's version of the schema
     * under its subject) as the top-level schema's version unless the schema is a logical type with its own.
     */
    public Schema toConnectSchema(org.apache.avro.Schema avroSchema, Integer version) {
        Objects.requireNonNull(avroSchema, "avroSchema");
        return toConnectCache.computeIfAbsent(new AvroSchemaKey(avroSchema, version),
                key -> AvroToConnect.schema(avroSchema, version));
    }

    /**
     * Converts an Avro value ({@link org.apache.avro.generic.GenericRecord}, {@link
     * org.apache.avro.specific.SpecificRecord}, or a value of a non-record schema as Avro's generic or specific
     * data represents it) to Connect data. A null value gives {@link SchemaAndValue#NULL}.
     */
    public SchemaAndValue toConnectData(org.apache.avro.Schema avroSchema, Object avroValue) {
        return toConnectData(avroSchema, avroValue, null);
    }

    /**
     * As {@link #toConnectData(org.apache.avro.Schema, Object)}, with a version as in
     * {@link #toConnectSchema(org.apache.avro.Schema, Integer)}.
     */
    public SchemaAndValue toConnectData(org.apache.avro.Schema avroSchema, Object avroValue, Integer version) {
        Objects.requireNonNull(avroSchema, "avroSchema");
        if (avroValue == null) {
            return SchemaAndValue.NULL;
        }
        Schema schema = toConnectSchema(avroSchema, version);
        Object value = AvroToConnect.toConnectValue(schema, avroValue, rootPath(avroSchema), false);
        return new SchemaAndValue(schema, value);
    }

    /**
     * The Avro schema for a Connect schema; for a schema that {@link #toConnectSchema} made, it equals the
     * original Avro schema. An optional schema becomes a union with null: {@code ["null", T]} with default null,
     * or {@code [T, "null"]} when the Connect schema has a default.
     */
    public org.apache.avro.Schema fromConnectSchema(Schema connectSchema) {
        Objects.requireNonNull(connectSchema, "connectSchema: schemaless data is not supported");
        return fromConnectCache.computeIfAbsent(connectSchema, key -> ConnectToAvro.schema(connectSchema));
    }

    /**
     * Converts a Connect value of {@code connectSchema} to Avro: a {@link GenericData.Record} for a STRUCT, with
     * {@link GenericData.EnumSymbol}s for enum strings, {@link Long} / {@link Integer} / {@link ByteBuffer} for
     * the logical types, {@link GenericData.Array}s and {@link Map}s; the value itself for primitive schemas. A
     * null value (a tombstone) gives null whatever the schema.
     */
    public Object fromConnectData(Schema connectSchema, Object connectValue) {
        if (connectValue == null) {
            return null;
        }
        if (connectSchema == null) {
            throw new DataException("Schemaless Connect data (" + connectValue.getClass().getName()
                    + ") is not supported: a Connect schema is required to produce Avro");
        }
        org.apache.avro.Schema avroSchema = fromConnectSchema(connectSchema);
        return ConnectToAvro.fromConnectValue(connectSchema, avroSchema, connectValue, rootPath(connectSchema));
    }

    static boolean isEnum(Schema schema) {
        return schema.type() == Schema.Type.STRING && schema.parameters() != null
                && schema.parameters().containsKey(ENUM_PARAMETER);
    }

    static DataException mismatch(Schema schema, Object value, String expected, String path) {
        return new DataException(path + ": expected " + expected + " for " + describe(schema) + " but found "
                + value.getClass().getName());
    }

    static String describe(Schema schema) {
        String optional = schema.isOptional() ? "optional " : "";
        return schema.name() == null ? optional + schema.type() : optional + schema.type() + " " + schema.name();
    }

    static String rootPath(org.apache.avro.Schema avro) {
        return switch (avro.getType()) {
            case RECORD, ENUM, FIXED -> avro.getFullName();
            default -> avro.getType().getName();
        };
    }

    static String rootPath(Schema connect) {
        return connect.name() != null ? connect.name() : connect.type().getName();
    }

    static byte[] copy(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    static int capacityFor(int size) {
        return (int) Math.ceil(size / 0.75) + 1;
    }

    /**
     * Cache key for Avro schemas. {@link org.apache.avro.Schema#equals} ignores docs, and the Connect schema
     * carries them, so equal schemas also need equal JSON; the same instance, the usual case, skips both checks.
     */
    private static final class AvroSchemaKey {
        private final org.apache.avro.Schema schema;
        private final Integer version;

        AvroSchemaKey(org.apache.avro.Schema schema, Integer version) {
            this.schema = schema;
            this.version = version;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof AvroSchemaKey other) || !Objects.equals(version, other.version)) {
                return false;
            }
            return schema == other.schema
                    || (schema.equals(other.schema) && schema.toString().equals(other.schema.toString()));
        }

        @Override
        public int hashCode() {
            return 31 * schema.hashCode() + Objects.hashCode(version);
        }
    }
}
