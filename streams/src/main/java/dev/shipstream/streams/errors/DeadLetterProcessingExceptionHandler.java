package dev.shipstream.streams.errors;

import dev.shipstream.schemas.DeadLetterReason;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * Sends the input record of a processor that threw to the dead-letter topic as a {@link
 * DeadLetterReason#PROCESSING_FAILED} dead letter, with the raw bytes the task read, and carries on (KIP-1033).
 *
 * <p>A processor bug then costs one record, visible in the dead-letter topic and its metric, instead of a stream
 * thread stuck failing on the same record for ever. The message names the processor that failed.
 */
public final class DeadLetterProcessingExceptionHandler implements ProcessingExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingExceptionHandler.class);

    private DeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetters.fromConfigs(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        LOG.error("dead-lettering record {}-{}@{} after processor {} failed", context.topic(), context.partition(),
                context.offset(), context.processorNodeId(), exception);
        return Response.resume(List.of(deadLetters.producerRecord(FailedRecord.of(context),
                DeadLetterReason.PROCESSING_FAILED,
                DeadLetters.describe("processor " + context.processorNodeId() + " failed", exception), exception)));
    }
}
