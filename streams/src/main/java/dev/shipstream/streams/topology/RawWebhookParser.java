package dev.shipstream.streams.topology;

import dev.shipstream.schemas.DeadLetterReason;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.streams.errors.DeadLetters;
import dev.shipstream.streams.normalize.Normalization;
import dev.shipstream.streams.normalize.Normalizers;
import org.apache.kafka.common.serialization.Deserializer;

import java.util.Objects;

/**
 * Turns the value bytes of a raw-webhook record into a delivery event: decodes the {@link RawWebhook} (Confluent
 * wire format) and normalises it. Bytes that do not decode are {@link DeadLetterReason#DESERIALIZATION_FAILED}, a
 * webhook that does not normalise is {@link DeadLetterReason#UNPARSEABLE_PAYLOAD}. Throws only when the schema
 * registry is unavailable ({@link DeadLetters#registryOutage}): the record is fine then, and the processing exception
 * handler has Kafka Streams retry it instead of dead-lettering it. Decoding inside the topology rather than in
 * Kafka's deserializer lets the failure carry its reason and keeps the record's exact bytes at hand. Thread-safe if
 * the deserializer is.
 */
public final class RawWebhookParser {

    private final Deserializer<RawWebhook> deserializer;
    private final Normalizers normalizers;

    /**
     * @param deserializer decodes raw webhooks into the generated class
     * @param normalizers  normalises them
     */
    public RawWebhookParser(Deserializer<RawWebhook> deserializer, Normalizers normalizers) {
        this.deserializer = Objects.requireNonNull(deserializer, "deserializer");
        this.normalizers = Objects.requireNonNull(normalizers, "normalizers");
    }

    /**
     * Parses one record value.
     *
     * @param topic the topic it was read from (names the registry subject in errors)
     * @param value its value bytes
     * @return the event, or why there is none
     */
    public ParsedWebhook parse(String topic, byte[] value) {
        if (value == null || value.length == 0) {
            return new ParsedWebhook.Failed(DeadLetterReason.DESERIALIZATION_FAILED, "the record has no value", null);
        }
        RawWebhook webhook;
        try {
            webhook = deserializer.deserialize(topic, value);
        } catch (RuntimeException e) {
            if (DeadLetters.registryOutage(e).isPresent()) {
                throw e;
            }
            return new ParsedWebhook.Failed(DeadLetterReason.DESERIALIZATION_FAILED,
                    DeadLetters.describe("could not decode a RawWebhook", e), e);
        }
        Normalization normalization = normalizers.normalize(webhook);
        if (normalization instanceof Normalization.Normalized normalized) {
            return new ParsedWebhook.Event(normalized.event());
        }
        return new ParsedWebhook.Failed(DeadLetterReason.UNPARSEABLE_PAYLOAD,
                "could not normalise the " + (webhook == null ? "webhook" : webhook.getSource() + " webhook") + ": "
                        + ((Normalization.Unparseable) normalization).reason(), null,
                webhook == null ? null : webhook.getRequestId());
    }
}
