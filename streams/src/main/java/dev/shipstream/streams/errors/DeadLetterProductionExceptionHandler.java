package dev.shipstream.streams.errors;

import dev.shipstream.schemas.DeadLetterReason;
import dev.shipstream.schemas.serde.SchemaRegistryException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Decides what happens when an output record cannot be written.
 *
 * <ul>
 *   <li>The record is too large for the broker: no retry can fix that, so the input record goes to the dead-letter
 *       topic ({@link DeadLetterReason#PRODUCTION_FAILED}) and processing continues.</li>
 *   <li>The record cannot be serialized (it violates its schema, or the registry refuses it): dead letter
 *       {@link DeadLetterReason#SCHEMA_VIOLATION}, continue.</li>
 *   <li>The record cannot be serialized because the schema registry is unavailable ({@link
 *       DeadLetters#registryOutage}): fail, so the stream thread is replaced and the input record retried from the
 *       last commit; the output is fine and must not be dead-lettered (see
 *       {@link DeadLetterProcessingExceptionHandler} for why FAIL is the retry).</li>
 *   <li>A retriable error (e.g. a leader change): retry.</li>
 *   <li>Anything else (authorization, a fenced producer, ...): fail, so the uncaught-exception handler decides; the
 *       record is not lost because its offset is not committed.</li>
 * </ul>
 * The dead letter carries the input record's raw bytes when the task knows them, the output bytes otherwise.
 */
public final class DeadLetterProductionExceptionHandler implements ProductionExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProductionExceptionHandler.class);

    private DeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetters.fromConfigs(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
                                Exception exception) {
        if (exception instanceof RecordTooLargeException) {
            LOG.warn("dead-lettering record {}-{}@{}: its output to {} is too large", context.topic(),
                    context.partition(), context.offset(), record.topic());
            return deadLetter(context, failed(context, record.key(), record.value()),
                    DeadLetterReason.PRODUCTION_FAILED,
                    DeadLetters.describe("could not write to " + record.topic(), exception), exception);
        }
        if (exception instanceof RetriableException) {
            return Response.retry();
        }
        LOG.error("failing: could not write a record to {}", record.topic(), exception);
        return Response.fail();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        Optional<SchemaRegistryException> outage = DeadLetters.registryOutage(exception);
        if (outage.isPresent()) {
            LOG.warn("schema registry unavailable while serializing the {} of an output of {}-{}@{} to {}; failing "
                            + "the stream thread so the record is retried from the last commit, not dead-lettered: {}",
                    origin, context.topic(), context.partition(), context.offset(), record.topic(),
                    outage.get().getMessage());
            return Response.fail();
        }
        LOG.warn("dead-lettering record {}-{}@{}: its output {} to {} cannot be serialized: {}", context.topic(),
                context.partition(), context.offset(), origin, record.topic(), exception.toString());
        return deadLetter(context, failed(context, null, null), DeadLetterReason.SCHEMA_VIOLATION,
                DeadLetters.describe("could not serialize the " + origin.name().toLowerCase(Locale.ROOT)
                        + " for " + record.topic(), exception), exception);
    }

    private Response deadLetter(ErrorHandlerContext context, FailedRecord failed, DeadLetterReason reason,
                                String message, Exception exception) {
        try {
            return Response.resume(List.of(deadLetters.producerRecord(failed, reason, message, exception)));
        } catch (RuntimeException e) {
            LOG.error("could not write the dead letter for {}-{}@{}; failing so the record is retried: {}",
                    context.topic(), context.partition(), context.offset(), e.toString());
            return Response.fail();
        }
    }

    private static FailedRecord failed(ErrorHandlerContext context, byte[] fallbackKey, byte[] fallbackValue) {
        // Records emitted from a punctuator (e.g. held enrichments) have no source record.
        byte[] key = context.sourceRawKey() != null ? context.sourceRawKey() : fallbackKey;
        byte[] value = context.sourceRawValue() != null ? context.sourceRawValue() : fallbackValue;
        return new FailedRecord(context.topic(), context.partition(), context.offset(), key, value,
                context.headers());
    }
}
