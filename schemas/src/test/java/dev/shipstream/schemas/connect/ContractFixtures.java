package dev.shipstream.schemas.connect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.shipstream.schemas.AppRef;
import dev.shipstream.schemas.AuthScheme;
import dev.shipstream.schemas.Authentication;
import dev.shipstream.schemas.DeadLetter;
import dev.shipstream.schemas.DeadLetterReason;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.Enrichment;
import dev.shipstream.schemas.EnrichmentStatus;
import dev.shipstream.schemas.Entity;
import dev.shipstream.schemas.ErrorOrigin;
import dev.shipstream.schemas.EventCategory;
import dev.shipstream.schemas.EventError;
import dev.shipstream.schemas.GitRef;
import dev.shipstream.schemas.Links;
import dev.shipstream.schemas.Platform;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Source;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/** Contract records for the converter tests, and Avro binary round trips to compare them as generic records. */
public final class ContractFixtures {

    static final Instant OCCURRED_AT = Instant.parse("2025-03-01T10:15:30.123Z");
    static final Instant RECEIVED_AT = Instant.parse("2025-03-01T10:15:31.456Z");
    static final Instant ENRICHED_AT = Instant.parse("2025-03-01T10:16:02.789Z");

    private ContractFixtures() {
    }

    /** A DeliveryEvent with every optional field filled, two errors, extras and an enrichment timestamp. */
    public static DeliveryEvent fullDeliveryEvent() {
        Map<String, String> extras = new LinkedHashMap<>();
        extras.put("easBuildProfile", "production");
        extras.put("testerEmail", "tester@example.com");
        return DeliveryEvent.newBuilder()
                .setEventId("6f1d2a3b-0c4e-4e5f-9a8b-7c6d5e4f3a2b")
                .setSource(Source.APP_STORE_CONNECT)
                .setEventType("appStoreVersionAppVersionStateUpdated")
                .setCategory(EventCategory.APP_VERSION_STATE)
                .setEntity(Entity.newBuilder().setType("appStoreVersions").setId("ver-42").build())
                .setEntityKey("asc:appStoreVersions:ver-42")
                .setApp(AppRef.newBuilder().setId("1234567890").setName("Shipstream Demo")
                        .setBundleId("dev.shipstream.demo").build())
                .setPlatform(Platform.IOS)
                .setVersionString("2.3.0")
                .setBuildNumber("451")
                .setPreviousState("WAITING_FOR_REVIEW")
                .setNewState("REJECTED")
                .setOccurredAt(OCCURRED_AT)
                .setOccurredAtEstimated(true)
                .setReceivedAt(RECEIVED_AT)
                .setIngressRequestId("req-0001")
                .setErrors(List.of(
                        EventError.newBuilder().setCode("ITMS-90683").setMessage("Missing purpose string")
                                .setOrigin(ErrorOrigin.PAYLOAD).build(),
                        EventError.newBuilder().setCode(null).setMessage("Guideline 2.1 - Performance")
                                .setOrigin(ErrorOrigin.ENRICHMENT).build()))
                .setLinks(Links.newBuilder()
                        .setDetails("https://api.appstoreconnect.apple.com/v1/appStoreVersions/ver-42")
                        .setLogs("https://expo.dev/builds/1/logs").setArtifact("https://expo.dev/artifacts/1").build())
                .setGit(GitRef.newBuilder().setCommit("0a1b2c3d").setMessage("Fix crash on launch")
                        .setRef("refs/heads/main").build())
                .setExtras(extras)
                .setRawPayload("{\"data\":{\"type\":\"appStoreVersionAppVersionStateUpdated\"}}")
                .setEnrichment(Enrichment.newBuilder().setStatus(EnrichmentStatus.ENRICHED).setReason("looked up")
                        .setAt(ENRICHED_AT).setAttempts(2).build())
                .build();
    }

    /** A DeliveryEvent with only the required fields; every optional one is null and the defaults apply. */
    public static DeliveryEvent minimalDeliveryEvent() {
        return DeliveryEvent.newBuilder()
                .setEventId("evt-min")
                .setSource(Source.EAS)
                .setEventType("build")
                .setCategory(EventCategory.EAS_BUILD)
                .setEntity(Entity.newBuilder().setType("build").setId("b-1").build())
                .setEntityKey("eas:build:b-1")
                .setOccurredAt(OCCURRED_AT)
                .setReceivedAt(RECEIVED_AT)
                .setLinks(Links.newBuilder().build())
                .setEnrichment(Enrichment.newBuilder().setStatus(EnrichmentStatus.NOT_APPLICABLE).build())
                .build();
    }

    public static RawWebhook rawWebhook() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("x-apple-signature", "hmacsha256=abc");
        byte[] body = "{\"data\":{\"id\":\"ver-42\"}}\n\u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        return RawWebhook.newBuilder()
                .setSource(Source.APP_STORE_CONNECT)
                .setEndpointId("main")
                .setReceivedAt(RECEIVED_AT)
                .setRequestId("req-0001")
                .setRemoteAddress("203.0.113.7")
                .setContentType("application/json")
                .setUserAgent("App Store Connect")
                .setSignature("hmacsha256=abc")
                .setProviderRequestId("prov-1")
                .setHeaders(headers)
                .setBody(ByteBuffer.wrap(body))
                .setAuthentication(Authentication.newBuilder().setScheme(AuthScheme.HMAC_SHA256)
                        .setSecretId("2025-01").build())
                .build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setTopic("shipstream.webhooks.raw")
                .setPartition(3)
                .setOffset(1_234_567_890_123L)
                .setKey(ByteBuffer.wrap("asc:appStoreVersions:ver-42".getBytes(StandardCharsets.UTF_8)))
                .setReason(DeadLetterReason.UNPARSEABLE_PAYLOAD)
                .setMessage("Unexpected character at 1:1")
                .setExceptionClass("com.fasterxml.jackson.core.JsonParseException")
                .setFailedAt(ENRICHED_AT)
                .setApplication("shipstream-streams")
                .setOriginalValue(ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 0xff}))
                .build();
    }

    static DeadLetter minimalDeadLetter() {
        return DeadLetter.newBuilder()
                .setTopic("shipstream.webhooks.raw")
                .setPartition(0)
                .setOffset(0L)
                .setReason(DeadLetterReason.OTHER)
                .setMessage("unknown")
                .setFailedAt(ENRICHED_AT)
                .build();
    }

    /** The record as Avro's generic data reads it from its binary form: longs for timestamps, no conversions. */
    public static GenericRecord asGeneric(SpecificRecord record) {
        Schema schema = record.getSchema();
        byte[] bytes = write(new SpecificDatumWriter<>(schema), record);
        try {
            return new GenericDatumReader<GenericRecord>(schema, schema, new GenericData())
                    .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A generic record written with its own schema and read as the generated class of {@code readerSchema}. */
    @SuppressWarnings("unchecked")
    static <T extends SpecificRecord> T asSpecific(GenericRecord record, Schema readerSchema) {
        byte[] bytes = write(new GenericDatumWriter<>(record.getSchema()), record);
        try {
            SpecificData model = SpecificData.getForSchema(readerSchema);
            return (T) new SpecificDatumReader<>(record.getSchema(), readerSchema, model)
                    .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <D> byte[] write(org.apache.avro.io.DatumWriter<D> writer, D datum) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            writer.write(datum, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
