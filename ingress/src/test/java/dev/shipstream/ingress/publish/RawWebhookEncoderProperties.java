package dev.shipstream.ingress.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipstream.schemas.AuthScheme;
import dev.shipstream.schemas.Authentication;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Source;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The direct writer of {@link RawWebhookEncoder} writes exactly what Avro's generic writer writes. */
class RawWebhookEncoderProperties {

    @Property(tries = 300)
    void theDirectWriterWritesTheBytesOfAvrosWriter(@ForAll("records") RawWebhook record) {
        int position = record.getBody().position();

        byte[] direct = RawWebhookEncoder.encode(42, record, true);

        assertThat(direct).isEqualTo(RawWebhookEncoder.encode(42, record, false));
        assertThat(record.getBody().position()).as("the body buffer is not consumed").isEqualTo(position);
    }

    @Provide
    Arbitrary<RawWebhook> records() {
        Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(40);
        Arbitrary<String> optional = text.injectNull(0.3);
        Arbitrary<Map<String, String>> headers = Arbitraries.maps(text, text).ofMaxSize(8);
        Arbitrary<ByteBuffer> bodies = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000)
                .flatMap(bytes -> Arbitraries.integers().between(0, bytes.length)
                        .map(offset -> ByteBuffer.wrap(bytes, offset, bytes.length - offset).slice()));
        Arbitrary<Instant> times = Arbitraries.longs().between(-62_135_596_800_000L, 253_402_300_799_999L)
                .map(Instant::ofEpochMilli);
        return Combinators.combine(Arbitraries.of(Source.class), text, times, text, optional, optional, optional,
                        optional)
                .flatAs((source, endpoint, receivedAt, requestId, remote, contentType, userAgent, signature) ->
                        Combinators.combine(optional, headers, bodies, Arbitraries.of(AuthScheme.class), text)
                                .as((providerId, headerMap, body, scheme, secretId) -> new RawWebhook(source,
                                        endpoint, receivedAt, requestId, remote, contentType, userAgent, signature,
                                        providerId, headerMap, body, new Authentication(scheme, secretId))));
    }
}
