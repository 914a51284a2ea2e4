package dev.shipstream.streams.errors;

import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Where a failed record came from and its bytes as stored: what a dead letter needs so the record can be found,
 * repaired and replayed.
 *
 * @param topic     the topic it was read from
 * @param partition its partition
 * @param offset    its offset
 * @param key       its key bytes, or null
 * @param value     its value bytes, or null
 */
public record FailedRecord(String topic, int partition, long offset, byte[] key, byte[] value) {

    /**
     * The source record of an exception handler's context.
     *
     * @param context the handler's context
     * @return the record the failing task read, with its raw key and value
     */
    public static FailedRecord of(ErrorHandlerContext context) {
        return new FailedRecord(context.topic(), context.partition(), context.offset(), context.sourceRawKey(),
                context.sourceRawValue());
    }
}
