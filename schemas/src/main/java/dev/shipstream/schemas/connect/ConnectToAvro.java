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
import static dev.shipstream.schemas.connect.AvroConnectData.NAMESPACE;
import static dev.shipstream.schemas.connect.AvroConnectData.RECORD_DOC_PARAMETER;
import static dev.shipstream.schemas.connect.AvroConnectData.capacityFor;
import static dev.shipstream.schemas.connect.AvroConnectData.copy;
import static dev.shipstream.schemas.connect.AvroConnectData.describe;
import static dev.shipstream.schemas.connect.AvroConnectData.isEnum;
import static dev.shipstream.schemas.connect.AvroConnectData.mismatch;
import static dev.shipstream.schemas.connect.AvroConnectData.rootPath;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * The Connect-to-Avro half of {@link AvroConnectData}, uncached: schemas (one instance per conversion, because
 * Avro needs every named type defined once and then referenced) and values.
 */
final class ConnectToAvro {

    private static final String DEFAULT_RECORD_NAME = "ConnectDefault";

    private final Map<String, NamedType> namedTypes = new HashMap<>();
    private int unnamedRecords;

    private record NamedType(Schema connect, org.apache.avro.Schema avro) {
    }

    private ConnectToAvro() {
    }

    /** The Avro schema of a Connect schema. */
    static org.apache.avro.Schema schema(Schema connect) {
        return new ConnectToAvro().convert(connect, rootPath(connect));
    }

    private org.apache.avro.Schema convert(Schema connect, String path) {
        org.apache.avro.Schema base = base(connect, path);
        if (!connect.isOptional()) {
            return base;
        }
        org.apache.avro.Schema nullSchema = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.NULL);
        return connect.defaultValue() != null
                ? org.apache.avro.Schema.createUnion(base, nullSchema)
                : org.apache.avro.Schema.createUnion(nullSchema, base);
    }

    private org.apache.avro.Schema base(Schema connect, String path) {
        String name = connect.name();
        org.apache.avro.Schema avro;
        try {
            switch (connect.type()) {
                case INT8:
                case INT16:
                    avro = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT);
                    avro.addProp(CONNECT_TYPE_PROP, connect.type() == Schema.Type.INT8 ? "int8" : "int16");
                    break;
                case INT32:
                    avro = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT);
                    if (Date.LOGICAL_NAME.equals(name)) {
                        LogicalTypes.date().addToSchema(avro);
                    } else if (Time.LOGICAL_NAME.equals(name)) {
                        LogicalTypes.timeMillis().addToSchema(avro);
                    }
                    break;
                case INT64:
                    avro = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.LONG);
                    if (Timestamp.LOGICAL_NAME.equals(name)) {
                        LogicalTypes.timestampMillis().addToSchema(avro);
                    }
                    break;
                case FLOAT32:
                    avro = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.FLOAT);
                    break;
                case FLOAT64:
                    avro = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.DOUBLE);
                    break;
                case BOOLEAN:
                    avro = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BOOLEAN);
                    break;
                case STRING:
                    if (isEnum(connect)) {
                        return enumSchema(connect, path);
                    }
                    avro = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.STRING);
                    break;
                case BYTES:
                    avro = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BYTES);
                    if (Decimal.LOGICAL_NAME.equals(name)) {
                        decimal(connect, path).addToSchema(avro);
                    }
                    break;
                case ARRAY:
                    avro = org.apache.avro.Schema.createArray(convert(connect.valueSchema(), path + "[]"));
                    break;
                case MAP:
                    if (connect.keySchema().type() != Schema.Type.STRING || connect.keySchema().isOptional()) {
                        throw new DataException(path + ": only maps with non-optional STRING keys are supported,"
                                + " not keys of " + describe(connect.keySchema()));
                    }
                    avro = org.apache.avro.Schema.createMap(convert(connect.valueSchema(), path + "[]"));
                    break;
                case STRUCT:
                    return recordSchema(connect, path);
                default:
                    throw new DataException(path + ": Connect type " + connect.type() + " is not supported");
            }
        } catch (AvroRuntimeException | IllegalArgumentException e) {
            throw new DataException(path + ": cannot express " + describe(connect) + " in Avro: "
                    + e.getMessage(), e);
        }
        addAvroProps(connect, avro);
        return avro;
    }

    private LogicalTypes.Decimal decimal(Schema connect, String path) {
        Map<String, String> parameters = connect.parameters();
        String precision = parameters.get(DECIMAL_PRECISION_PARAMETER);
        try {
            return LogicalTypes.decimal(
                    precision == null ? DEFAULT_DECIMAL_PRECISION : Integer.parseInt(precision),
                    Integer.parseInt(parameters.get(Decimal.SCALE_FIELD)));
        } catch (NumberFormatException e) {
            throw new DataException(path + ": invalid decimal precision or scale in " + parameters, e);
        }
    }

    private org.apache.avro.Schema enumSchema(Schema connect, String path) {
        Map<String, String> parameters = connect.parameters();
        String fullName = parameters.get(ENUM_PARAMETER);
        NamedType defined = namedTypes.get(fullName);
        if (defined != null) {
            return reuse(defined, connect, path);
        }
        String simpleName = simpleName(connect.name() != null ? connect.name() : fullName);
        String symbolPrefix = ENUM_PARAMETER + ".";
        List<String> symbols = new ArrayList<>();
        for (String key : parameters.keySet()) {
            if (key.startsWith(symbolPrefix)) {
                symbols.add(key.substring(symbolPrefix.length()));
            }
        }
        String doc = parameters.getOrDefault(ENUM_DOC_PARAMETER_PREFIX + simpleName, connect.doc());
        String enumDefault = parameters.get(ENUM_DEFAULT_PARAMETER_PREFIX + simpleName);
        org.apache.avro.Schema avro;
        try {
            avro = org.apache.avro.Schema.createEnum(simpleName(fullName), doc, namespace(fullName), symbols,
                    enumDefault);
        } catch (AvroRuntimeException e) {
            throw new DataException(path + ": cannot express enum " + fullName + " in Avro: " + e.getMessage(), e);
        }
        addAvroProps(connect, avro);
        namedTypes.put(fullName, new NamedType(connect, avro));
        return avro;
    }

    private org.apache.avro.Schema recordSchema(Schema connect, String path) {
        if ((NAMESPACE + ".Union").equals(connect.name())) {
            throw new DataException(path + ": Confluent's Avro union structs are not supported");
        }
        String fullName = connect.name();
        if (fullName == null) {
            unnamedRecords++;
            fullName = NAMESPACE + "." + DEFAULT_RECORD_NAME + (unnamedRecords == 1 ? "" : unnamedRecords);
        }
        NamedType defined = namedTypes.get(fullName);
        if (defined != null) {
            return reuse(defined, connect, path);
        }
        Map<String, String> parameters = connect.parameters() == null ? Map.of() : connect.parameters();
        org.apache.avro.Schema record;
        try {
            record = org.apache.avro.Schema.createRecord(simpleName(fullName),
                    parameters.getOrDefault(RECORD_DOC_PARAMETER, connect.doc()), namespace(fullName), false);
        } catch (AvroRuntimeException e) {
            throw new DataException(path + ": cannot express record " + fullName + " in Avro: "
                    + e.getMessage(), e);
        }
        namedTypes.put(fullName, new NamedType(connect, record));
        List<org.apache.avro.Schema.Field> fields = new ArrayList<>(connect.fields().size());
        for (Field field : connect.fields()) {
            String fieldPath = path + "." + field.name();
            Schema fieldSchema = field.schema();
            String doc = parameters.get(FIELD_DOC_PARAMETER_PREFIX + field.name());
            if (doc == null && fieldSchema.type() != Schema.Type.STRUCT && !isEnum(fieldSchema)) {
                // A record's or enum's own doc describes the type, not this field.
                doc = fieldSchema.doc();
            }
            org.apache.avro.Schema fieldAvro = convert(fieldSchema, fieldPath);
            Object fieldDefault;
            if (fieldSchema.defaultValue() != null) {
                fieldDefault = defaultToAvro(fieldSchema, fieldSchema.defaultValue());
            } else if (fieldSchema.isOptional()) {
                fieldDefault = JsonProperties.NULL_VALUE;
            } else {
                fieldDefault = null;
            }
            try {
                fields.add(new org.apache.avro.Schema.Field(field.name(), fieldAvro, doc, fieldDefault));
            } catch (AvroRuntimeException e) {
                throw new DataException(fieldPath + ": cannot express the field in Avro: " + e.getMessage(), e);
            }
        }
        try {
            record.setFields(fields);
        } catch (AvroRuntimeException e) {
            throw new DataException(path + ": cannot express record " + fullName + " in Avro: "
                    + e.getMessage(), e);
        }
        addAvroProps(connect, record);
        return record;
    }

    private static org.apache.avro.Schema reuse(NamedType defined, Schema connect, String path) {
        if (!sameDefinition(defined.connect(), connect)) {
            throw new DataException(path + ": two different Connect schemas both define the Avro type "
                    + defined.avro().getFullName());
        }
        return defined.avro();
    }

    private static void addAvroProps(Schema connect, org.apache.avro.Schema avro) {
        if (connect.parameters() == null) {
            return;
        }
        for (Map.Entry<String, String> parameter : connect.parameters().entrySet()) {
            if (parameter.getKey().startsWith(AVRO_PROP_PREFIX)) {
                avro.addProp(parameter.getKey(), parameter.getValue());
            }
        }
    }

    /**
     * Whether two Connect schemas describe the same named Avro type, whatever their optionality, defaults and
     * docs where they are used.
     */
    private static boolean sameDefinition(Schema a, Schema b) {
        if (a == b) {
            return true;
        }
        if (a.type() != b.type() || !Objects.equals(a.name(), b.name())
                || !parametersWithoutDefaultFlag(a).equals(parametersWithoutDefaultFlag(b))) {
            return false;
        }
        return a.type() != Schema.Type.STRUCT || a.fields().equals(b.fields());
    }

    private static Map<String, String> parametersWithoutDefaultFlag(Schema schema) {
        if (schema.parameters() == null) {
            return Map.of();
        }
        Map<String, String> parameters = new HashMap<>(schema.parameters());
        parameters.remove(FIELD_DEFAULT_FLAG_PARAMETER);
        return parameters;
    }

    /**
     * A Connect default value as the Java object Avro's {@link org.apache.avro.Schema.Field} turns into the JSON
     * default: numbers as the JSON parser would have read them, so that the regenerated field equals a parsed one.
     */
    private static Object defaultToAvro(Schema schema, Object value) {
        if (value == null) {
            return JsonProperties.NULL_VALUE;
        }
        String name = schema.name();
        switch (schema.type()) {
            case INT8:
            case INT16:
                return ((Number) value).intValue();
            case INT32:
                if (Date.LOGICAL_NAME.equals(name)) {
                    return Date.fromLogical(schema, (java.util.Date) value);
                }
                if (Time.LOGICAL_NAME.equals(name)) {
                    return Time.fromLogical(schema, (java.util.Date) value);
                }
                return value;
            case INT64: {
                long l = Timestamp.LOGICAL_NAME.equals(name)
                        ? Timestamp.fromLogical(schema, (java.util.Date) value)
                        : (Long) value;
                return l == (int) l ? (Object) (int) l : (Object) l;
            }
            case FLOAT32:
                return Double.valueOf(value.toString());
            case FLOAT64:
            case BOOLEAN:
            case STRING:
                return value;
            case BYTES:
                if (Decimal.LOGICAL_NAME.equals(name)) {
                    return Decimal.fromLogical(schema, (BigDecimal) value);
                }
                return value instanceof ByteBuffer buffer ? copy(buffer) : value;
            case ARRAY: {
                List<Object> elements = new ArrayList<>();
                for (Object element : (Collection<?>) value) {
                    elements.add(defaultToAvro(schema.valueSchema(), element));
                }
                return elements;
            }
            case MAP: {
                Map<String, Object> entries = new LinkedHashMap<>();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    entries.put((String) entry.getKey(), defaultToAvro(schema.valueSchema(), entry.getValue()));
                }
                return entries;
            }
            case STRUCT: {
                Struct struct = (Struct) value;
                Map<String, Object> fields = new LinkedHashMap<>();
                for (Field field : schema.fields()) {
                    fields.put(field.name(), defaultToAvro(field.schema(), struct.get(field)));
                }
                return fields;
            }
            default:
                throw new DataException("Connect type " + schema.type() + " is not supported");
        }
    }

    /**
     * Converts one Connect value of {@code schema} to the Avro value of {@code avro}, the schema {@link #schema}
     * made from it; a null for a non-optional schema with a default takes the default, as {@link Struct#get} does.
     */
    static Object fromConnectValue(Schema schema, org.apache.avro.Schema avro, Object value, String path) {
        if (value == null) {
            if (schema.isOptional()) {
                return null;
            }
            if (schema.defaultValue() == null) {
                throw new DataException(path + ": null is not valid for non-optional " + describe(schema));
            }
            value = schema.defaultValue();
        }
        org.apache.avro.Schema target = avro.getType() == org.apache.avro.Schema.Type.UNION
                ? nonNullMember(avro)
                : avro;
        String name = schema.name();
        switch (schema.type()) {
            case INT8:
                if (value instanceof Byte b) {
                    return (int) b;
                }
                throw mismatch(schema, value, "a Byte", path);
            case INT16:
                if (value instanceof Short s) {
                    return (int) s;
                }
                throw mismatch(schema, value, "a Short", path);
            case INT32:
                if (Date.LOGICAL_NAME.equals(name)) {
                    return Date.fromLogical(schema, dateValue(schema, value, path));
                }
                if (Time.LOGICAL_NAME.equals(name)) {
                    return Time.fromLogical(schema, dateValue(schema, value, path));
                }
                if (value instanceof Integer) {
                    return value;
                }
                throw mismatch(schema, value, "an Integer", path);
            case INT64:
                if (Timestamp.LOGICAL_NAME.equals(name)) {
                    return Timestamp.fromLogical(schema, dateValue(schema, value, path));
                }
                if (value instanceof Long) {
                    return value;
                }
                throw mismatch(schema, value, "a Long", path);
            case FLOAT32:
                if (value instanceof Float) {
                    return value;
                }
                throw mismatch(schema, value, "a Float", path);
            case FLOAT64:
                if (value instanceof Double) {
                    return value;
                }
                throw mismatch(schema, value, "a Double", path);
            case BOOLEAN:
                if (value instanceof Boolean) {
                    return value;
                }
                throw mismatch(schema, value, "a Boolean", path);
            case STRING: {
                if (!(value instanceof String string)) {
                    throw mismatch(schema, value, "a String", path);
                }
                if (target.getType() == org.apache.avro.Schema.Type.ENUM) {
                    if (!target.hasEnumSymbol(string)) {
                        throw new DataException(path + ": '" + string + "' is not a symbol of enum "
                                + target.getFullName() + " " + target.getEnumSymbols());
                    }
                    return new GenericData.EnumSymbol(target, string);
                }
                return string;
            }
            case BYTES:
                if (Decimal.LOGICAL_NAME.equals(name)) {
                    if (!(value instanceof BigDecimal decimal)) {
                        throw mismatch(schema, value, "a BigDecimal", path);
                    }
                    return ByteBuffer.wrap(Decimal.fromLogical(schema, decimal));
                }
                if (value instanceof byte[] bytes) {
                    return ByteBuffer.wrap(bytes);
                }
                if (value instanceof ByteBuffer buffer) {
                    return buffer.duplicate();
                }
                throw mismatch(schema, value, "a byte[] or ByteBuffer", path);
            case ARRAY: {
                if (!(value instanceof Collection<?> elements)) {
                    throw mismatch(schema, value, "a Collection", path);
                }
                GenericData.Array<Object> array = new GenericData.Array<>(elements.size(), target);
                int index = 0;
                for (Object element : elements) {
                    array.add(fromConnectValue(schema.valueSchema(), target.getElementType(), element,
                            path + "[" + index++ + "]"));
                }
                return array;
            }
            case MAP: {
                if (!(value instanceof Map<?, ?> entries)) {
                    throw mismatch(schema, value, "a Map", path);
                }
                Map<String, Object> map = new LinkedHashMap<>(capacityFor(entries.size()));
                for (Map.Entry<?, ?> entry : entries.entrySet()) {
                    if (!(entry.getKey() instanceof String key)) {
                        throw new DataException(path + ": map keys must be Strings, found "
                                + (entry.getKey() == null ? "null" : entry.getKey().getClass().getName()));
                    }
                    map.put(key, fromConnectValue(schema.valueSchema(), target.getValueType(), entry.getValue(),
                            path + "[" + key + "]"));
                }
                return map;
            }
            case STRUCT: {
                if (!(value instanceof Struct struct)) {
                    throw mismatch(schema, value, "a Struct", path);
                }
                if (struct.schema() != schema && !struct.schema().equals(schema)) {
                    throw new DataException(path + ": the Struct's schema " + describe(struct.schema())
                            + " is not the expected " + describe(schema));
                }
                GenericData.Record record = new GenericData.Record(target);
                for (Field field : schema.fields()) {
                    org.apache.avro.Schema.Field avroField = target.getField(field.name());
                    record.put(avroField.pos(), fromConnectValue(field.schema(), avroField.schema(),
                            struct.get(field), path + "." + field.name()));
                }
                return record;
            }
            default:
                throw new DataException(path + ": Connect type " + schema.type() + " is not supported");
        }
    }

    private static java.util.Date dateValue(Schema schema, Object value, String path) {
        if (value instanceof java.util.Date date) {
            return date;
        }
        throw mismatch(schema, value, "a java.util.Date", path);
    }

    private static org.apache.avro.Schema nonNullMember(org.apache.avro.Schema union) {
        for (org.apache.avro.Schema member : union.getTypes()) {
            if (member.getType() != org.apache.avro.Schema.Type.NULL) {
                return member;
            }
        }
        throw new DataException("The union " + union + " has no non-null member");
    }

    private static String simpleName(String fullName) {
        return fullName.substring(fullName.lastIndexOf('.') + 1);
    }

    private static String namespace(String fullName) {
        int dot = fullName.lastIndexOf('.');
        return dot < 0 ? null : fullName.substring(0, dot);
    }
}
