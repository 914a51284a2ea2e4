package dev.shipstream.streams.errors;

import dev.shipstream.schemas.DeadLetterReason;
import dev.shipstream.schemas.serde.SchemaRegistryException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends the input record of a processor that threw to the dead-letter topic as a {@link
 * DeadLetterReason#PROCESSING_FAILED} dead letter, with the raw bytes and headers the task read, and carries on
 * (KIP-1033).
 *
 * <p>A processor bug then costs one record, visible in the dead-letter topic and its metric, instead of a stream
 * thread stuck failing on the same record for ever. The message names the processor that failed.
 *
 * <p><b>Except when the schema registry is unavailable</b> ({@link DeadLetters#registryOutage}): the record is
 * fine, so the handler answers FAIL and the record is retried. FAIL ends the stream thread; under
 * {@code exactly_once_v2} its open transaction is aborted and the record's offset is not committed, so the thread
 * that replaces it (see {@link RegistryOutageTolerance}) reads the record again from the last committed offset:
 * nothing is lost and nothing is half-written. The alternatives do not retry: RESUME skips the record, an exception
 * thrown from this handler is treated like FAIL, and Kafka Streams' own timeout retry ({@code task.timeout.ms})
 * only covers client calls, never exceptions from a processor, which come here first. The same holds when the dead
 * letter itself cannot be written.
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
        Optional<SchemaRegistryException> outage = DeadLetters.registryOutage(exception);
        if (outage.isPresent()) {
            LOG.warn("schema registry unavailable while processor {} handled {}-{}@{}; failing the stream thread so "
                            + "the record is retried from the last commit, not dead-lettered: {}",
                    context.processorNodeId(), context.topic(), context.partition(), context.offset(),
                    outage.get().getMessage());
            return Response.fail();
        }
        LOG.error("dead-lettering record {}-{}@{} after processor {} failed", context.topic(), context.partition(),
                context.offset(), context.processorNodeId(), exception);
        try {
            return Response.resume(List.of(deadLetters.producerRecord(FailedRecord.of(context),
                    DeadLetterReason.PROCESSING_FAILED,
                    DeadLetters.describe("processor " + context.processorNodeId() + " failed", exception),
                    exception)));
        } catch (RuntimeException e) {
            LOG.error("could not write the dead letter for {}-{}@{}; failing so the record is retried: {}",
                    context.topic(), context.partition(), context.offset(), e.toString());
            return Response.fail();
        }
    }
}
