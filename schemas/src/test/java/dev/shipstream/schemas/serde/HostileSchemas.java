package dev.shipstream.schemas.serde;

/** Schema texts built to make a parser or a reader of the schema work too hard. */
public final class HostileSchemas {

    private HostileSchemas() {
    }

    /** {@code depth} arrays, each the item type of the one around it. */
    public static String nestedArrays(int depth) {
        return "{\"type\":\"array\",\"items\":".repeat(depth) + "\"int\"" + "}".repeat(depth);
    }

    /**
     * A top-level union of {@code count} records, each the field type of the next: shallow as JSON, {@code count}
     * levels deep as a schema.
     */
    public static String chainOfRecords(int count) {
        StringBuilder text = new StringBuilder("[{\"type\":\"record\",\"name\":\"A0\",\"fields\":[]}");
        for (int i = 1; i < count; i++) {
            text.append(",{\"type\":\"record\",\"name\":\"A").append(i)
                    .append("\",\"fields\":[{\"name\":\"f\",\"type\":\"A").append(i - 1).append("\"}]}");
        }
        return text.append("]").toString();
    }

    /** A top-level union of {@code count} enums: many named types, no depth. */
    public static String manyEnums(int count) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            text.append(i == 0 ? "" : ",").append("{\"type\":\"enum\",\"name\":\"E").append(i)
                    .append("\",\"symbols\":[\"X\"]}");
        }
        return text.append("]").toString();
    }

    /**
     * {@code levels} records, each with two fields of the type of the one before: {@code 2^levels} paths through a
     * schema of linear size.
     */
    public static String doublingRecords(int levels) {
        StringBuilder text = new StringBuilder("[{\"type\":\"record\",\"name\":\"D0\",\"fields\":[]}");
        for (int i = 1; i < levels; i++) {
            text.append(",{\"type\":\"record\",\"name\":\"D").append(i).append("\",\"fields\":[")
                    .append("{\"name\":\"a\",\"type\":\"D").append(i - 1).append("\"},")
                    .append("{\"name\":\"b\",\"type\":\"D").append(i - 1).append("\"}]}");
        }
        return text.append("]").toString();
    }
}
