package dev.shipstream.connect.common;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * A delivery event's Connect {@link Struct} as plain Java values, the one view both rules (CEL) and templates
 * (Mustache) read: structs become maps in field order, arrays lists, integers {@code Long} (CEL's {@code int}),
 * timestamps ISO-8601 strings, absent optional values {@code null}. Pure; the result is unmodifiable.
 */
public final class EventFields {

    private EventFields() {
    }

    /** The event's fields by name, top level first; nested records as maps. */
    public static Map<String, Object> of(Struct event) {
        return struct(event);
    }

    private static Map<String, Object> struct(Struct struct) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Field field : struct.schema().fields()) {
            fields.put(field.name(), value(struct.get(field)));
        }
        return Collections.unmodifiableMap(fields);
    }

    private static Object value(Object value) {
        if (value instanceof Struct struct) {
            return struct(struct);
        }
        if (value instanceof Date date) {
            return Instant.ofEpochMilli(date.getTime()).toString();
        }
        if (value instanceof Byte || value instanceof Short || value instanceof Integer) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof List<?> list) {
            List<Object> items = new ArrayList<>(list.size());
            list.forEach(item -> items.add(value(item)));
            return Collections.unmodifiableList(items);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> entries = new LinkedHashMap<>();
            map.forEach((k, v) -> entries.put(String.valueOf(k), value(v)));
            return Collections.unmodifiableMap(entries);
        }
        return value;
    }
}
