package dev.shipstream.schemas.serde;

import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * Checks, without allocating anything, that an Avro binary datum can be decoded in memory proportional to its own
 * length; {@link AvroDeserializer} runs it before Avro decodes.
 *
 * <p>Avro's decoder trusts the lengths and counts the bytes declare: a string whose length varint says two billion
 * makes {@code BinaryDecoder.readString} allocate two billion bytes before it notices that the record has only a
 * few, and an array block of two billion items makes the reader allocate an array of that size. An
 * {@link OutOfMemoryError} is not an exception a Kafka Streams handler or a Connect converter can dead-letter: it
 * kills the thread, and the replacement dies on the same record. So this walks the datum along the writer's schema
 * and refuses it when
 * <ul>
 *   <li>a string, bytes or map-key length is negative or larger than the bytes that remain;</li>
 *   <li>an array or map block declares more items than bytes remain (each such item takes at least one byte), or,
 *       for items that take no bytes at all (nulls, empty records), more such items in the whole datum than it
 *       has bytes plus {@value #EMPTY_ITEM_ALLOWANCE};</li>
 *   <li>records, unions, arrays and maps are nested deeper than {@code maxDepth} (Avro's reader recurses once per
 *       level, so a deep or recursive datum would otherwise end in a {@link StackOverflowError});</li>
 *   <li>a varint is malformed, a union or enum index is out of range, or the bytes end before the datum does.</li>
 * </ul>
 * A datum that passes decodes into objects whose total size is bounded by a small multiple of its length.
 *
 * <p>Why not Avro's own limits ({@code org.apache.avro.limits.string.maxLength}, {@code .bytes.maxLength},
 * {@code .collectionItems.maxLength}, checked by {@code org.apache.avro.SystemLimitException}): they are JVM-wide
 * system properties, read once when that class is initialised, so a serde cannot set them reliably (whatever used
 * Avro first in the JVM fixed them), and they bound each length by a constant rather than by the record: under a
 * 1 MiB limit a 14-byte record still allocates a megabyte per string it declares. The only bound that is always right
 * is the record itself.
 */
final class DatumBounds {

    /** Items that take no bytes that any datum may declare, on top of one per byte of its length. */
    static final int EMPTY_ITEM_ALLOWANCE = 1024;

    private final byte[] data;
    private final int start;
    private final int end;
    private final int maxDepth;
    // Made when the first array is met: most records have none.
    private Map<Schema, Boolean> mayTakeNoBytes;
    private int position;
    // Items that take no bytes are charged one each against the datum's length (plus a small allowance).
    private long emptyItemBudget;

    private DatumBounds(byte[] data, int offset, int length, int maxDepth) {
        this.data = data;
        this.start = offset;
        this.position = offset;
        this.end = offset + length;
        this.maxDepth = maxDepth;
        this.emptyItemBudget = (long) length + EMPTY_ITEM_ALLOWANCE;
    }

    /**
     * Checks the datum of {@code length} bytes at {@code offset}, written with {@code writer}.
     *
     * @throws IllegalArgumentException saying which bound the datum exceeds and where
     */
    static void check(Schema writer, byte[] data, int offset, int length, int maxDepth) {
        new DatumBounds(data, offset, length, maxDepth).walk(writer, 1);
    }

    private void walk(Schema schema, int depth) {
        switch (schema.getType()) {
            case NULL -> {
            }
            case BOOLEAN -> skip(1, "a boolean");
            case INT -> readVarint(5);
            case LONG -> readVarint(10);
            case FLOAT -> skip(4, "a float");
            case DOUBLE -> skip(8, "a double");
            case STRING, BYTES -> skip(length(schema.getType() == Schema.Type.STRING ? "a string" : "bytes"),
                    "the declared length");
            case FIXED -> skip(schema.getFixedSize(), "a fixed");
            case ENUM -> index(schema.getEnumSymbols().size(), "an enum symbol");
            case UNION -> {
                nest(depth);
                int branch = index(schema.getTypes().size(), "a union branch");
                walk(schema.getTypes().get(branch), depth + 1);
            }
            case RECORD -> {
                nest(depth);
                for (Schema.Field field : schema.getFields()) {
                    walk(field.schema(), depth + 1);
                }
            }
            case ARRAY -> {
                nest(depth);
                items(schema.getElementType(), false, depth + 1);
            }
            case MAP -> {
                nest(depth);
                items(schema.getValueType(), true, depth + 1);
            }
        }
    }

    private void items(Schema item, boolean map, int depth) {
        boolean empty = !map && mayTakeNoBytes(item);
        for (long count = readVarint(10); count != 0; count = readVarint(10)) {
            if (count < 0) {
                // A negative count is followed by the block's size in bytes, which readers may use to skip it.
                count = -count;
                long blockBytes = readVarint(10);
                if (blockBytes < 0 || blockBytes > remaining()) {
                    throw exceeded("a block declares " + blockBytes + " bytes");
                }
            }
            if (count < 0) {
                throw exceeded("a block declares a negative number of items");
            }
            if (empty) {
                emptyItemBudget -= count;
                if (emptyItemBudget < 0) {
                    throw exceeded("arrays of items that take no bytes declare more of them than the datum's "
                            + "length plus " + EMPTY_ITEM_ALLOWANCE);
                }
            } else if (count > remaining()) {
                throw exceeded("a block declares " + count + " items, each of at least one byte");
            }
            for (long i = 0; i < count; i++) {
                if (map) {
                    skip(length("a map key"), "the declared length");
                }
                walk(item, depth);
            }
        }
    }

    /** Whether a value of this schema may be encoded in zero bytes; a record that contains itself is not. */
    private boolean mayTakeNoBytes(Schema schema) {
        return switch (schema.getType()) {
            case NULL -> true;
            case FIXED -> schema.getFixedSize() == 0;
            case RECORD -> {
                if (mayTakeNoBytes == null) {
                    mayTakeNoBytes = new IdentityHashMap<>();
                }
                Boolean known = mayTakeNoBytes.get(schema);
                if (known != null) {
                    yield known;
                }
                mayTakeNoBytes.put(schema, false);
                boolean empty = schema.getFields().stream().allMatch(field -> mayTakeNoBytes(field.schema()));
                mayTakeNoBytes.put(schema, empty);
                yield empty;
            }
            default -> false;
        };
    }

    private void nest(int depth) {
        if (depth > maxDepth) {
            throw exceeded("records, unions, arrays and maps are nested deeper than " + maxDepth + " levels");
        }
    }

    private int length(String what) {
        long length = readVarint(10);
        if (length < 0 || length > remaining()) {
            throw exceeded(what + " declares a length of " + length + " bytes");
        }
        return (int) length;
    }

    private int index(int size, String what) {
        long index = readVarint(5);
        if (index < 0 || index >= size) {
            throw exceeded(what + " index of " + index + " where there are " + size);
        }
        return (int) index;
    }

    private void skip(long bytes, String what) {
        if (bytes > remaining()) {
            throw exceeded(what + " needs " + bytes + " bytes");
        }
        position += (int) bytes;
    }

    /** Reads a zig-zag varint of at most {@code maxBytes} bytes, as Avro writes ints and longs. */
    private long readVarint(int maxBytes) {
        long raw = 0;
        for (int i = 0; i < maxBytes; i++) {
            if (position >= end) {
                throw exceeded("the bytes end inside a number");
            }
            byte b = data[position++];
            raw |= (long) (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw exceeded("a number is longer than " + maxBytes + " bytes");
    }

    private long remaining() {
        return end - position;
    }

    private IllegalArgumentException exceeded(String what) {
        return new IllegalArgumentException("Refused before decoding: " + what + " (at byte " + (position - start)
                + " of a " + (end - start) + "-byte datum)");
    }
}
