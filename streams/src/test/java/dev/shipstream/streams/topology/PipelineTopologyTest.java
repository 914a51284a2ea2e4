package dev.shipstream.streams.topology;

import dev.shipstream.schemas.DeadLetter;
import dev.shipstream.schemas.DeadLetterReason;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.EnrichmentStatus;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Source;
import dev.shipstream.schemas.Topics;
import dev.shipstream.schemas.keys.EntityKeys;
import dev.shipstream.schemas.serde.AvroDeserializer;
import dev.shipstream.schemas.serde.AvroSerdeConfig;
import dev.shipstream.streams.normalize.Normalization;
import dev.shipstream.streams.normalize.Normalizers;
import dev.shipstream.streams.topology.Fixtures.Fixture;
import dev.shipstream.testsupport.CapturedLogs;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class PipelineTopologyTest {

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

    @TempDir
    Path stateDir;

    private PipelineDriver pipeline;

    @BeforeEach
    void start() {
        pipeline = PipelineDriver.withDefaults(stateDir);
    }

    @AfterEach
    void stop() {
        pipeline.close();
    }

    static List<Fixture> fixtures() {
        return Fixtures.all();
    }

    @Test
    void everyPayloadFixtureIsCovered() {
        assertThat(Fixtures.all()).hasSize(27).allSatisfy(f -> assertThat(f.source()).isNotNull());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void eachFixtureBecomesOneEventKeyedByItsEntityWithCloudEventsHeaders(Fixture fixture) {
        pipeline.raw.pipeInput(key(fixture), fixture.raw(), T0);

        List<TestRecord<String, DeliveryEvent>> out = pipeline.events.readRecordsToList();
        assertThat(out).hasSize(1);
        TestRecord<String, DeliveryEvent> record = out.get(0);
        DeliveryEvent event = record.value();
        assertThat(record.key()).isEqualTo(key(fixture)).isEqualTo(event.getEntityKey());
        assertThat(event.getSource()).isEqualTo(fixture.source());
        assertThat(event.getCategory()).isEqualTo(fixture.expectedCategory());
        assertThat(event.getEnrichment().getStatus()).isEqualTo(Normalizers.needsEnrichment(event)
                ? EnrichmentStatus.NOT_CONFIGURED : EnrichmentStatus.NOT_APPLICABLE);
        assertThat(record.getRecordTime()).isEqualTo(T0);

        Headers headers = record.headers();
        assertThat(headers.toArray()).hasSize(7);
        assertThat(header(headers, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(headers, "ce_id")).isEqualTo(event.getEventId()).isNotBlank();
        assertThat(header(headers, "ce_source")).isEqualTo(switch (fixture.source()) {
            case APP_STORE_CONNECT -> "/shipstream/app-store-connect";
            case EAS -> "/shipstream/eas";
            case APPFLOW -> "/shipstream/appflow";
            case UNKNOWN -> throw new AssertionError("no fixture is of source UNKNOWN");
        });
        assertThat(header(headers, "ce_type")).isEqualTo("dev.shipstream.delivery."
                + fixture.expectedCategory().name().toLowerCase(Locale.ROOT));
        assertThat(header(headers, "ce_subject")).isEqualTo(record.key());
        assertThat(Instant.parse(header(headers, "ce_time"))).isEqualTo(event.getOccurredAt());
        assertThat(header(headers, "content-type")).isEqualTo("application/avro");
        assertThat(pipeline.deadLetters.isEmpty()).isTrue();
    }

    @Test
    void ceTimeIsRfc3339InUtc() {
        Fixture fixture = Fixtures.named("asc/buildUploadStateUpdated-failed.json");

        pipeline.raw.pipeInput(key(fixture), fixture.raw(), T0);

        assertThat(header(pipeline.events.readRecord().headers(), "ce_time"))
                .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
    }

    @Test
    void fixturesSharingAProviderEventIdComeOutOnlyOnce() {
        // The article's payloads are anonymised to one data.id: to the pipeline they are one event delivered 9 times.
        List<Fixture> sameId = Fixtures.all().stream()
                .filter(f -> f.path().startsWith("asc/appStoreVersionAppVersionStateUpdated-")
                        || f.path().startsWith("asc/buildUploadStateUpdated-"))
                .filter(f -> !f.path().endsWith("-apple-doc.json"))
                .toList();
        assertThat(sameId).hasSize(9);

        pipeAll(sameId, T0);

        assertThat(pipeline.events.readValuesToList()).hasSize(1);
    }

    @Test
    void theSameEventsTwiceComeOutOnce() {
        List<Fixture> fixtures = Fixtures.all();
        int distinctIds = distinctEventIds(fixtures);

        pipeAll(fixtures, T0);
        pipeAll(fixtures, T0.plusSeconds(1));
        pipeAll(fixtures, T0.plus(Duration.ofDays(6)));

        assertThat(pipeline.events.readValuesToList()).hasSize(distinctIds)
                .extracting(e -> e.getSource() + ":" + e.getEventId()).doesNotHaveDuplicates();
    }

    @Test
    void anEventIsEmittedAgainOnceTheRetentionHasPassed() {
        List<Fixture> fixtures = Fixtures.all();
        int distinctIds = distinctEventIds(fixtures);

        pipeAll(fixtures, T0);
        pipeAll(fixtures, T0.plus(PipelineSettings.DEFAULT_DEDUP_RETENTION).plusSeconds(1));

        List<DeliveryEvent> out = pipeline.events.readValuesToList();
        assertThat(out).hasSize(2 * distinctIds);
        assertThat(out.subList(distinctIds, out.size())).extracting(DeliveryEvent::getEventId)
                .containsExactlyElementsOf(out.subList(0, distinctIds).stream()
                        .map(DeliveryEvent::getEventId).toList());
    }

    @Test
    void theRetentionIsConfigurable(@TempDir Path otherStateDir) {
        Fixture fixture = Fixtures.named("eas/build-errored.json");
        PipelineSettings oneHour = PipelineSettings.defaults(PipelineDriver.APPLICATION_ID)
                .withDedupRetention(Duration.ofHours(1));
        try (PipelineDriver shortMemory = new PipelineDriver(oneHour, otherStateDir)) {
            shortMemory.raw.pipeInput(key(fixture), fixture.raw(), T0);
            shortMemory.raw.pipeInput(key(fixture), fixture.raw(), T0.plus(Duration.ofMinutes(59)));
            shortMemory.raw.pipeInput(key(fixture), fixture.raw(), T0.plus(Duration.ofMinutes(61)));

            assertThat(shortMemory.events.readValuesToList()).hasSize(2);
        }
    }

    @Test
    void aDuplicateWithAnEarlierReceiveTimeIsStillDropped() {
        Fixture fixture = Fixtures.named("appflow/deploy-success.json");

        pipeline.raw.pipeInput(key(fixture), fixture.raw(), T0);
        pipeline.raw.pipeInput(key(fixture), fixture.raw(), T0.minusSeconds(30));

        assertThat(pipeline.events.readValuesToList()).hasSize(1);
    }

    @Test
    void theSameIdFromAnotherProviderIsNotADuplicate() {
        String id = "0374430d-7776-44ad-be7d-8513629adc54";
        RawWebhook asc = Fixtures.raw(Source.APP_STORE_CONNECT,
                "{\"data\":{\"type\":\"webhookPingCreated\",\"id\":\"" + id + ":errored\"}}");
        Fixture eas = Fixtures.named("eas/submit-errored.json");

        pipeline.raw.pipeInput("asc:webhookPingCreated:" + id, asc, T0);
        pipeline.raw.pipeInput(key(eas), eas.raw(), T0);

        assertThat(pipeline.events.readValuesToList()).extracting(DeliveryEvent::getEventId)
                .containsExactly(id + ":errored", id + ":errored");
    }

    @Test
    void carriageReturnAndLineFeedInAProviderIdAreEncodedInKeyIdAndSubject() {
        String body = "{\"data\":{\"type\":\"webhookPingCreated\",\"id\":\"evil\\r\\nX-Evil: 1\"}}";
        RawWebhook raw = Fixtures.raw(Source.APP_STORE_CONNECT, body);

        pipeline.raw.pipeInput(EntityKeys.keyOf(Source.APP_STORE_CONNECT, body.getBytes(StandardCharsets.UTF_8)), raw, T0);

        TestRecord<String, DeliveryEvent> record = pipeline.events.readRecord();
        assertThat(record.value().getEventId()).isEqualTo("evil\r\nX-Evil: 1");
        assertThat(record.key()).isEqualTo("asc:webhookPingCreated:evil%0D%0AX-Evil%3A%201");
        assertThat(header(record.headers(), "ce_subject")).isEqualTo(record.key());
        assertThat(header(record.headers(), "ce_id")).isEqualTo("evil%0D%0AX-Evil:%201");
    }

    @Test
    void undecodableBytesGoToTheDeadLetterTopicWithTheirBytesAndLaterRecordsStillFlow() {
        byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
        byte[] garbageKey = "some-key".getBytes(StandardCharsets.UTF_8);
        Fixture fixture = Fixtures.named("asc/webhookPingCreated-article.json");

        pipeline.rawBytes.pipeInput(garbageKey, garbage, T0);
        pipeline.raw.pipeInput(key(fixture), fixture.raw(), T0.plusSeconds(1));

        TestRecord<String, DeadLetter> dead = pipeline.deadLetters.readRecord();
        DeadLetter letter = dead.value();
        assertThat(dead.key()).isEqualTo("some-key");
        assertThat(letter.getReason()).isEqualTo(DeadLetterReason.DESERIALIZATION_FAILED);
        assertThat(bytes(letter.getOriginalValue())).isEqualTo(garbage);
        assertThat(bytes(letter.getKey())).isEqualTo(garbageKey);
        assertThat(letter.getTopic()).isEqualTo(Topics.WEBHOOKS_RAW.name());
        assertThat(letter.getPartition()).isZero();
        assertThat(letter.getOffset()).isZero();
        assertThat(letter.getApplication()).isEqualTo(PipelineDriver.APPLICATION_ID);
        assertThat(letter.getExceptionClass()).isEqualTo("org.apache.kafka.common.errors.SerializationException");
        assertThat(letter.getMessage()).startsWith("could not decode a RawWebhook: ");
        assertThat(letter.getFailedAt()).isNotNull();
        assertThat(pipeline.deadLetters.isEmpty()).isTrue();
        assertThat(pipeline.events.readValuesToList()).extracting(DeliveryEvent::getEntityKey)
                .containsExactly(key(fixture));
        assertThat(pipeline.metrics.count(DeadLetterReason.DESERIALIZATION_FAILED)).isEqualTo(1);
    }

    @Test
    void aRecordWithoutValueIsADeadLetterNotADrop() {
        pipeline.rawBytes.pipeInput("k".getBytes(StandardCharsets.UTF_8), null, T0);

        DeadLetter letter = pipeline.deadLetters.readValue();
        assertThat(letter.getReason()).isEqualTo(DeadLetterReason.DESERIALIZATION_FAILED);
        assertThat(letter.getOriginalValue()).isNull();
        assertThat(letter.getMessage()).isEqualTo("the record has no value");
    }

    @Test
    void unparseableJsonGoesToTheDeadLetterTopicAsUnparseablePayloadWithTheRawRecord() {
        Fixture fixture = Fixtures.named("eas/submit-errored.json");
        RawWebhook unparseable = Fixtures.raw(Source.APP_STORE_CONNECT, "{\"data\": [1, 2");

        pipeline.raw.pipeInput("unparsed:abc", unparseable, T0);
        pipeline.raw.pipeInput(key(fixture), fixture.raw(), T0);

        TestRecord<String, DeadLetter> dead = pipeline.deadLetters.readRecord();
        DeadLetter letter = dead.value();
        assertThat(dead.key()).isEqualTo("unparsed:abc");
        assertThat(letter.getReason()).isEqualTo(DeadLetterReason.UNPARSEABLE_PAYLOAD);
        assertThat(letter.getMessage()).startsWith("could not normalise the APP_STORE_CONNECT webhook: ");
        assertThat(letter.getExceptionClass()).isNull();
        // The original bytes are the raw record as stored, so the webhook can be repaired and replayed.
        RawWebhook replayable = new AvroDeserializer<RawWebhook>(pipeline.registry,
                Map.of(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true))
                .deserialize(Topics.WEBHOOKS_RAW.name(), bytes(letter.getOriginalValue()));
        assertThat(replayable).isEqualTo(unparseable);
        assertThat(pipeline.events.readValuesToList()).hasSize(1);
        assertThat(pipeline.metrics.count(DeadLetterReason.UNPARSEABLE_PAYLOAD)).isEqualTo(1);
    }

    @Test
    void aDeadLetterCarriesTheIngressRequestIdAndIsLoggedOnceWithIt() {
        RawWebhook unparseable = RawWebhook.newBuilder(Fixtures.raw(Source.EAS, "not json at all"))
                .setRequestId("01a22f31-7c5e-754e-ae4b-d815dff350c2").build();

        try (CapturedLogs logs = CapturedLogs.capture()) {
            pipeline.raw.pipeInput("unparsed:eas", unparseable, T0);
            pipeline.rawBytes.pipeInput("garbage".getBytes(StandardCharsets.UTF_8),
                    "\u0000 not avro".getBytes(StandardCharsets.UTF_8), T0);

            List<DeadLetter> letters = pipeline.deadLetters.readValuesToList();
            assertThat(letters).extracting(DeadLetter::getReason, DeadLetter::getRequestId).containsExactly(
                    tuple(DeadLetterReason.UNPARSEABLE_PAYLOAD, "01a22f31-7c5e-754e-ae4b-d815dff350c2"),
                    tuple(DeadLetterReason.DESERIALIZATION_FAILED, null));
            assertThat(logs.lines()).filteredOn(line -> line.contains("dead letter")).satisfiesExactly(
                    line -> assertThat(line).startsWith("INFO ").contains("UNPARSEABLE_PAYLOAD")
                            .contains("request id 01a22f31-7c5e-754e-ae4b-d815dff350c2"),
                    line -> assertThat(line).startsWith("INFO ").contains("DESERIALIZATION_FAILED")
                            .contains("request id unknown"));
        }
    }

    private void pipeAll(List<Fixture> fixtures, Instant time) {
        fixtures.forEach(f -> pipeline.raw.pipeInput(key(f), f.raw(), time));
    }

    private static int distinctEventIds(List<Fixture> fixtures) {
        long distinct = fixtures.stream()
                .map(f -> new Normalizers().normalize(f.raw()))
                .map(n -> ((Normalization.Normalized) n).event())
                .map(e -> e.getSource() + ":" + e.getEventId())
                .distinct()
                .count();
        assertThat(distinct).as("fixtures with distinct provider event ids").isGreaterThan(10);
        return (int) distinct;
    }

    private static String key(Fixture fixture) {
        return EntityKeys.key(fixture.source(), EntityKeys.entityOf(fixture.source(), fixture.body()).orElseThrow());
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        assertThat(header).as(name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
