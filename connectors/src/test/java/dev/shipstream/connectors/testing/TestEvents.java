package dev.shipstream.connectors.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.shipstream.schemas.AppRef;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.Enrichment;
import dev.shipstream.schemas.EnrichmentStatus;
import dev.shipstream.schemas.Entity;
import dev.shipstream.schemas.ErrorOrigin;
import dev.shipstream.schemas.EventCategory;
import dev.shipstream.schemas.EventError;
import dev.shipstream.schemas.Links;
import dev.shipstream.schemas.Platform;
import dev.shipstream.schemas.Source;
import dev.shipstream.schemas.connect.AvroConnectData;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Delivery events for the two use cases (a failed build upload with an ITMS reason from enrichment; a TestFlight
 * crash feedback), and their Connect form as the project's converter produces it.
 */
public final class TestEvents {

    public static final Instant OCCURRED_AT = Instant.parse("2026-11-30T10:15:30.123Z");

    private TestEvents() {
    }

    public static DeliveryEvent.Builder failedBuildUpload(String eventId) {
        return DeliveryEvent.newBuilder()
                .setEventId(eventId)
                .setSource(Source.APP_STORE_CONNECT)
                .setEventType("buildUploadStateUpdated")
                .setCategory(EventCategory.BUILD_UPLOAD_STATE)
                .setEntity(Entity.newBuilder().setType("buildUploads").setId("bu-1").build())
                .setEntityKey("asc:buildUploads:bu-1")
                .setApp(AppRef.newBuilder().setId("1234567890").setName("Demo & <Co>").setBundleId("dev.demo").build())
                .setPlatform(Platform.IOS)
                .setVersionString("2.3.0")
                .setBuildNumber("1045")
                .setPreviousState("PROCESSING")
                .setNewState("FAILED")
                .setOccurredAt(OCCURRED_AT)
                .setReceivedAt(OCCURRED_AT.plusSeconds(1))
                .setErrors(List.of(EventError.newBuilder().setCode("ITMS-90683")
                        .setMessage("Missing purpose string in Info.plist").setOrigin(ErrorOrigin.ENRICHMENT).build()))
                .setLinks(Links.newBuilder().build())
                .setEnrichment(Enrichment.newBuilder().setStatus(EnrichmentStatus.ENRICHED).setAttempts(1).build());
    }

    public static DeliveryEvent.Builder crashFeedback(String eventId) {
        Map<String, String> extras = new LinkedHashMap<>();
        extras.put("feedbackComment", "It crashed when I tapped Pay");
        extras.put("testerName", "Ada Tester");
        extras.put("deviceModel", "iPhone15,2");
        extras.put("osVersion", "18.1");
        extras.put("crashLog", "Exception Type: EXC_BAD_ACCESS (SIGSEGV)\nThread 0 Crashed:\n0 Demo 0x1000 main + 12");
        return DeliveryEvent.newBuilder()
                .setEventId(eventId)
                .setSource(Source.APP_STORE_CONNECT)
                .setEventType("betaFeedbackCrashSubmissionCreated")
                .setCategory(EventCategory.TESTFLIGHT_FEEDBACK)
                .setEntity(Entity.newBuilder().setType("betaFeedbackCrashSubmissions").setId("AK7Uj").build())
                .setEntityKey("asc:betaFeedbackCrashSubmissions:AK7Uj")
                .setApp(AppRef.newBuilder().setId("1234567890").setName("Demo").build())
                .setVersionString("2.3.0")
                .setBuildNumber("1045")
                .setOccurredAt(OCCURRED_AT)
                .setReceivedAt(OCCURRED_AT.plusSeconds(1))
                .setExtras(extras)
                .setLinks(Links.newBuilder().build())
                .setEnrichment(Enrichment.newBuilder().setStatus(EnrichmentStatus.ENRICHED).setAttempts(1).build());
    }

    /** The event as a Connect Struct, the way the project's AvroConverter hands it to a sink task. */
    public static Struct struct(DeliveryEvent event) {
        return (Struct) new AvroConnectData().toConnectData(DeliveryEvent.getClassSchema(), generic(event)).value();
    }

    public static SinkRecord record(DeliveryEvent event, long offset) {
        Struct value = struct(event);
        return new SinkRecord("shipstream.events", 0, null, event.getEntityKey(), value.schema(), value, offset);
    }

    /** The Avro binary form of the event, as a generic record (timestamps as longs, as a consumer reads them). */
    public static GenericRecord generic(DeliveryEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new SpecificDatumWriter<DeliveryEvent>(DeliveryEvent.getClassSchema()).write(event, encoder);
            encoder.flush();
            return new GenericDatumReader<GenericRecord>(DeliveryEvent.getClassSchema(), DeliveryEvent.getClassSchema(),
                    new GenericData()).read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
