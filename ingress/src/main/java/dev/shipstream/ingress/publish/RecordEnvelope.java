package dev.shipstream.ingress.publish;

import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.serde.WireFormat;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * How many bytes a raw-topic record may add to the body it carries, worked out from the {@code RawWebhook} schema and
 * from what the ingress copies into it, so that the producer's {@code max.request.size} and the body limits can be
 * derived from each other: every body within its limit fits in a record, and a record that would not fit is refused
 * as too large (413) before it reaches the producer, never retried as unavailable.
 *
 * <p>The worst case, field by field of {@code RawWebhook} in Avro binary encoding (variable-length ints: at most 5
 * bytes for an int, 10 for a long; a string is its length as a varint, then its UTF-8 bytes):
 * <ul>
 *   <li>the Confluent wire-format header: 5 bytes;</li>
 *   <li>{@code source} and {@code authentication.scheme} (enums) and the index of each of the five optional
 *       ({@code ["null","string"]}) fields: one byte each;</li>
 *   <li>{@code receivedAt}: a long, 10; {@code requestId}: a UUID, 36 characters;</li>
 *   <li>{@code endpointId} and {@code authentication.secretId}: the longest configured endpoint and secret id;</li>
 *   <li>{@code contentType}, {@code userAgent}, {@code signature}, {@code providerRequestId} and the values of the
 *       {@code headers} map are copies of request headers, and Vert.x refuses a request whose header block exceeds
 *       its maximum header size. Each header byte is decoded as one ISO-8859-1 character, which is at most two
 *       UTF-8 bytes, so each copy of the header block is at most twice its size. The fields and the map are two
 *       copies; {@code remoteAddress} is counted as a third (behind a trusted proxy it may come from a header);</li>
 *   <li>the map's keys are the allow-listed header names; its block count and end marker, a few bytes;</li>
 *   <li>the body's length prefix, 5.</li>
 * </ul>
 * Kafka then adds its record batch header and the record's own framing (see the record batch format,
 * https://kafka.apache.org/documentation/#recordbatch): {@value #KAFKA_BATCH_OVERHEAD} and at most
 * {@value #KAFKA_RECORD_OVERHEAD} bytes, plus the key. Keys are entity keys, bounded here by
 * {@value #KEY_ALLOWANCE} bytes; a record with a longer key counts its real size against the limit.
 *
 * <p>Pure; the numbers are checked against real encodings by {@code RecordEnvelopeProperties}.
 */
public final class RecordEnvelope {

    /** Kafka's record batch header (v2), as in {@code DefaultRecordBatch.RECORD_BATCH_OVERHEAD}. */
    public static final int KAFKA_BATCH_OVERHEAD = 61;
    /** Kafka's per-record framing upper bound, as in {@code DefaultRecord.MAX_RECORD_OVERHEAD}, plus the key and
     * value length varints (5 each) and the header count (1). */
    public static final int KAFKA_RECORD_OVERHEAD = 21 + 5 + 5 + 1;
    /** The key length the derived {@code max.request.size} makes room for. */
    public static final int KEY_ALLOWANCE = 1024;

    private static final int VARINT_INT = 5;
    private static final int VARINT_LONG = 10;
    private static final int UUID_CHARS = 36;
    private static final int HEADER_COPIES = 3;
    private static final int UTF8_BYTES_PER_HEADER_BYTE = 2;
    // source, scheme, five union indexes, the map's block count (at most 8 entries, 1 byte) and end marker.
    private static final int ONE_BYTE_FIELDS = 2 + 5 + 2;

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
     */
    public static RecordEnvelope of(int maxHeaderBytes, Collection<String> endpointIds, Collection<String> secretIds,
            Collection<String> headerNames) {
        long bytes = WireFormat.HEADER_SIZE + ONE_BYTE_FIELDS;
        bytes += VARINT_LONG;
        bytes += VARINT_INT + UUID_CHARS;
        bytes += VARINT_INT + longest(endpointIds);
        bytes += VARINT_INT + longest(secretIds);
        for (String name : headerNames) {
            bytes += VARINT_INT + utf8(name);
        }
        // Every header-derived string: five fields and one map value per name, each with its length varint.
        bytes += (long) VARINT_INT * (5 + headerNames.size());
        bytes += (long) HEADER_COPIES * UTF8_BYTES_PER_HEADER_BYTE * maxHeaderBytes;
        bytes += VARINT_INT;
        return new RecordEnvelope(Math.toIntExact(bytes));
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
