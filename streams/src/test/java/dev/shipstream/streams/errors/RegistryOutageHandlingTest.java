package dev.shipstream.streams.errors;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.shipstream.schemas.DeadLetter;
import dev.shipstream.schemas.DeadLetterReason;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.serde.AvroDeserializer;
import dev.shipstream.schemas.serde.AvroSerializer;
import dev.shipstream.schemas.serde.HttpSchemaRegistryClient;
import dev.shipstream.schemas.serde.SchemaRegistryUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.SerializationExceptionOrigin;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The exception handlers against the failures a real registry client throws (a WireMock registry answering
 * 503, 429 or too slowly versus 404 or 422): an unavailable registry makes them FAIL, so Kafka Streams retries the
 * record, and never dead-letters it; a registry that knows the schema or id to be wrong still dead-letters it.
 */
class RegistryOutageHandlingTest {

    private static final byte[] RAW_VALUE = {0, 0, 0, 0, 7, 2, 'h', 'i'};
    private static final String RAW_TOPIC = "shipstream.webhooks.raw";

    @RegisterExtension
    static WireMockExtension registry = WireMockExtension.newInstance()
            .options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort())
            .build();

    private final DeadLetterFixture fixture = new DeadLetterFixture();
    private final HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(List.of(registry.baseUrl()),
            new HttpSchemaRegistryClient.Options(Duration.ofSeconds(1), Duration.ofMillis(300), 1,
                    Duration.ofMillis(1), Duration.ofMillis(2)));
    private final FakeErrorHandlerContext context =
            new FakeErrorHandlerContext(RAW_TOPIC, 0, 41L, "parse", new byte[] {'k'}, RAW_VALUE);

    @AfterEach
    void closeClient() {
        client.close();
    }

    @ParameterizedTest(name = "registry answers {0}")
    @ValueSource(strings = {"503", "429", "timeout"})
    void anUnavailableRegistryFailsEveryHandlerAndDeadLettersNothing(String answer) {
        stubRegistry(answer);
        Exception readFailure = failureOf(() -> new AvroDeserializer<RawWebhook>(client).deserialize(RAW_TOPIC,
                RAW_VALUE));
        Exception writeFailure = failureOf(() -> new AvroSerializer<DeadLetter>(client, Map.of())
                .serialize("shipstream.events", sampleLetter()));

        assertThat(processing().handleError(context, new Record<>("k", RAW_VALUE, 1L), readFailure).result())
                .isEqualTo(ProcessingExceptionHandler.Result.FAIL);
        assertThat(deserialization().handleError(context, consumed(), readFailure).result())
                .isEqualTo(DeserializationExceptionHandler.Result.FAIL);
        assertThat(production().handleSerializationError(context, new ProducerRecord<>("shipstream.events", "v"),
                writeFailure, SerializationExceptionOrigin.VALUE).result())
                .isEqualTo(ProductionExceptionHandler.Result.FAIL);
        assertThat(deadLettersCounted()).isZero();
    }

    @ParameterizedTest(name = "registry answers {0}")
    @ValueSource(strings = {"404", "422"})
    void aRegistryThatRefusesTheSchemaStillDeadLettersTheRecord(String answer) {
        stubRegistry(answer);
        Exception readFailure = failureOf(() -> new AvroDeserializer<RawWebhook>(client).deserialize(RAW_TOPIC,
                RAW_VALUE));
        Exception writeFailure = failureOf(() -> new AvroSerializer<DeadLetter>(client, Map.of())
                .serialize("shipstream.events", sampleLetter()));

        ProcessingExceptionHandler.Response processed =
                processing().handleError(context, new Record<>("k", RAW_VALUE, 1L), readFailure);
        DeserializationExceptionHandler.Response deserialized =
                deserialization().handleError(context, consumed(), readFailure);
        ProductionExceptionHandler.Response produced = production().handleSerializationError(context,
                new ProducerRecord<>("shipstream.events", "v"), writeFailure, SerializationExceptionOrigin.VALUE);

        assertThat(processed.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        assertThat(deserialized.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(produced.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
        assertThat(fixture.read(processed.deadLetterQueueRecords().get(0)).getOriginalValue().remaining())
                .isEqualTo(RAW_VALUE.length);
        assertThat(fixture.metrics.count(DeadLetterReason.PROCESSING_FAILED)).isEqualTo(1);
        assertThat(fixture.metrics.count(DeadLetterReason.DESERIALIZATION_FAILED)).isEqualTo(1);
        assertThat(fixture.metrics.count(DeadLetterReason.SCHEMA_VIOLATION)).isEqualTo(1);
    }

    @Test
    void aDeadLetterThatCannotBeWrittenWhileTheRegistryIsDownFailsInsteadOfThrowing() {
        stubRegistry("503");
        DeadLetters unregistered = new DeadLetters("test.deadletter", "test-app",
                new AvroSerializer<>(client, Map.of()), new DeadLetterMetrics(new SimpleMeterRegistry()),
                Clock.systemUTC());
        Map<String, Object> configs = Map.of(DeadLetters.CONFIG, unregistered);
        DeadLetterProcessingExceptionHandler processing = new DeadLetterProcessingExceptionHandler();
        processing.configure(configs);
        DeadLetterDeserializationExceptionHandler deserialization = new DeadLetterDeserializationExceptionHandler();
        deserialization.configure(configs);
        DeadLetterProductionExceptionHandler production = new DeadLetterProductionExceptionHandler();
        production.configure(configs);

        assertThat(processing.handleError(context, new Record<>("k", RAW_VALUE, 1L),
                new IllegalStateException("a processor bug")).result())
                .isEqualTo(ProcessingExceptionHandler.Result.FAIL);
        assertThat(deserialization.handleError(context, consumed(), new IllegalArgumentException("garbage"))
                .result()).isEqualTo(DeserializationExceptionHandler.Result.FAIL);
        assertThat(production.handleError(context, new ProducerRecord<>("shipstream.events", new byte[1],
                new byte[1]), new RecordTooLargeException("too big")).result())
                .isEqualTo(ProductionExceptionHandler.Result.FAIL);
    }

    @Test
    void warmUpCachesTheDeadLetterSchemaIdSoALaterOutageDoesNotStopDeadLetters() {
        registry.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", HttpSchemaRegistryClient.CONTENT_TYPE).withBody("{\"id\": 12}")));
        DeadLetters deadLetters = new DeadLetters("test.deadletter", "test-app",
                new AvroSerializer<>(client, Map.of()), new DeadLetterMetrics(new SimpleMeterRegistry()),
                Clock.systemUTC());

        assertThat(deadLetters.warmUp(Duration.ofSeconds(5))).isTrue();
        stubRegistry("503");

        ProducerRecord<byte[], byte[]> letter = deadLetters.producerRecord(FailedRecord.of(context),
                DeadLetterReason.PROCESSING_FAILED, "a processor bug", null);
        assertThat(letter.value()).startsWith(0, 0, 0, 0, 12);
    }

    @Test
    void warmUpRefusesToStartWhenTheRegistryRefusesTheDeadLetterSchema() {
        stubRegistry("422");
        DeadLetters deadLetters = new DeadLetters("test.deadletter", "test-app",
                new AvroSerializer<>(client, Map.of()), new DeadLetterMetrics(new SimpleMeterRegistry()),
                Clock.systemUTC());

        assertThatThrownBy(() -> deadLetters.warmUp(Duration.ofSeconds(5)))
                .hasMessageContaining("422");
    }

    @Test
    void warmUpGivesUpWithinItsBudgetWhileTheRegistryIsDown() {
        stubRegistry("503");
        DeadLetters deadLetters = new DeadLetters("test.deadletter", "test-app",
                new AvroSerializer<>(client, Map.of()), new DeadLetterMetrics(new SimpleMeterRegistry()),
                Clock.systemUTC());

        assertThat(deadLetters.warmUp(Duration.ofMillis(500))).isFalse();
    }

    @Test
    void theUncaughtHandlerReplacesThreadsForAnOutageWithoutSpendingThePoisonBudget() {
        stubRegistry("503");
        Exception outage = failureOf(() -> client.schemaById(7));
        BoundedThreadReplacement budget = new BoundedThreadReplacement(1, Duration.ofMinutes(10), Clock.systemUTC());
        RegistryOutageTolerance tolerance =
                new RegistryOutageTolerance(budget, Duration.ofMinutes(10), Clock.systemUTC());

        for (int i = 0; i < 5; i++) {
            assertThat(tolerance.handle(new StreamsException("thread died", outage)))
                    .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        }
        assertThat(tolerance.handle(new IllegalStateException("poison")))
                .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(tolerance.handle(new IllegalStateException("poison again")))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void anOutageLongerThanTheToleranceFallsBackToThePoisonBudget() {
        stubRegistry("503");
        Exception outage = new StreamsException("thread died",
                failureOf(() -> client.schemaById(7)));
        AtomicLong now = new AtomicLong();
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.get());
            }
        };
        RegistryOutageTolerance tolerance = new RegistryOutageTolerance(
                new BoundedThreadReplacement(0, Duration.ofMinutes(10), clock), Duration.ofMinutes(10), clock);

        assertThat(tolerance.handle(outage)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        now.addAndGet(Duration.ofMinutes(9).toMillis());
        assertThat(tolerance.handle(outage)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        now.addAndGet(Duration.ofMinutes(2).toMillis());
        assertThat(tolerance.handle(outage)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        // A new outage after a quiet spell longer than the tolerance is tolerated again.
        now.addAndGet(Duration.ofMinutes(11).toMillis());
        assertThat(tolerance.handle(outage)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    private void stubRegistry(String answer) {
        registry.resetAll();
        var response = switch (answer) {
            case "timeout" -> aResponse().withStatus(200).withFixedDelay(2_000)
                    .withHeader("Content-Type", HttpSchemaRegistryClient.CONTENT_TYPE)
                    .withBody("{\"schema\": \"\\\"bytes\\\"\", \"id\": 7}");
            default -> aResponse().withStatus(Integer.parseInt(answer))
                    .withHeader("Content-Type", HttpSchemaRegistryClient.CONTENT_TYPE)
                    .withBody("{\"error_code\": " + answer + "01, \"message\": \"registry says " + answer + "\"}");
        };
        registry.stubFor(any(anyUrl()).willReturn(response));
    }

    private static Exception failureOf(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected the registry call to fail");
    }

    private DeadLetterProcessingExceptionHandler processing() {
        DeadLetterProcessingExceptionHandler handler = new DeadLetterProcessingExceptionHandler();
        handler.configure(fixture.configs());
        return handler;
    }

    private DeadLetterDeserializationExceptionHandler deserialization() {
        DeadLetterDeserializationExceptionHandler handler = new DeadLetterDeserializationExceptionHandler();
        handler.configure(fixture.configs());
        return handler;
    }

    private DeadLetterProductionExceptionHandler production() {
        DeadLetterProductionExceptionHandler handler = new DeadLetterProductionExceptionHandler();
        handler.configure(fixture.configs());
        return handler;
    }

    private long deadLettersCounted() {
        long total = 0;
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            total += fixture.metrics.count(reason);
        }
        return total;
    }

    private static ConsumerRecord<byte[], byte[]> consumed() {
        return new ConsumerRecord<>(RAW_TOPIC, 0, 41L, 1L, TimestampType.CREATE_TIME, 1, RAW_VALUE.length,
                new byte[] {'k'}, RAW_VALUE, new RecordHeaders(), Optional.empty());
    }

    private static DeadLetter sampleLetter() {
        return new DeadLetterFixture().deadLetters.letter(new FailedRecord(RAW_TOPIC, 0, 1L, null, null),
                DeadLetterReason.OTHER, "sample", null);
    }
}
