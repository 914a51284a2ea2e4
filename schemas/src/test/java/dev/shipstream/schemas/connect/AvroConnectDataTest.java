package dev.shipstream.schemas.connect;

import static dev.shipstream.schemas.connect.AvroConnectData.ENUM_DEFAULT_PARAMETER_PREFIX;
import static dev.shipstream.schemas.connect.AvroConnectData.ENUM_DOC_PARAMETER_PREFIX;
import static dev.shipstream.schemas.connect.AvroConnectData.ENUM_PARAMETER;
import static dev.shipstream.schemas.connect.AvroConnectData.FIELD_DEFAULT_FLAG_PARAMETER;
import static dev.shipstream.schemas.connect.AvroConnectData.FIELD_DOC_PARAMETER_PREFIX;
import static dev.shipstream.schemas.connect.AvroConnectData.RECORD_DOC_PARAMETER;
import static dev.shipstream.schemas.connect.ContractFixtures.ENRICHED_AT;
import static dev.shipstream.schemas.connect.ContractFixtures.OCCURRED_AT;
import static dev.shipstream.schemas.connect.ContractFixtures.RECEIVED_AT;
import static dev.shipstream.schemas.connect.ContractFixtures.asGeneric;
import static dev.shipstream.schemas.connect.ContractFixtures.asSpecific;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.shipstream.schemas.DeadLetter;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.RawWebhook;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class AvroConnectDataTest {

    private final AvroConnectData data = new AvroConnectData();

    @Nested
    class FullyPopulatedDeliveryEvent {

        private final DeliveryEvent event = ContractFixtures.fullDeliveryEvent();
        private final SchemaAndValue connect = data.toConnectData(DeliveryEvent.getClassSchema(), event);
        private final Struct struct = (Struct) connect.value();
        private final Schema schema = connect.schema();

        @Test
        void becomesAStructNamedAndDocumentedLikeTheRecord() {
            assertThat(schema.type()).isEqualTo(Schema.Type.STRUCT);
            assertThat(schema.name()).isEqualTo("dev.shipstream.schemas.DeliveryEvent");
            assertThat(schema.doc()).isEqualTo(DeliveryEvent.getClassSchema().getDoc());
            assertThat(schema.isOptional()).isFalse();
            assertThat(schema.parameters())
                    .containsEntry(RECORD_DOC_PARAMETER, DeliveryEvent.getClassSchema().getDoc())
                    .containsEntry(FIELD_DOC_PARAMETER_PREFIX + "eventId",
                            DeliveryEvent.getClassSchema().getField("eventId").doc());
            assertThat(schema.fields()).extracting(org.apache.kafka.connect.data.Field::name)
                    .containsExactlyElementsOf(DeliveryEvent.getClassSchema().getFields().stream()
                            .map(org.apache.avro.Schema.Field::name).toList());
        }

        @Test
        void carriesEveryScalarField() {
            assertThat(struct.getString("eventId")).isEqualTo(event.getEventId());
            assertThat(struct.getString("eventType")).isEqualTo("appStoreVersionAppVersionStateUpdated");
            assertThat(struct.getString("entityKey")).isEqualTo("asc:appStoreVersions:ver-42");
            assertThat(struct.getString("versionString")).isEqualTo("2.3.0");
            assertThat(struct.getString("buildNumber")).isEqualTo("451");
            assertThat(struct.getString("previousState")).isEqualTo("WAITING_FOR_REVIEW");
            assertThat(struct.getString("newState")).isEqualTo("REJECTED");
            assertThat(struct.getBoolean("occurredAtEstimated")).isTrue();
            assertThat(struct.getString("ingressRequestId")).isEqualTo("req-0001");
            assertThat(struct.getString("rawPayload")).startsWith("{\"data\"");
        }

        @Test
        void turnsEnumsIntoStringsWithConfluentsEnumParameters() {
            assertThat(struct.getString("source")).isEqualTo("APP_STORE_CONNECT");
            assertThat(struct.getString("category")).isEqualTo("APP_VERSION_STATE");
            assertThat(struct.getString("platform")).isEqualTo("IOS");

            Schema source = schema.field("source").schema();
            assertThat(source.type()).isEqualTo(Schema.Type.STRING);
            assertThat(source.isOptional()).isFalse();
            assertThat(source.name()).isEqualTo("dev.shipstream.schemas.Source");
            assertThat(source.parameters())
                    .containsEntry(ENUM_PARAMETER, "dev.shipstream.schemas.Source")
                    .containsEntry(ENUM_PARAMETER + ".APP_STORE_CONNECT", "APP_STORE_CONNECT")
                    .containsEntry(ENUM_PARAMETER + ".EAS", "EAS")
                    .containsEntry(ENUM_PARAMETER + ".APPFLOW", "APPFLOW")
                    .containsEntry(ENUM_PARAMETER + ".UNKNOWN", "UNKNOWN")
                    .containsEntry(ENUM_DEFAULT_PARAMETER_PREFIX + "Source", "UNKNOWN")
                    .containsKey(ENUM_DOC_PARAMETER_PREFIX + "Source");
            assertThat(source.parameters().keySet().stream().filter(k -> k.startsWith(ENUM_PARAMETER + ".")))
                    .containsExactly(ENUM_PARAMETER + ".APP_STORE_CONNECT", ENUM_PARAMETER + ".EAS",
                            ENUM_PARAMETER + ".APPFLOW", ENUM_PARAMETER + ".UNKNOWN");

            Schema platform = schema.field("platform").schema();
            assertThat(platform.isOptional()).isTrue();
            assertThat(platform.defaultValue()).isNull();
            assertThat(platform.parameters()).containsEntry(ENUM_PARAMETER, "dev.shipstream.schemas.Platform")
                    .containsEntry(ENUM_PARAMETER + ".VISION_OS", "VISION_OS")
                    .containsEntry(ENUM_DEFAULT_PARAMETER_PREFIX + "Platform", "OTHER");
        }

        @Test
        void turnsTimestampsIntoConnectTimestamps() {
            Schema occurredAt = schema.field("occurredAt").schema();
            assertThat(occurredAt.type()).isEqualTo(Schema.Type.INT64);
            assertThat(occurredAt.name()).isEqualTo(Timestamp.LOGICAL_NAME);
            assertThat(occurredAt.isOptional()).isFalse();
            assertThat(struct.get("occurredAt")).isEqualTo(java.util.Date.from(OCCURRED_AT));
            assertThat(struct.get("receivedAt")).isEqualTo(java.util.Date.from(RECEIVED_AT));

            Struct enrichment = struct.getStruct("enrichment");
            Schema at = enrichment.schema().field("at").schema();
            assertThat(at.name()).isEqualTo(Timestamp.LOGICAL_NAME);
            assertThat(at.isOptional()).isTrue();
            assertThat(enrichment.get("at")).isEqualTo(java.util.Date.from(ENRICHED_AT));
        }

        @Test
        void keepsNestedRecordsAsStructs() {
            Struct entity = struct.getStruct("entity");
            assertThat(entity.schema().name()).isEqualTo("dev.shipstream.schemas.Entity");
            assertThat(entity.schema().isOptional()).isFalse();
            assertThat(entity.getString("type")).isEqualTo("appStoreVersions");
            assertThat(entity.getString("id")).isEqualTo("ver-42");

            Schema app = schema.field("app").schema();
            assertThat(app.type()).isEqualTo(Schema.Type.STRUCT);
            assertThat(app.isOptional()).isTrue();
            assertThat(app.name()).isEqualTo("dev.shipstream.schemas.AppRef");
            assertThat(struct.getStruct("app").getString("bundleId")).isEqualTo("dev.shipstream.demo");
            assertThat(app.field("bundleId").schema().isOptional()).isTrue();

            assertThat(struct.getStruct("links").getString("logs")).isEqualTo("https://expo.dev/builds/1/logs");
            assertThat(struct.getStruct("git").getString("ref")).isEqualTo("refs/heads/main");
            Struct enrichment = struct.getStruct("enrichment");
            assertThat(enrichment.getString("status")).isEqualTo("ENRICHED");
            assertThat(enrichment.getInt32("attempts")).isEqualTo(2);
            assertThat(enrichment.schema().field("attempts").schema().defaultValue()).isEqualTo(0);
        }

        @Test
        void keepsArraysAndMapsWithTheirDefaults() {
            Schema errors = schema.field("errors").schema();
            assertThat(errors.type()).isEqualTo(Schema.Type.ARRAY);
            assertThat(errors.valueSchema().name()).isEqualTo("dev.shipstream.schemas.EventError");
            assertThat(errors.defaultValue()).isEqualTo(List.of());
            assertThat(errors.parameters()).containsEntry(FIELD_DEFAULT_FLAG_PARAMETER, "true");
            List<Struct> errorStructs = struct.getArray("errors");
            assertThat(errorStructs).hasSize(2);
            assertThat(errorStructs.get(0).getString("code")).isEqualTo("ITMS-90683");
            assertThat(errorStructs.get(0).getString("origin")).isEqualTo("PAYLOAD");
            assertThat(errorStructs.get(1).getString("code")).isNull();
            assertThat(errorStructs.get(1).getString("message")).isEqualTo("Guideline 2.1 - Performance");

            Schema extras = schema.field("extras").schema();
            assertThat(extras.type()).isEqualTo(Schema.Type.MAP);
            assertThat(extras.keySchema().type()).isEqualTo(Schema.Type.STRING);
            assertThat(extras.keySchema().isOptional()).isFalse();
            assertThat(extras.valueSchema().type()).isEqualTo(Schema.Type.STRING);
            assertThat(extras.defaultValue()).isEqualTo(Map.of());
            assertThat(struct.<String, String>getMap("extras")).containsExactly(
                    Map.entry("easBuildProfile", "production"), Map.entry("testerEmail", "tester@example.com"));

            Schema estimated = schema.field("occurredAtEstimated").schema();
            assertThat(estimated.defaultValue()).isEqualTo(false);
        }

        @Test
        void convertsBackToTheSameRecordUnderTheSameSchema() {
            assertRoundTrip(event, connect);
        }

        @Test
        void givesTheSameStructForTheSpecificAndTheGenericRecord() {
            assertThat(data.toConnectData(DeliveryEvent.getClassSchema(), asGeneric(event))).isEqualTo(connect);
        }
    }

    @Test
    void convertsAMinimalDeliveryEventWithNullsAndDefaults() {
        DeliveryEvent event = ContractFixtures.minimalDeliveryEvent();
        SchemaAndValue connect = data.toConnectData(DeliveryEvent.getClassSchema(), event);
        Struct struct = (Struct) connect.value();

        assertThat(struct.get("app")).isNull();
        assertThat(struct.get("platform")).isNull();
        assertThat(struct.get("git")).isNull();
        assertThat(struct.get("rawPayload")).isNull();
        assertThat(struct.getArray("errors")).isEmpty();
        assertThat(struct.getMap("extras")).isEmpty();
        assertThat(struct.getBoolean("occurredAtEstimated")).isFalse();
        assertThat(struct.getStruct("links").get("details")).isNull();
        assertThat(struct.getStruct("enrichment").get("at")).isNull();
        assertThat(struct.getStruct("enrichment").getInt32("attempts")).isZero();
        assertRoundTrip(event, connect);
    }

    @Test
    void convertsARawWebhookWithItsBodyBytesAndHeaders() {
        RawWebhook webhook = ContractFixtures.rawWebhook();
        SchemaAndValue connect = data.toConnectData(RawWebhook.getClassSchema(), webhook);
        Struct struct = (Struct) connect.value();

        assertThat(connect.schema().field("body").schema().type()).isEqualTo(Schema.Type.BYTES);
        assertThat(struct.getBytes("body")).isEqualTo(webhook.getBody().array());
        assertThat(struct.get("body")).isInstanceOf(ByteBuffer.class);
        assertThat(struct.<String, String>getMap("headers"))
                .containsEntry("x-apple-signature", "hmacsha256=abc").hasSize(2);
        assertThat(struct.getStruct("authentication").getString("scheme")).isEqualTo("HMAC_SHA256");
        assertRoundTrip(webhook, connect);
    }

    @Test
    void convertsDeadLettersWithAndWithoutTheirOptionalBytes() {
        DeadLetter full = ContractFixtures.deadLetter();
        SchemaAndValue connect = data.toConnectData(DeadLetter.getClassSchema(), full);
        Struct struct = (Struct) connect.value();
        assertThat(connect.schema().field("key").schema().isOptional()).isTrue();
        assertThat(connect.schema().field("key").schema().type()).isEqualTo(Schema.Type.BYTES);
        assertThat(struct.getBytes("originalValue")).containsExactly(0, 1, 2, 0xff);
        assertThat(struct.getInt64("offset")).isEqualTo(1_234_567_890_123L);
        assertThat(struct.getInt32("partition")).isEqualTo(3);
        assertThat(struct.getString("reason")).isEqualTo("UNPARSEABLE_PAYLOAD");
        assertRoundTrip(full, connect);

        DeadLetter minimal = ContractFixtures.minimalDeadLetter();
        SchemaAndValue minimalConnect = data.toConnectData(DeadLetter.getClassSchema(), minimal);
        assertThat(((Struct) minimalConnect.value()).get("key")).isNull();
        assertRoundTrip(minimal, minimalConnect);
    }

    @Test
    void regeneratesTheContractsExactlyAsTheAvscFilesWriteThem() throws IOException {
        org.apache.avro.Schema.Parser parser = new org.apache.avro.Schema.Parser();
        File avro = new File("src/main/avro/dev/shipstream/schemas");
        parser.parse(new File(avro, "common/Source.avsc"));
        for (String contract : List.of("DeliveryEvent.avsc", "RawWebhook.avsc", "DeadLetter.avsc")) {
            org.apache.avro.Schema original = parser.parse(new File(avro, contract));
            org.apache.avro.Schema regenerated = data.fromConnectSchema(data.toConnectSchema(original));
            assertThat(regenerated).isEqualTo(original);
            assertThat(regenerated.toString()).isEqualTo(original.toString());
        }
    }

    @Test
    void restoresTheExactEnumWithItsDocAndDefaultSymbol() {
        org.apache.avro.Schema regenerated =
                data.fromConnectSchema(data.toConnectSchema(DeliveryEvent.getClassSchema()));
        org.apache.avro.Schema category = regenerated.getField("category").schema();
        org.apache.avro.Schema original = DeliveryEvent.getClassSchema().getField("category").schema();
        assertThat(category.getType()).isEqualTo(org.apache.avro.Schema.Type.ENUM);
        assertThat(category.getFullName()).isEqualTo("dev.shipstream.schemas.EventCategory");
        assertThat(category.getEnumSymbols()).isEqualTo(original.getEnumSymbols());
        assertThat(category.getEnumDefault()).isEqualTo("UNKNOWN");
        assertThat(category.getDoc()).isEqualTo(original.getDoc());
    }

    @Test
    void cachesConvertedSchemas() {
        Schema first = data.toConnectSchema(DeliveryEvent.getClassSchema());
        assertThat(data.toConnectSchema(DeliveryEvent.getClassSchema())).isSameAs(first);
        org.apache.avro.Schema avro = data.fromConnectSchema(first);
        assertThat(data.fromConnectSchema(first)).isSameAs(avro);
    }

    @Test
    void doesNotConfuseSchemasThatDifferOnlyInDocs() {
        String record = "{\"type\":\"record\",\"name\":\"R\",\"doc\":\"%s\","
                + "\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}";
        org.apache.avro.Schema documented = new org.apache.avro.Schema.Parser().parse(record.formatted("first"));
        org.apache.avro.Schema redocumented = new org.apache.avro.Schema.Parser().parse(record.formatted("second"));
        assertThat(data.toConnectSchema(documented).doc()).isEqualTo("first");
        assertThat(data.toConnectSchema(redocumented).doc()).isEqualTo("second");
    }

    @Test
    void setsTheGivenVersionOnTheTopLevelSchema() {
        Schema versioned = data.toConnectSchema(DeliveryEvent.getClassSchema(), 7);
        assertThat(versioned.version()).isEqualTo(7);
        assertThat(data.toConnectSchema(DeliveryEvent.getClassSchema()).version()).isNull();
        assertThat(data.fromConnectSchema(versioned)).isEqualTo(DeliveryEvent.getClassSchema());
    }

    @Test
    void turnsANullValueIntoTheNullSchemaAndValue() {
        assertThat(data.toConnectData(DeliveryEvent.getClassSchema(), null)).isEqualTo(SchemaAndValue.NULL);
        assertThat(data.fromConnectData(data.toConnectSchema(DeliveryEvent.getClassSchema()), null)).isNull();
        assertThat(data.fromConnectData(null, null)).isNull();
    }

    @Test
    void keepsConnectInt8AndInt16ThroughAvro() {
        Schema connect = SchemaBuilder.struct().name("dev.shipstream.test.Small")
                .field("tiny", Schema.INT8_SCHEMA)
                .field("short", Schema.OPTIONAL_INT16_SCHEMA)
                .build();
        org.apache.avro.Schema avro = data.fromConnectSchema(connect);
        assertThat(avro.getField("tiny").schema().getProp("connect.type")).isEqualTo("int8");
        assertThat(data.toConnectSchema(avro)).isEqualTo(connect);

        Struct value = new Struct(connect).put("tiny", (byte) -7).put("short", (short) 300);
        GenericRecord record = (GenericRecord) data.fromConnectData(connect, value);
        assertThat(record.get("tiny")).isEqualTo(-7);
        assertThat(data.toConnectData(avro, record).value()).isEqualTo(value);
    }

    @Test
    void writesOptionalFieldsWithDefaultsAsUnionsLedByTheirType() {
        Schema connect = SchemaBuilder.struct().name("dev.shipstream.test.Defaults")
                .field("label", SchemaBuilder.string().optional().defaultValue("none").build())
                .field("count", SchemaBuilder.int64().defaultValue(5_000_000_000L).build())
                .field("ratio", SchemaBuilder.float32().defaultValue(0.1f).build())
                .build();
        org.apache.avro.Schema avro = data.fromConnectSchema(connect);
        org.apache.avro.Schema label = avro.getField("label").schema();
        assertThat(label.getTypes()).extracting(org.apache.avro.Schema::getType)
                .containsExactly(org.apache.avro.Schema.Type.STRING, org.apache.avro.Schema.Type.NULL);
        assertThat(avro.getField("label").defaultVal()).isEqualTo("none");
        assertThat(avro.getField("count").defaultVal()).isEqualTo(5_000_000_000L);
        assertThat(avro.toString()).contains("\"default\":0.1}");

        Schema back = data.toConnectSchema(avro);
        assertThat(back.field("label").schema().defaultValue()).isEqualTo("none");
        assertThat(back.field("label").schema().isOptional()).isTrue();
        assertThat(data.fromConnectSchema(back)).isEqualTo(avro);
    }

    @Test
    void fillsAnUnsetRequiredFieldWithItsDefault() {
        Schema connect = data.toConnectSchema(DeliveryEvent.getClassSchema());
        Struct event = (Struct) data.toConnectData(DeliveryEvent.getClassSchema(),
                ContractFixtures.minimalDeliveryEvent()).value();
        Struct copy = new Struct(connect);
        for (org.apache.kafka.connect.data.Field field : connect.fields()) {
            if (!field.name().equals("occurredAtEstimated")) {
                copy.put(field, event.get(field));
            }
        }
        GenericRecord record = (GenericRecord) data.fromConnectData(connect, copy);
        assertThat(record.get("occurredAtEstimated")).isEqualTo(false);
    }

    @Nested
    class Rejects {

        @Test
        void fixedTypes() {
            org.apache.avro.Schema fixed = org.apache.avro.Schema.createFixed("Hash", null, "dev.shipstream.test", 16);
            assertThatThrownBy(() -> data.toConnectSchema(fixed))
                    .isInstanceOf(DataException.class)
                    .hasMessageContaining("fixed")
                    .hasMessageContaining("not supported");
        }

        @Test
        void unionsOtherThanNullAndOneType() {
            org.apache.avro.Schema record = new org.apache.avro.Schema.Parser().parse(
                    "{\"type\":\"record\",\"name\":\"U\",\"namespace\":\"t\",\"fields\":"
                            + "[{\"name\":\"either\",\"type\":[\"string\",\"int\"]}]}");
            assertThatThrownBy(() -> data.toConnectSchema(record))
                    .isInstanceOf(DataException.class)
                    .hasMessageContaining("t.U.either")
                    .hasMessageContaining("only unions of null and one other type");
        }

        @Test
        void recursiveRecords() {
            org.apache.avro.Schema list = new org.apache.avro.Schema.Parser().parse(
                    "{\"type\":\"record\",\"name\":\"Node\",\"fields\":[{\"name\":\"next\","
                            + "\"type\":[\"null\",\"Node\"],\"default\":null}]}");
            assertThatThrownBy(() -> data.toConnectSchema(list))
                    .isInstanceOf(DataException.class).hasMessageContaining("recursive");
        }

        @Test
        void mapsWithNonStringKeys() {
            Schema map = SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA).build();
            assertThatThrownBy(() -> data.fromConnectSchema(map))
                    .isInstanceOf(DataException.class).hasMessageContaining("STRING keys");
        }

        @Test
        void twoDifferentStructsWithTheSameName() {
            Schema one = SchemaBuilder.struct().name("t.Same").field("a", Schema.INT32_SCHEMA).build();
            Schema other = SchemaBuilder.struct().name("t.Same").field("b", Schema.STRING_SCHEMA).build();
            Schema both = SchemaBuilder.struct().name("t.Both").field("one", one).field("other", other).build();
            assertThatThrownBy(() -> data.fromConnectSchema(both))
                    .isInstanceOf(DataException.class).hasMessageContaining("t.Same");
        }

        @Test
        void schemalessData() {
            assertThatThrownBy(() -> data.fromConnectData(null, "text"))
                    .isInstanceOf(DataException.class).hasMessageContaining("Schemaless");
        }

        @Test
        void aRecordMissingARequiredValue() {
            GenericRecord record = asGeneric(ContractFixtures.minimalDeliveryEvent());
            ((GenericRecord) record.get("entity")).put("id", null);
            assertThatThrownBy(() -> data.toConnectData(DeliveryEvent.getClassSchema(), record))
                    .isInstanceOf(DataException.class)
                    .hasMessageContaining("dev.shipstream.schemas.DeliveryEvent.entity.id")
                    .hasMessageContaining("null");
        }

        @Test
        void aValueOfTheWrongType() {
            GenericRecord record = asGeneric(ContractFixtures.minimalDeliveryEvent());
            record.put("occurredAt", "yesterday");
            assertThatThrownBy(() -> data.toConnectData(DeliveryEvent.getClassSchema(), record))
                    .isInstanceOf(DataException.class)
                    .hasMessageContaining("DeliveryEvent.occurredAt")
                    .hasMessageContaining("java.lang.String");
        }

        @Test
        void aStringThatIsNotASymbolOfItsEnum() {
            Schema connect = data.toConnectSchema(DeliveryEvent.getClassSchema());
            Struct struct = (Struct) data.toConnectData(DeliveryEvent.getClassSchema(),
                    ContractFixtures.minimalDeliveryEvent()).value();
            struct.put("source", "BITRISE");
            assertThatThrownBy(() -> data.fromConnectData(connect, struct))
                    .isInstanceOf(DataException.class)
                    .hasMessageContaining("DeliveryEvent.source")
                    .hasMessageContaining("BITRISE");
        }

        @Test
        void aStructOfAnotherSchema() {
            Schema connect = data.toConnectSchema(DeliveryEvent.getClassSchema());
            Struct other = (Struct) data.toConnectData(DeadLetter.getClassSchema(),
                    ContractFixtures.deadLetter()).value();
            assertThatThrownBy(() -> data.fromConnectData(connect, other))
                    .isInstanceOf(DataException.class).hasMessageContaining("is not the expected");
        }

        @Test
        void aDecimalOfTheWrongScale() {
            Schema decimal = org.apache.kafka.connect.data.Decimal.schema(2);
            assertThatThrownBy(() -> data.fromConnectData(decimal, new BigDecimal("1.234")))
                    .isInstanceOf(DataException.class);
        }
    }

    @Test
    void keepsListOrderAndMapOrder() {
        Schema connect = SchemaBuilder.struct().name("t.Ordered")
                .field("list", SchemaBuilder.array(Schema.STRING_SCHEMA).build())
                .field("map", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build())
                .build();
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 20; i > 0; i--) {
            map.put("k" + i, i);
        }
        List<String> list = new ArrayList<>(map.keySet());
        Struct value = new Struct(connect).put("list", list).put("map", map);
        GenericRecord record = (GenericRecord) data.fromConnectData(connect, value);
        assertThat(new ArrayList<Object>((List<?>) record.get("list"))).containsExactlyElementsOf(list);
        assertThat(new ArrayList<Object>(((Map<?, ?>) record.get("map")).keySet()))
                .containsExactlyElementsOf(map.keySet());
        assertThat(data.toConnectData(data.fromConnectSchema(connect), record).value()).isEqualTo(value);
    }

    @Test
    void acceptsByteArraysForBytes() {
        Schema connect = SchemaBuilder.struct().name("t.Bytes").field("b", Schema.BYTES_SCHEMA).build();
        byte[] bytes = "raw".getBytes(StandardCharsets.UTF_8);
        GenericRecord record = (GenericRecord) data.fromConnectData(connect, new Struct(connect).put("b", bytes));
        assertThat(record.get("b")).isEqualTo(ByteBuffer.wrap(bytes));
    }

    /**
     * Asserts that the Connect data converts back to the original record under a schema equal to the record's,
     * compatible both ways, and readable as the generated class.
     */
    private void assertRoundTrip(SpecificRecord original, SchemaAndValue connect) {
        org.apache.avro.Schema originalSchema = original.getSchema();
        org.apache.avro.Schema regenerated = data.fromConnectSchema(connect.schema());
        assertThat(regenerated).isEqualTo(originalSchema);
        assertThat(regenerated.toString()).isEqualTo(originalSchema.toString());
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(regenerated, originalSchema).getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(originalSchema, regenerated).getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);

        Object back = data.fromConnectData(connect.schema(), connect.value());
        assertThat(back).isInstanceOf(GenericData.Record.class);
        GenericRecord record = (GenericRecord) back;
        assertThat(record).isEqualTo(asGeneric(original));
        assertThat(GenericData.get().validate(regenerated, record)).isTrue();
        SpecificRecord specific = asSpecific(record, originalSchema);
        assertThat(specific).isEqualTo(original);
    }
}
