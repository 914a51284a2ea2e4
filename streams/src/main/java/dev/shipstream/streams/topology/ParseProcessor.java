package dev.shipstream.streams.topology;

import dev.shipstream.schemas.DeadLetter;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.streams.errors.DeadLetters;
import dev.shipstream.streams.errors.FailedRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The first processor: raw-webhook bytes in; a {@link DeliveryEvent} keyed by its entity key out to
 * {@link Names#DEDUPLICATE}, or a {@link DeadLetter} with the record's exact bytes out to
 * {@link Names#DEAD_LETTER_SINK}. Every input record leaves by one of the two.
 */
final class ParseProcessor implements Processor<byte[], byte[], String, Object> {

    private final RawWebhookParser parser;
    private final DeadLetters deadLetters;
    private ProcessorContext<String, Object> context;

    ParseProcessor(RawWebhookParser parser, DeadLetters deadLetters) {
        this.parser = Objects.requireNonNull(parser, "parser");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        RecordMetadata metadata = context.recordMetadata().orElseThrow(
                () -> new IllegalStateException(Names.PARSE + " must be fed by a source node"));
        ParsedWebhook parsed = parser.parse(metadata.topic(), record.value());
        // Headers of the raw record (if any) are the ingress's business; downstream records carry their own.
        if (parsed instanceof ParsedWebhook.Event event) {
            DeliveryEvent value = event.event();
            context.forward(new Record<String, Object>(value.getEntityKey(), value, record.timestamp(),
                    new RecordHeaders()), Names.DEDUPLICATE);
            return;
        }
        ParsedWebhook.Failed failed = (ParsedWebhook.Failed) parsed;
        FailedRecord origin = new FailedRecord(metadata.topic(), metadata.partition(), metadata.offset(),
                record.key(), record.value(), record.headers(), failed.requestId());
        DeadLetter letter = deadLetters.letter(origin, failed.reason(), failed.message(), failed.cause(),
                context.currentSystemTimeMs());
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        // The dead letter keeps the raw record's headers, so a replay restores the record exactly.
        context.forward(new Record<String, Object>(key, letter, record.timestamp(), record.headers()),
                Names.DEAD_LETTER_SINK);
    }
}
