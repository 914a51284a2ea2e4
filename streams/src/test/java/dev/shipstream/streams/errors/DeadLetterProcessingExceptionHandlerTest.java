package dev.shipstream.streams.errors;

import dev.shipstream.schemas.DeadLetter;
import dev.shipstream.schemas.DeadLetterReason;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterProcessingExceptionHandlerTest {

    private final DeadLetterFixture fixture = new DeadLetterFixture();
    private final DeadLetterProcessingExceptionHandler handler = new DeadLetterProcessingExceptionHandler();

    @Test
    void resumesAndDeadLettersTheSourceRecordNamingTheFailedProcessor() {
        handler.configure(fixture.configs());
        byte[] rawKey = "asc:builds:1".getBytes(StandardCharsets.UTF_8);
        byte[] rawValue = {0, 0, 0, 0, 1, 9, 9};

        ProcessingExceptionHandler.Response response = handler.handleError(
                new FakeErrorHandlerContext("shipstream.webhooks.raw", 2, 5L, "enrich", rawKey, rawValue),
                new Record<>("asc:builds:1", "an in-flight value", 1_000L),
                new IllegalStateException("bug"));

        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        DeadLetter letter = fixture.read(response.deadLetterQueueRecords().get(0));
        assertThat(letter.getReason()).isEqualTo(DeadLetterReason.PROCESSING_FAILED);
        assertThat(letter.getMessage()).startsWith("processor enrich failed: java.lang.IllegalStateException: bug");
        assertThat(letter.getExceptionClass()).isEqualTo(IllegalStateException.class.getName());
        assertThat(DeadLetterFixture.bytes(letter.getOriginalValue())).isEqualTo(rawValue);
        assertThat(DeadLetterFixture.bytes(letter.getKey())).isEqualTo(rawKey);
        assertThat(letter.getOffset()).isEqualTo(5L);
        assertThat(fixture.metrics.count(DeadLetterReason.PROCESSING_FAILED)).isEqualTo(1);
    }
}
