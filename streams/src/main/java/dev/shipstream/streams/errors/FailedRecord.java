package dev.shipstream.streams.errors;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Where a failed record came from, its bytes and its headers as stored: what a dead letter needs so the record can
 * be found, repaired and replayed exactly as it was.
 *
 * @param topic     the topic it was read from
 * @param partition its partition
 * @param offset    its offset
 * @param key       its key bytes, or null
 * @param value     its value bytes, or null
 * @param headers   its headers (the dead-letter record carries them, so a replay restores them); never null
 * @param requestId the ingress request id of the webhook it came from, or null when it is not known (the raw
 *                  records carry it inside their Avro value, so only a stage that decoded one knows it)
 */
public record FailedRecord(String topic, int partition, long offset, byte[] key, byte[] value, Headers headers,
                           String requestId) {

    public FailedRecord {
        headers = headers == null ? new RecordHeaders() : headers;
    }

    /** A failed record whose request id is not known. */
    public FailedRecord(String topic, int partition, long offset, byte[] key, byte[] value, Headers headers) {
        this(topic, partition, offset, key, value, headers, null);
    }

    /** A failed record without headers whose request id is not known. */
    public FailedRecord(String topic, int partition, long offset, byte[] key, byte[] value) {
        this(topic, partition, offset, key, value, null, null);
    }

    /**
     * The source record of an exception handler's context.
     *
     * @param context the handler's context
     * @return the record the failing task read, with its raw key and value and its headers
     */
    public static FailedRecord of(ErrorHandlerContext context) {
        return new FailedRecord(context.topic(), context.partition(), context.offset(), context.sourceRawKey(),
                context.sourceRawValue(), context.headers());
    }
}
