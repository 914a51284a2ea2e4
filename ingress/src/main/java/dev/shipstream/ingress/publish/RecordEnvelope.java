package dev.shipstream.ingress.publish;

import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.serde.WireFormat;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * How many bytes a raw-topic record may add to the body it carries, computed from the {@code RawWebhook} schema and
 * from what the ingress copies into it, so that the producer's {@code max.request.size} and the body limits can be
 * derived from each other: every body within its limit fits in a record, and a record that would not fit is refused
 * as too large (413) before it reaches the producer, never retried as unavailable.
 *
 * <p>The schema is walked field by field in Avro binary encoding (see the specification,
 * https://avro.apache.org/docs/1.12.0/specification/#binary-encoding): an int or a length takes at most 5 bytes, a
 * long 10, an enum or union index one byte (fewer than 64 symbols or branches), a string its length then its UTF-8
 * bytes, a map a block count, its entries and an end marker. What each string may hold:
 * <ul>
 *   <li>{@code endpointId} and {@code authentication.secretId}: the longest configured endpoint and secret id;
 *       {@code requestId}: a UUID, 36 characters;</li>
 *   <li>{@code contentType}, {@code userAgent}, {@code signature}, {@code providerRequestId} and the values of the
 *       {@code headers} map are copies of request headers, and the HTTP server refuses a request whose header block
 *       exceeds its maximum header size. Each header byte is decoded as one ISO-8859-1 character, at most two UTF-8
 *       bytes, so each copy of the header block is at most twice its size. The four fields share one such budget and
 *       the map's values another; {@code remoteAddress} gets a third (behind a trusted proxy it may come from a
 *       header); the map's keys are the allow-listed header names;</li>
 *   <li>{@code body}: only its length prefix is envelope.</li>
 * </ul>
 * A field added to the schema without a bound here fails {@link #of} with its name, so the envelope cannot silently
 * go stale. Kafka then adds its record batch header and the record's own framing (see the record batch format,
 * https://kafka.apache.org/documentation/#recordbatch): {@value #KAFKA_BATCH_OVERHEAD} and at most
 * {@value #KAFKA_RECORD_OVERHEAD} bytes, plus the key. Keys are entity keys, bounded here by {@value #KEY_ALLOWANCE}
 * bytes; a record with a longer key counts its real size against the limit.
 *
 * <p>Pure; the bound is checked against real encodings by {@code RecordEnvelopeProperties}. Sources of these facts:
 * {@code docs/sources.md}, "Record sizes and producer memory".
 */
public final class RecordEnvelope {

    /** Kafka's record batch header (v2), as in {@code DefaultRecordBatch.RECORD_BATCH_OVERHEAD}. */
    public static final int KAFKA_BATCH_OVERHEAD = 61;
    /**
     * Kafka's per-record framing upper bound, as in {@code DefaultRecord.MAX_RECORD_OVERHEAD}, plus the key and value
     * length varints (5 each) and the header count (1).
     */
    public static final int KAFKA_RECORD_OVERHEAD = 21 + 5 + 5 + 1;
    /** The key length the derived {@code max.request.size} makes room for. */
    public static final int KEY_ALLOWANCE = 1024;

    private static final int VARINT_INT = 5;
    private static final int VARINT_LONG = 10;
    private static final int UUID_CHARS = 36;
    private static final int UTF8_BYTES_PER_HEADER_BYTE = 2;
    private static final Set<String> HEADER_FIELDS = Set.of("contentType", "userAgent", "signature",
            "providerRequestId");

    private final int valueOverhead;

    private RecordEnvelope(int valueOverhead) {
        this.valueOverhead = valueOverhead;
    }

    /**
     * The envelope of this ingress.
     *
     * @param maxHeaderBytes the HTTP server's limit on a request's header block
     * @param endpointIds    every configured endpoint id
     * @param secretIds      every configured secret id
     * @param headerNames    the names of the headers copied into {@code RawWebhook.headers}
     * @throws IllegalStateException if the schema has a field this class does not know how to bound
     */
    public static RecordEnvelope of(int maxHeaderBytes, Collection<String> endpointIds, Collection<String> secretIds,
            Collection<String> headerNames) {
        return of(RawWebhook.getClassSchema(), maxHeaderBytes, endpointIds, secretIds, headerNames);
    }

    /** The envelope of {@code schema}, a version of {@code RawWebhook}'s; for tests of the walk itself. */
    static RecordEnvelope of(Schema schema, int maxHeaderBytes, Collection<String> endpointIds,
            Collection<String> secretIds, Collection<String> headerNames) {
        long headerCopy = (long) UTF8_BYTES_PER_HEADER_BYTE * maxHeaderBytes;
        Map<String, Long> strings = Map.of(
                "endpointId", (long) longest(endpointIds),
                "requestId", (long) UUID_CHARS,
                "remoteAddress", headerCopy,
                "authentication.secretId", (long) longest(secretIds));
        long keys = headerNames.stream().mapToLong(name -> VARINT_INT + utf8(name)).sum();
        // One block of at most one entry per allow-listed name, then the end marker; values share one header copy.
        long map = VARINT_LONG + keys + (long) VARINT_INT * headerNames.size() + headerCopy + 1;
        long bytes = WireFormat.HEADER_SIZE + headerCopy
                + record(schema, "", strings, map);
        return new RecordEnvelope(Math.toIntExact(bytes));
    }

    private static long record(Schema schema, String prefix, Map<String, Long> strings, long map) {
        long bytes = 0;
        for (Schema.Field field : schema.getFields()) {
            bytes += value(field.schema(), prefix + field.name(), strings, map);
        }
        return bytes;
    }

    private static long value(Schema schema, String path, Map<String, Long> strings, long map) {
        return switch (schema.getType()) {
            case NULL -> 0;
            case BOOLEAN -> 1;
            case INT -> VARINT_INT;
            case LONG -> VARINT_LONG;
            case ENUM -> oneByteIndex(schema.getEnumSymbols().size(), path);
            case UNION -> {
                long largest = 0;
                for (Schema branch : schema.getTypes()) {
                    largest = Math.max(largest, value(branch, path, strings, map));
                }
                yield oneByteIndex(schema.getTypes().size(), path) + largest;
            }
            case RECORD -> record(schema, path + ".", strings, map);
            case BYTES -> {
                if (!path.equals("body")) {
                    throw unbounded(path);
                }
                yield VARINT_INT;
            }
            case MAP -> {
                if (!path.equals("headers")) {
                    throw unbounded(path);
                }
                yield map;
            }
            case STRING -> {
                if (HEADER_FIELDS.contains(path)) {
                    // The shared header copy is added once, in of().
                    yield VARINT_INT;
                }
                Long bound = strings.get(path);
                if (bound == null) {
                    throw unbounded(path);
                }
                yield VARINT_INT + bound;
            }
            default -> throw unbounded(path);
        };
    }

    private static int oneByteIndex(int choices, String path) {
        // Zig-zag encoding puts indexes below 64 in one byte.
        if (choices > 64) {
            throw unbounded(path);
        }
        return 1;
    }

    private static IllegalStateException unbounded(String path) {
        return new IllegalStateException("RawWebhook field '" + path + "' has no size bound in RecordEnvelope: add"
                + " one, or records may exceed max.request.size");
    }

    /** The most bytes a {@code RawWebhook} value adds to its body, Confluent header included. */
    public int valueOverhead() {
        return valueOverhead;
    }

    /** The {@code max.request.size} that fits a body of {@code maxBodyBytes} with any envelope and key. */
    public long maxRequestSizeFor(long maxBodyBytes) {
        return maxBodyBytes + valueOverhead + KEY_ALLOWANCE + KAFKA_BATCH_OVERHEAD + KAFKA_RECORD_OVERHEAD;
    }

    /** The largest body that fits in a record under {@code maxRequestSize}. */
    public long maxBodyFor(long maxRequestSize) {
        return maxRequestSize - valueOverhead - KEY_ALLOWANCE - KAFKA_BATCH_OVERHEAD - KAFKA_RECORD_OVERHEAD;
    }

    /**
     * An upper bound of the size Kafka's producer checks against {@code max.request.size} for this key and value
     * (the producer's own estimate, {@code AbstractRecords.estimateSizeInBytesUpperBound}, is never larger).
     */
    public static int recordSize(byte[] key, byte[] value) {
        return KAFKA_BATCH_OVERHEAD + KAFKA_RECORD_OVERHEAD + (key == null ? 0 : key.length)
                + (value == null ? 0 : value.length);
    }

    /** The body size of a record, for messages. */
    static int bodySize(RawWebhook record) {
        return record.getBody() == null ? 0 : record.getBody().remaining();
    }

    private static int longest(Collection<String> values) {
        return values.stream().mapToInt(RecordEnvelope::utf8).max().orElse(0);
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
