package dev.shipstream.streams.errors;

import dev.shipstream.schemas.DeadLetter;
import dev.shipstream.schemas.DeadLetterReason;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeadLetterDeserializationExceptionHandlerTest {

    private final DeadLetterFixture fixture = new DeadLetterFixture();
    private final DeadLetterDeserializationExceptionHandler handler = new DeadLetterDeserializationExceptionHandler();

    @Test
    void resumesAndDeadLettersTheRecordWithItsBytes() {
        handler.configure(fixture.configs());
        byte[] key = "k1".getBytes(StandardCharsets.UTF_8);
        byte[] value = {0, 0, 0, 0, 42, 1, 2};
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("raw", 3, 17L, key, value);

        DeserializationExceptionHandler.Response response = handler.handleError(
                new FakeErrorHandlerContext("raw", 3, 17L, "source", key, value), record,
                new SerializationException("Schema id 42 was not found"));

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).hasSize(1);
        ProducerRecord<byte[], byte[]> out = response.deadLetterQueueRecords().get(0);
        assertThat(out.topic()).isEqualTo(DeadLetterFixture.TOPIC);
        assertThat(out.key()).isEqualTo(key);
        DeadLetter letter = fixture.read(out);
        assertThat(letter.getReason()).isEqualTo(DeadLetterReason.DESERIALIZATION_FAILED);
        assertThat(letter.getTopic()).isEqualTo("raw");
        assertThat(letter.getPartition()).isEqualTo(3);
        assertThat(letter.getOffset()).isEqualTo(17L);
        assertThat(DeadLetterFixture.bytes(letter.getKey())).isEqualTo(key);
        assertThat(DeadLetterFixture.bytes(letter.getOriginalValue())).isEqualTo(value);
        assertThat(letter.getExceptionClass()).isEqualTo(SerializationException.class.getName());
        assertThat(letter.getMessage()).contains("Schema id 42 was not found");
        assertThat(letter.getApplication()).isEqualTo(DeadLetterFixture.APPLICATION);
        assertThat(letter.getFailedAt()).isEqualTo(DeadLetterFixture.NOW);
        assertThat(fixture.metrics.count(DeadLetterReason.DESERIALIZATION_FAILED)).isEqualTo(1);
    }

    @Test
    void aRecordWithoutKeyOrValueIsStillDeadLettered() {
        handler.configure(fixture.configs());

        DeserializationExceptionHandler.Response response = handler.handleError(
                new FakeErrorHandlerContext("raw", 0, 0L, "source", null, null),
                new ConsumerRecord<>("raw", 0, 0L, null, null), new SerializationException("empty"));

        DeadLetter letter = fixture.read(response.deadLetterQueueRecords().get(0));
        assertThat(letter.getKey()).isNull();
        assertThat(letter.getOriginalValue()).isNull();
    }

    @Test
    void refusesToStartWithoutTheApplicationsDeadLetters() {
        assertThatThrownBy(() -> handler.configure(Map.of("application.id", "x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(DeadLetters.CONFIG);
    }
}
