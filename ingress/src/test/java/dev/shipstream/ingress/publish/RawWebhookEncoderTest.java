package dev.shipstream.ingress.publish;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.Map;
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
}
