package dev.shipstream.ingress.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shipstream.schemas.AuthScheme;
import dev.shipstream.schemas.Authentication;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Source;
import dev.shipstream.schemas.serde.AvroSerializer;
import dev.shipstream.schemas.serde.SchemaRegistryClient;
import dev.shipstream.schemas.serde.SchemaRegistryClients;
import dev.shipstream.schemas.serde.WireFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class RawWebhookEncoderTest {

    static RawWebhook record(byte[] body) {
        return new RawWebhook(Source.APP_STORE_CONNECT, "default", Instant.ofEpochMilli(1_767_000_000_123L),
                "01a22ea2-ae94-7f7b-8733-6fbcdd46bf58", "127.0.0.1", "application/json", "Apple", "hmacsha256=ab",
                "7b64238e", Map.of("content-type", "application/json", "user-agent", "Apple"), ByteBuffer.wrap(body),
                new Authentication(AuthScheme.HMAC_SHA256, "v1"));
    }

    @Test
    void writesTheSameBytesAsTheAvroSerializerWithTheRegisteredId() {
        SchemaRegistryClient registry = SchemaRegistryClients.mockScope("raw-webhook-encoder-test");
        RawWebhook record = record("{\"data\":{\"ünï\":1}}\r\n".getBytes(StandardCharsets.UTF_8));
        byte[] expected;
        try (AvroSerializer<RawWebhook> serializer = new AvroSerializer<>(registry)) {
            expected = serializer.serialize("shipstream.webhooks.raw", record);
        }

        byte[] encoded = RawWebhookEncoder.encode(WireFormat.schemaId(expected), record);

        assertThat(encoded).isEqualTo(expected);
        assertThat(record.getBody().remaining()).as("the body buffer is not consumed").isPositive();
    }

    @Test
    void acceptsTheSchemaOfTheGeneratedClass() {
        assertThatCode(() -> RawWebhookEncoder.checkWritesSchema(RawWebhook.getClassSchema()))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesASchemaWithAFieldAdded() {
        Schema added = edited(fields -> fields.add(new Schema.Field("tenant", Schema.create(Schema.Type.STRING))));

        assertThatThrownBy(() -> RawWebhookEncoder.checkWritesSchema(added))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("where it writes nothing the schema has 'tenant: string'");
    }

    @Test
    void refusesASchemaWithAFieldRemoved() {
        Schema removed = edited(fields -> fields.remove(fields.size() - 1));

        assertThatThrownBy(() -> RawWebhookEncoder.checkWritesSchema(removed))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("where it writes 'authentication: record dev.shipstream.schemas.Authentication'"
                        + " the schema has nothing");
    }

    @Test
    void refusesTwoFieldsOfTheSameTypeInTheOtherOrder() {
        Schema swapped = edited(fields -> Collections.swap(fields, 1, 3));

        assertThatThrownBy(() -> RawWebhookEncoder.checkWritesSchema(swapped))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("where it writes 'endpointId: string' the schema has 'requestId: string'");
    }

    @Test
    void refusesAnOptionalFieldWhoseUnionHasTheNullBranchSecond() {
        Schema stringFirst = edited(fields -> fields.set(4, new Schema.Field("remoteAddress",
                Schema.createUnion(Schema.create(Schema.Type.STRING), Schema.create(Schema.Type.NULL)))));

        assertThatThrownBy(() -> RawWebhookEncoder.checkWritesSchema(stringFirst))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("where it writes 'remoteAddress: [null, string]'"
                        + " the schema has 'remoteAddress: [string, null]'");
    }

    @Test
    void refusesAReceivedAtInMicroseconds() {
        Schema micros = edited(fields -> fields.set(2, new Schema.Field("receivedAt",
                LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG)))));

        assertThatThrownBy(() -> RawWebhookEncoder.checkWritesSchema(micros))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("where it writes 'receivedAt: long timestamp-millis'"
                        + " the schema has 'receivedAt: long timestamp-micros'");
    }

    @Test
    void refusesAnAuthenticationWithAnotherField() {
        Schema authentication = RawWebhook.getClassSchema().getField("authentication").schema();
        List<Schema.Field> authenticationFields = copies(authentication.getFields());
        authenticationFields.add(new Schema.Field("keyId", Schema.create(Schema.Type.STRING)));
        Schema longer = edited(fields -> fields.set(11, new Schema.Field("authentication", Schema.createRecord(
                authentication.getName(), null, authentication.getNamespace(), false, authenticationFields))));

        assertThatThrownBy(() -> RawWebhookEncoder.checkWritesSchema(longer))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("where it writes nothing the schema has 'authentication.keyId: string'");
    }

    /** Ordinals are written: a schema listing the symbols in another order than the Java enum would be misread. */
    @Test
    void refusesEnumSymbolsInAnotherOrderThanTheJavaEnum() {
        String json = RawWebhook.getClassSchema().toString();
        String symbols = "\"symbols\":[\"APP_STORE_CONNECT\",\"EAS\",\"APPFLOW\",\"UNKNOWN\"]";
        assertThat(json).contains(symbols);
        Schema reordered = new Schema.Parser().parse(
                json.replace(symbols, "\"symbols\":[\"EAS\",\"APP_STORE_CONNECT\",\"APPFLOW\",\"UNKNOWN\"]"));

        assertThatThrownBy(() -> RawWebhookEncoder.checkWritesSchema(reordered))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("where it writes 'source: enum dev.shipstream.schemas.Source"
                        + " [APP_STORE_CONNECT, EAS, APPFLOW, UNKNOWN]' the schema has"
                        + " 'source: enum dev.shipstream.schemas.Source [EAS, APP_STORE_CONNECT, APPFLOW, UNKNOWN]'");
    }

    /** RawWebhook's schema with its fields (copies: a field belongs to one record) changed by {@code edit}. */
    private static Schema edited(Consumer<List<Schema.Field>> edit) {
        Schema schema = RawWebhook.getClassSchema();
        List<Schema.Field> fields = copies(schema.getFields());
        edit.accept(fields);
        return Schema.createRecord(schema.getName(), null, schema.getNamespace(), false, fields);
    }

    private static List<Schema.Field> copies(List<Schema.Field> fields) {
        List<Schema.Field> copies = new ArrayList<>();
        for (Schema.Field field : fields) {
            copies.add(new Schema.Field(field, field.schema()));
        }
        return copies;
    }
}
