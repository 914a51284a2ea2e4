package dev.shipstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shipstream.schemas.AuthScheme;
import dev.shipstream.schemas.Authentication;
import dev.shipstream.schemas.DeadLetter;
import dev.shipstream.schemas.DeadLetterReason;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.ReleasedSchemas;
import dev.shipstream.schemas.Source;
import dev.shipstream.schemas.Topics;
import dev.shipstream.schemas.serde.AvroDeserializer;
import dev.shipstream.schemas.serde.AvroSerdeConfig;
import dev.shipstream.schemas.serde.AvroSerializer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How {@code tail deadletter} finds a dead letter's ingress request id: the letter's own field since DeadLetter v3,
 * and, for a letter written before, the request id inside its original raw record.
 */
class TailCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Object> REGISTRY = Map.of(
            AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, AvroSerdeConfig.MOCK_URL_PREFIX + "tail-command-test");

    private final AvroSerializer<Object> serializer = configured(new AvroSerializer<>());
    private final AvroDeserializer<GenericRecord> deserializer = configured(new AvroDeserializer<>());
    private final TailCommand tail = new TailCommand(TailCommand.Options.parse(List.of("deadletter")), "unused:9092",
            "unused", new PrintStream(OutputStream.nullOutputStream()));

    @AfterEach
    void close() {
        serializer.close();
        deserializer.close();
    }

    @Test
    void showsTheRequestIdTheDeadLetterCarries() throws Exception {
        DeadLetter letter = DeadLetter.newBuilder()
                .setTopic(Topics.WEBHOOKS_RAW.name()).setPartition(0).setOffset(7L)
                .setReason(DeadLetterReason.UNPARSEABLE_PAYLOAD).setMessage("could not normalise")
                .setFailedAt(Instant.parse("2026-12-01T00:00:00Z"))
                .setOriginalValue(ByteBuffer.wrap(raw("id-inside-the-raw-record")))
                .setRequestId("id-of-the-letter")
                .build();

        JsonNode line = line(serializer.serialize(Topics.DEADLETTER.name(), letter));

        assertThat(line.path("requestId").asText()).isEqualTo("id-of-the-letter");
        assertThat(line.path("originalBody").asText()).isEqualTo("{\"data\": ");
    }

    @Test
    void findsTheRequestIdOfALetterWrittenBeforeTheFieldInItsOriginalRawRecord() throws Exception {
        Schema v2 = ReleasedSchemas.of("DeadLetter").get(1);
        assertThat(v2.getField("requestId")).as("DeadLetter v2 has no requestId").isNull();
        GenericRecord letter = new GenericData.Record(v2);
        letter.put("topic", Topics.WEBHOOKS_RAW.name());
        letter.put("partition", 0);
        letter.put("offset", 7L);
        letter.put("reason", new GenericData.EnumSymbol(v2.getField("reason").schema(), "UNPARSEABLE_PAYLOAD"));
        letter.put("message", "could not normalise");
        letter.put("failedAt", Instant.parse("2026-12-01T00:00:00Z").toEpochMilli());
        letter.put("originalValue", ByteBuffer.wrap(raw("id-inside-the-raw-record")));

        JsonNode line = line(serializer.serialize(Topics.DEADLETTER.name(), letter));

        assertThat(line.path("requestId").asText()).isEqualTo("id-inside-the-raw-record");
    }

    private JsonNode line(byte[] value) throws Exception {
        return JSON.readTree(tail.line(new ConsumerRecord<>(Topics.DEADLETTER.name(), 0, 0L, null, value),
                deserializer));
    }

    private byte[] raw(String requestId) {
        RawWebhook webhook = RawWebhook.newBuilder()
                .setSource(Source.APP_STORE_CONNECT)
                .setEndpointId("default")
                .setReceivedAt(Instant.parse("2026-12-01T00:00:00Z"))
                .setRequestId(requestId)
                .setBody(ByteBuffer.wrap("{\"data\": ".getBytes(StandardCharsets.UTF_8)))
                .setAuthentication(new Authentication(AuthScheme.HMAC_SHA256, "s1"))
                .build();
        return serializer.serialize(Topics.WEBHOOKS_RAW.name(), webhook);
    }

    private static <T extends org.apache.kafka.common.serialization.Serializer<?>> T configured(T serializer) {
        serializer.configure(REGISTRY, false);
        return serializer;
    }

    private static <T extends org.apache.kafka.common.serialization.Deserializer<?>> T configured(T deserializer) {
        deserializer.configure(REGISTRY, false);
        return deserializer;
    }
}
