package dev.shipstream.streams.errors;

import dev.shipstream.schemas.DeadLetterReason;
import dev.shipstream.schemas.serde.SchemaRegistryException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends a record that Kafka Streams could not deserialize to the dead-letter topic as a {@link
 * DeadLetterReason#DESERIALIZATION_FAILED} dead letter with its original bytes and headers, and carries on with the
 * next record.
 *
 * <p>The pipeline reads raw webhooks as bytes and decodes them itself, so this is the safety net for any source
 * that is later read with a real deserializer. The dead letter goes out in the task's transaction (KIP-1034), so
 * under exactly-once the skip and the dead letter commit together.
 *
 * <p>A failure to fetch the writer's schema because the registry is unavailable ({@link DeadLetters#registryOutage})
 * is not the record's fault: the handler answers FAIL, so the stream thread is replaced and the record read again
 * from the last committed offset (see {@link DeadLetterProcessingExceptionHandler} for why FAIL is the retry).
 */
public final class DeadLetterDeserializationExceptionHandler implements DeserializationExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationExceptionHandler.class);

    private DeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = DeadLetters.fromConfigs(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                Exception exception) {
        Optional<SchemaRegistryException> outage = DeadLetters.registryOutage(exception);
        if (outage.isPresent()) {
            LOG.warn("schema registry unavailable while deserializing {}-{}@{}; failing the stream thread so the "
                            + "record is retried from the last commit, not dead-lettered: {}", record.topic(),
                    record.partition(), record.offset(), outage.get().getMessage());
            return Response.fail();
        }
        FailedRecord failed = new FailedRecord(record.topic(), record.partition(), record.offset(), record.key(),
                record.value(), record.headers());
        LOG.warn("dead-lettering undeserializable record {}-{}@{}: {}", record.topic(), record.partition(),
                record.offset(), exception.toString());
        try {
            return Response.resume(List.of(deadLetters.producerRecord(failed,
                    DeadLetterReason.DESERIALIZATION_FAILED,
                    DeadLetters.describe("could not deserialize", exception), exception)));
        } catch (RuntimeException e) {
            LOG.error("could not write the dead letter for {}-{}@{}; failing so the record is retried: {}",
                    record.topic(), record.partition(), record.offset(), e.toString());
            return Response.fail();
        }
    }
}
