package dev.shipstream.streams.errors;

import dev.shipstream.schemas.DeadLetter;
import dev.shipstream.schemas.DeadLetterReason;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.SerializationExceptionOrigin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterProductionExceptionHandlerTest {

    private static final byte[] RAW_KEY = {'k'};
    private static final byte[] RAW_VALUE = {0, 0, 0, 0, 1, 7};

    private final DeadLetterFixture fixture = new DeadLetterFixture();
    private final DeadLetterProductionExceptionHandler handler = new DeadLetterProductionExceptionHandler();
    private final FakeErrorHandlerContext context =
            new FakeErrorHandlerContext("shipstream.webhooks.raw", 1, 99L, "delivery-events-sink", RAW_KEY, RAW_VALUE);
    private final ProducerRecord<byte[], byte[]> output =
            new ProducerRecord<>("shipstream.events", new byte[] {'o'}, new byte[] {1, 2, 3});

    @BeforeEach
    void configure() {
        handler.configure(fixture.configs());
    }

    @Test
    void aRecordTooLargeIsDeadLetteredWithTheInputBytesAndProcessingContinues() {
        ProductionExceptionHandler.Response response =
                handler.handleError(context, output, new RecordTooLargeException("too big"));

        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
        DeadLetter letter = fixture.read(response.deadLetterQueueRecords().get(0));
        assertThat(letter.getReason()).isEqualTo(DeadLetterReason.PRODUCTION_FAILED);
        assertThat(letter.getMessage()).contains("shipstream.events");
        assertThat(DeadLetterFixture.bytes(letter.getOriginalValue())).isEqualTo(RAW_VALUE);
        assertThat(fixture.metrics.count(DeadLetterReason.PRODUCTION_FAILED)).isEqualTo(1);
    }

    @Test
    void withoutASourceRecordTheOutputBytesAreKept() {
        FakeErrorHandlerContext punctuated =
                new FakeErrorHandlerContext(null, -1, -1L, "enrich", null, null);

        ProductionExceptionHandler.Response response =
                handler.handleError(punctuated, output, new RecordTooLargeException("too big"));

        DeadLetter letter = fixture.read(response.deadLetterQueueRecords().get(0));
        assertThat(DeadLetterFixture.bytes(letter.getOriginalValue())).isEqualTo(output.value());
        assertThat(DeadLetterFixture.bytes(letter.getKey())).isEqualTo(output.key());
        assertThat(letter.getTopic()).isEmpty();
    }

    @Test
    void aRetriableErrorIsRetried() {
        ProductionExceptionHandler.Response response =
                handler.handleError(context, output, new NotLeaderOrFollowerException("moved"));

        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RETRY);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    @Test
    void anyOtherErrorFailsWithoutDeadLetter() {
        ProductionExceptionHandler.Response response = handler.handleError(context, output,
                new TopicAuthorizationException(Set.of("shipstream.events")));

        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
        assertThat(fixture.metrics.count(DeadLetterReason.PRODUCTION_FAILED)).isZero();
    }

    @Test
    void aValueThatCannotBeSerializedIsASchemaViolation() {
        ProductionExceptionHandler.Response response = handler.handleSerializationError(context, output,
                new SerializationException("field newState is not a string"), SerializationExceptionOrigin.VALUE);

        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
        DeadLetter letter = fixture.read(response.deadLetterQueueRecords().get(0));
        assertThat(letter.getReason()).isEqualTo(DeadLetterReason.SCHEMA_VIOLATION);
        assertThat(letter.getMessage()).contains("could not serialize the value for shipstream.events");
        assertThat(DeadLetterFixture.bytes(letter.getOriginalValue())).isEqualTo(RAW_VALUE);
        assertThat(fixture.metrics.count(DeadLetterReason.SCHEMA_VIOLATION)).isEqualTo(1);
    }
}
