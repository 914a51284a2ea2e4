package dev.shipstream.ingress.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipstream.schemas.AuthScheme;
import dev.shipstream.schemas.Authentication;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Source;
import dev.shipstream.schemas.serde.AvroSerializer;
import dev.shipstream.schemas.serde.SchemaRegistryClients;
import dev.shipstream.schemas.serde.WireFormat;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * {@link RawWebhookEncoder} writes exactly the bytes of {@code AvroSerializer} for every envelope: any source, any
 * strings (non-ASCII and surrogates included), absent optional fields, any headers and bodies of any size (also
 * larger than the encoder's first guess of the envelope, so that its buffer must grow).
 */
class RawWebhookEncoderProperties {

    private static final AvroSerializer<RawWebhook> SERIALIZER =
            new AvroSerializer<>(SchemaRegistryClients.mockScope("raw-webhook-encoder-properties"));

    @AfterContainer
    static void close() {
        SERIALIZER.close();
    }

    @Property(tries = 300)
    void encodesByteForByteAsTheAvroSerializer(@ForAll Source source, @ForAll("text") String endpointId,
            @ForAll long receivedAtMillis, @ForAll("text") String requestId, @ForAll("optionalText") String remote,
            @ForAll("optionalText") String contentType, @ForAll("optionalText") String userAgent,
            @ForAll("optionalText") String signature, @ForAll("optionalText") String providerRequestId,
            @ForAll("headers") Map<String, String> headers,
            @ForAll @Size(max = 5000) byte[] body, @ForAll @IntRange(max = 40) int bodyOffset,
            @ForAll AuthScheme scheme, @ForAll("text") String secretId) {
        int offset = Math.min(bodyOffset, body.length);
        // A body that is a slice of a larger array, as a wrapped buffer may be.
        ByteBuffer slice = ByteBuffer.wrap(body, offset, body.length - offset);
        RawWebhook record = new RawWebhook(source, endpointId, Instant.ofEpochMilli(receivedAtMillis), requestId,
                remote, contentType, userAgent, signature, providerRequestId, headers, slice,
                new Authentication(scheme, secretId));
        byte[] expected = SERIALIZER.serialize("shipstream.webhooks.raw", record);

        byte[] encoded = RawWebhookEncoder.encode(WireFormat.schemaId(expected), record);

        assertThat(encoded).isEqualTo(expected);
        assertThat(record.getBody().remaining()).as("the body buffer is not consumed").isEqualTo(body.length - offset);
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().all().ofMaxLength(12),
                Arbitraries.strings().withCharRange('\u00a0', '\u00ff').ofMinLength(600).ofMaxLength(900));
    }

    @Provide
    Arbitrary<Map<String, String>> headers() {
        return Arbitraries.maps(text(), text()).ofMaxSize(8);
    }

    @Provide
    Arbitrary<String> optionalText() {
        return text().injectNull(0.3);
    }
}
