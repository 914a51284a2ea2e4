package dev.shipstream.schemas.connect;

import static dev.shipstream.schemas.connect.AvroConnectData.AVRO_PROP_PREFIX;
import static dev.shipstream.schemas.connect.AvroConnectData.CONNECT_TYPE_PROP;
import static dev.shipstream.schemas.connect.AvroConnectData.DECIMAL_PRECISION_PARAMETER;
import static dev.shipstream.schemas.connect.AvroConnectData.DEFAULT_DECIMAL_PRECISION;
import static dev.shipstream.schemas.connect.AvroConnectData.ENUM_DEFAULT_PARAMETER_PREFIX;
import static dev.shipstream.schemas.connect.AvroConnectData.ENUM_DOC_PARAMETER_PREFIX;
import static dev.shipstream.schemas.connect.AvroConnectData.ENUM_PARAMETER;
import static dev.shipstream.schemas.connect.AvroConnectData.FIELD_DEFAULT_FLAG_PARAMETER;
import static dev.shipstream.schemas.connect.AvroConnectData.FIELD_DOC_PARAMETER_PREFIX;
import static dev.shipstream.schemas.connect.AvroConnectData.RECORD_DOC_PARAMETER;
import static dev.shipstream.schemas.connect.AvroConnectData.capacityFor;
import static dev.shipstream.schemas.connect.AvroConnectData.copy;
import static dev.shipstream.schemas.connect.AvroConnectData.describe;
import static dev.shipstream.schemas.connect.AvroConnectData.isEnum;
import static dev.shipstream.schemas.connect.AvroConnectData.mismatch;
import static dev.shipstream.schemas.connect.AvroConnectData.rootPath;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.avro.JsonProperties;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * The Avro-to-Connect half of {@link AvroConnectData}, uncached: schemas (one instance per conversion, which
 * tracks the records being converted to reject recursion) and values.
 */
final class AvroToConnect {

    private static final String LOGICAL_TYPE_PROP = "logicalType";

    private final Deque<String> recordsInProgress = new ArrayDeque<>();

    private AvroToConnect() {
    }

    /** The Connect schema of an Avro schema; {@code version}, if any, goes on the top-level schema. */
    static Schema schema(org.apache.avro.Schema avro, Integer version) {
        return new AvroToConnect().convert(avro, false, null, version, rootPath(avro));
    }

    private Schema convert(org.apache.avro.Schema avro, boolean optional, Object fieldDefault, Integer version,
                           String path) {
        SchemaBuilder builder;
        String logicalType = avro.getProp(LOGICAL_TYPE_PROP);
        switch (avro.getType()) {
            case UNION:
                return optionalMember(avro, fieldDefault, version, path);
            case NULL:
                throw new DataException(path + ": a standalone null schema has no Connect equivalent;"
                        + " null is supported only in a union [\"null\", T]");
            case BOOLEAN:
                builder = SchemaBuilder.bool();
                break;
            case INT:
                builder = intBuilder(avro, logicalType, path);
                break;
            case LONG:
                builder = "timestamp-millis".equals(logicalType) ? Timestamp.builder() : SchemaBuilder.int64();
                break;
            case FLOAT:
                builder = SchemaBuilder.float32();
                break;
            case DOUBLE:
                builder = SchemaBuilder.float64();
                break;
            case STRING:
                builder = SchemaBuilder.string();
                break;
            case BYTES:
                builder = "decimal".equals(logicalType) ? decimalBuilder(avro, path) : SchemaBuilder.bytes();
                break;
            case ARRAY:
                builder = SchemaBuilder.array(convert(avro.getElementType(), false, null, null, path + "[]"));
                break;
            case MAP:
                builder = SchemaBuilder.map(Schema.STRING_SCHEMA,
                        convert(avro.getValueType(), false, null, null, path + "[]"));
                break;
            case ENUM:
                builder = enumBuilder(avro);
                break;
            case RECORD:
                builder = recordBuilder(avro, path);
                break;
            default:
                throw new DataException(path + ": Avro type " + avro.getType().getName()
                        + " is not supported by this converter (" + avro + ")");
        }
        for (Map.Entry<String, Object> prop : avro.getObjectProps().entrySet()) {
            if (prop.getKey().startsWith(AVRO_PROP_PREFIX) && prop.getValue() instanceof String value) {
                builder.parameter(prop.getKey(), value);
            }
        }
        if (isPresent(fieldDefault)) {
            builder.parameter(FIELD_DEFAULT_FLAG_PARAMETER, "true");
            builder.defaultValue(toConnectValue(builder, fieldDefault, path + " (default)", true));
        }
        if (version != null && builder.version() == null) {
            builder.version(version);
        }
        if (optional) {
            builder.optional();
        }
        return builder.build();
    }

    private Schema optionalMember(org.apache.avro.Schema union, Object fieldDefault, Integer version,
                                  String path) {
        List<org.apache.avro.Schema> members = union.getTypes();
        long nulls = members.stream().filter(m -> m.getType() == org.apache.avro.Schema.Type.NULL).count();
        if (members.size() != 2 || nulls != 1) {
            throw new DataException(path + ": only unions of null and one other type are supported, not "
                    + union);
        }
        boolean nullFirst = members.get(0).getType() == org.apache.avro.Schema.Type.NULL;
        org.apache.avro.Schema member = members.get(nullFirst ? 1 : 0);
        // A union's default belongs to its first member, so only [T, "null"] can have a non-null default.
        return convert(member, true, nullFirst ? null : fieldDefault, version, path);
    }

    private SchemaBuilder intBuilder(org.apache.avro.Schema avro, String logicalType, String path) {
        if ("date".equals(logicalType)) {
            return Date.builder();
        }
        if ("time-millis".equals(logicalType)) {
            return Time.builder();
        }
        String connectType = avro.getProp(CONNECT_TYPE_PROP);
        if (connectType == null) {
            return SchemaBuilder.int32();
        }
        return switch (connectType) {
            case "int8" -> SchemaBuilder.int8();
            case "int16" -> SchemaBuilder.int16();
            default -> throw new DataException(path + ": unknown " + CONNECT_TYPE_PROP + " '" + connectType
                    + "' on an Avro int");
        };
    }

    private SchemaBuilder decimalBuilder(org.apache.avro.Schema avro, String path) {
        Object scale = avro.getObjectProp("scale");
        Object precision = avro.getObjectProp("precision");
        if ((scale != null && !(scale instanceof Integer)) || (precision != null && !(precision instanceof Integer))) {
            throw new DataException(path + ": decimal scale and precision must be integers in " + avro);
        }
        SchemaBuilder builder = Decimal.builder(scale == null ? 0 : (Integer) scale);
        if (precision != null && (Integer) precision != DEFAULT_DECIMAL_PRECISION) {
            builder.parameter(DECIMAL_PRECISION_PARAMETER, precision.toString());
        }
        return builder;
    }

    private SchemaBuilder enumBuilder(org.apache.avro.Schema avro) {
        SchemaBuilder builder = SchemaBuilder.string().name(avro.getFullName());
        if (avro.getDoc() != null) {
            builder.doc(avro.getDoc());
            builder.parameter(ENUM_DOC_PARAMETER_PREFIX + avro.getName(), avro.getDoc());
        }
        if (avro.getEnumDefault() != null) {
            builder.parameter(ENUM_DEFAULT_PARAMETER_PREFIX + avro.getName(), avro.getEnumDefault());
        }
        builder.parameter(ENUM_PARAMETER, avro.getFullName());
        for (String symbol : avro.getEnumSymbols()) {
            builder.parameter(ENUM_PARAMETER + "." + symbol, symbol);
        }
        return builder;
    }

    private SchemaBuilder recordBuilder(org.apache.avro.Schema avro, String path) {
        String fullName = avro.getFullName();
        if (recordsInProgress.contains(fullName)) {
            throw new DataException(path + ": record " + fullName + " contains itself; recursive schemas"
                    + " are not supported by this converter");
        }
        recordsInProgress.push(fullName);
        try {
            SchemaBuilder builder = SchemaBuilder.struct().name(fullName);
            if (avro.getDoc() != null) {
                builder.doc(avro.getDoc());
                builder.parameter(RECORD_DOC_PARAMETER, avro.getDoc());
            }
            for (org.apache.avro.Schema.Field field : avro.getFields()) {
                if (field.doc() != null) {
                    builder.parameter(FIELD_DOC_PARAMETER_PREFIX + field.name(), field.doc());
                }
                Object fieldDefault = field.hasDefaultValue() ? field.defaultVal() : null;
                builder.field(field.name(),
                        convert(field.schema(), false, fieldDefault, null, path + "." + field.name()));
            }
            return builder;
        } finally {
            recordsInProgress.pop();
        }
    }

    /**
     * Converts one Avro value to the Connect value of {@code schema}. With {@code fromDefault}, the value is an
     * Avro field default as {@link org.apache.avro.Schema.Field#defaultVal()} gives it: any number for numeric
     * types, a {@link Map} for a record, a {@code byte[]} for bytes.
     */
    static Object toConnectValue(Schema schema, Object value, String path, boolean fromDefault) {
        if (value == null || value == JsonProperties.NULL_VALUE) {
            if (schema.isOptional()) {
                return null;
            }
            throw new DataException(path + ": null is not valid for non-optional " + describe(schema));
        }
        String name = schema.name();
        switch (schema.type()) {
            case INT8: {
                int i = intValue(schema, value, path, fromDefault);
                if (i < Byte.MIN_VALUE || i > Byte.MAX_VALUE) {
                    throw new DataException(path + ": " + i + " does not fit INT8");
                }
                return (byte) i;
            }
            case INT16: {
                int i = intValue(schema, value, path, fromDefault);
                if (i < Short.MIN_VALUE || i > Short.MAX_VALUE) {
                    throw new DataException(path + ": " + i + " does not fit INT16");
                }
                return (short) i;
            }
            case INT32:
                if (Date.LOGICAL_NAME.equals(name)) {
                    int days = value instanceof LocalDate date
                            ? Math.toIntExact(date.toEpochDay())
                            : intValue(schema, value, path, fromDefault);
                    return Date.toLogical(schema, days);
                }
                if (Time.LOGICAL_NAME.equals(name)) {
                    int millis = value instanceof LocalTime time
                            ? (int) (time.toNanoOfDay() / 1_000_000L)
                            : intValue(schema, value, path, fromDefault);
                    return Time.toLogical(schema, millis);
                }
                return intValue(schema, value, path, fromDefault);
            case INT64: {
                if (Timestamp.LOGICAL_NAME.equals(name)) {
                    long millis = value instanceof Instant instant
                            ? instant.toEpochMilli()
                            : longValue(schema, value, path, fromDefault);
                    return Timestamp.toLogical(schema, millis);
                }
                return longValue(schema, value, path, fromDefault);
            }
            case FLOAT32:
                if (value instanceof Float || (fromDefault && value instanceof Number)) {
                    return ((Number) value).floatValue();
                }
                throw mismatch(schema, value, "a Float", path);
            case FLOAT64:
                if (value instanceof Double || (fromDefault && value instanceof Number)) {
                    return ((Number) value).doubleValue();
                }
                throw mismatch(schema, value, "a Double", path);
            case BOOLEAN:
                if (value instanceof Boolean) {
                    return value;
                }
                throw mismatch(schema, value, "a Boolean", path);
            case STRING:
                return stringValue(schema, value, path);
            case BYTES:
                return Decimal.LOGICAL_NAME.equals(name)
                        ? decimalValue(schema, value, path)
                        : bytesValue(schema, value, path);
            case ARRAY: {
                if (!(value instanceof Collection<?> elements)) {
                    throw mismatch(schema, value, "a Collection", path);
                }
                List<Object> converted = new ArrayList<>(elements.size());
                int index = 0;
                for (Object element : elements) {
                    converted.add(toConnectValue(schema.valueSchema(), element, path + "[" + index++ + "]",
                            fromDefault));
                }
                return converted;
            }
            case MAP: {
                if (!(value instanceof Map<?, ?> entries)) {
                    throw mismatch(schema, value, "a Map", path);
                }
                Map<String, Object> converted = new LinkedHashMap<>(capacityFor(entries.size()));
                for (Map.Entry<?, ?> entry : entries.entrySet()) {
                    if (!(entry.getKey() instanceof CharSequence key)) {
                        throw new DataException(path + ": map keys must be strings, found "
                                + (entry.getKey() == null ? "null" : entry.getKey().getClass().getName()));
                    }
                    String keyString = key.toString();
                    converted.put(keyString, toConnectValue(schema.valueSchema(), entry.getValue(),
                            path + "[" + keyString + "]", fromDefault));
                }
                return converted;
            }
            case STRUCT:
                return structValue(schema, value, path, fromDefault);
            default:
                throw new DataException(path + ": Connect type " + schema.type() + " is not supported");
        }
    }

    private static Struct structValue(Schema schema, Object value, String path, boolean fromDefault) {
        Struct struct = new Struct(schema);
        if (value instanceof IndexedRecord record) {
            org.apache.avro.Schema recordSchema = record.getSchema();
            if (!Objects.equals(recordSchema.getFullName(), schema.name())) {
                throw new DataException(path + ": expected a record " + schema.name() + " but found a record "
                        + recordSchema.getFullName());
            }
            for (Field field : schema.fields()) {
                org.apache.avro.Schema.Field avroField = recordSchema.getField(field.name());
                Object fieldValue = avroField == null ? null : record.get(avroField.pos());
                struct.put(field, toConnectValue(field.schema(), fieldValue, path + "." + field.name(), fromDefault));
            }
            return struct;
        }
        if (fromDefault && value instanceof Map<?, ?> fields) {
            for (Field field : schema.fields()) {
                struct.put(field, toConnectValue(field.schema(), fields.get(field.name()), path + "." + field.name(),
                        true));
            }
            return struct;
        }
        throw mismatch(schema, value, "an Avro record", path);
    }

    private static String stringValue(Schema schema, Object value, String path) {
        String string;
        if (value instanceof CharSequence || value instanceof GenericEnumSymbol<?>) {
            string = value.toString();
        } else if (value instanceof Enum<?> constant) {
            string = constant.name();
        } else {
            throw mismatch(schema, value, "a CharSequence or an enum symbol", path);
        }
        if (isEnum(schema) && !schema.parameters().containsKey(ENUM_PARAMETER + "." + string)) {
            throw new DataException(path + ": '" + string + "' is not a symbol of enum "
                    + schema.parameters().get(ENUM_PARAMETER));
        }
        return string;
    }

    private static ByteBuffer bytesValue(Schema schema, Object value, String path) {
        if (value instanceof byte[] bytes) {
            return ByteBuffer.wrap(bytes);
        }
        if (value instanceof ByteBuffer buffer) {
            // Struct.getBytes() returns the backing array, so hand out a buffer whose array is exactly the value.
            boolean exact = buffer.hasArray() && buffer.arrayOffset() == 0 && buffer.position() == 0
                    && buffer.remaining() == buffer.array().length;
            return exact ? buffer : ByteBuffer.wrap(copy(buffer));
        }
        throw mismatch(schema, value, "a ByteBuffer or byte[]", path);
    }

    private static BigDecimal decimalValue(Schema schema, Object value, String path) {
        if (value instanceof BigDecimal decimal) {
            int scale = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
            try {
                return decimal.setScale(scale, RoundingMode.UNNECESSARY);
            } catch (ArithmeticException e) {
                throw new DataException(path + ": " + decimal + " does not have the schema's scale " + scale, e);
            }
        }
        if (value instanceof byte[] || value instanceof ByteBuffer) {
            byte[] bytes = value instanceof byte[] array ? array : copy((ByteBuffer) value);
            if (bytes.length == 0) {
                throw new DataException(path + ": an empty byte sequence is not a decimal");
            }
            return Decimal.toLogical(schema, bytes);
        }
        throw mismatch(schema, value, "a BigDecimal, ByteBuffer or byte[]", path);
    }

    private static int intValue(Schema schema, Object value, String path, boolean fromDefault) {
        if (value instanceof Integer i) {
            return i;
        }
        if (fromDefault && value instanceof Number n) {
            return n.intValue();
        }
        throw mismatch(schema, value, "an Integer", path);
    }

    private static long longValue(Schema schema, Object value, String path, boolean fromDefault) {
        if (value instanceof Long l) {
            return l;
        }
        if (fromDefault && value instanceof Number n) {
            return n.longValue();
        }
        throw mismatch(schema, value, "a Long", path);
    }

    private static boolean isPresent(Object avroDefault) {
        return avroDefault != null && avroDefault != JsonProperties.NULL_VALUE;
    }
}
