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
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * {@link RawWebhookEncoder} writes exactly the bytes of {@code AvroSerializer} for every envelope: any source and
 * authentication scheme, any strings (non-ASCII, characters beyond the BMP and lone surrogates included), any instant
 * (also with a part of a millisecond), each optional field absent and present, no, one or several headers, and
 * bodies of any size (empty, and also larger than the encoder's first guess of the envelope, so that its buffer must
 * grow). That each of these cases was generated is checked too.
 */
class RawWebhookEncoderProperties {

    private static final AvroSerializer<RawWebhook> SERIALIZER =
            new AvroSerializer<>(SchemaRegistryClients.mockScope("raw-webhook-encoder-properties"));

    @AfterContainer
    static void close() {
        SERIALIZER.close();
    }

    @Property(tries = 300)
    @StatisticsReport(onFailureOnly = true)
    void encodesByteForByteAsTheAvroSerializer(@ForAll Source source, @ForAll("text") String endpointId,
            @ForAll("instants") Instant receivedAt, @ForAll("text") String requestId,
            @ForAll("optionalText") String remote, @ForAll("optionalText") String contentType,
            @ForAll("optionalText") String userAgent, @ForAll("optionalText") String signature,
            @ForAll("optionalText") String providerRequestId, @ForAll("headers") Map<String, String> headers,
            @ForAll @Size(max = 5000) byte[] body, @ForAll @IntRange(max = 40) int bodyOffset,
            @ForAll AuthScheme scheme, @ForAll("text") String secretId) {
        int offset = Math.min(bodyOffset, body.length);
        // A body that is a slice of a larger array, as a wrapped buffer may be.
        ByteBuffer slice = ByteBuffer.wrap(body, offset, body.length - offset);
        RawWebhook record = new RawWebhook(source, endpointId, receivedAt, requestId, remote, contentType, userAgent,
                signature, providerRequestId, headers, slice, new Authentication(scheme, secretId));
        byte[] expected = SERIALIZER.serialize("shipstream.webhooks.raw", record);

        byte[] encoded = RawWebhookEncoder.encode(WireFormat.schemaId(expected), record);

        assertThat(encoded).isEqualTo(expected);
        assertThat(record.getBody().remaining()).as("the body buffer is not consumed").isEqualTo(body.length - offset);
        covers("source", source, (Object[]) Source.values());
        covers("scheme", scheme, (Object[]) AuthScheme.values());
        covers("remoteAddress is null", remote == null, true, false);
        covers("contentType is null", contentType == null, true, false);
        covers("userAgent is null", userAgent == null, true, false);
        covers("signature is null", signature == null, true, false);
        covers("providerRequestId is null", providerRequestId == null, true, false);
        covers("headers", Math.min(headers.size(), 2), 0, 1, 2);
        covers("body is empty", !slice.hasRemaining(), true, false);
        covers("receivedAt has a part of a millisecond", receivedAt.getNano() % 1_000_000 != 0, true, false);
        covers("endpointId is ASCII", endpointId.chars().allMatch(c -> c < 0x80), true, false);
    }

    /** Fails the property unless each of {@code expected} was the {@code label}'s value in some try. */
    private static void covers(String label, Object value, Object... expected) {
        Statistics.label(label).collect(value);
        Statistics.label(label).coverage(coverage -> {
            for (Object each : expected) {
                coverage.check(each).count(count -> count > 0);
            }
        });
    }

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().all().ofMaxLength(12),
                // One to four bytes in UTF-8, and a surrogate without its pair.
                Arbitraries.of("a", "\u00fc", "\u20ac", "\u65e5\u672c", "\ud83d\ude00", "\ud800").list().ofMaxSize(10)
                        .map(parts -> String.join("", parts)),
                Arbitraries.strings().withCharRange('\u00a0', '\u00ff').ofMinLength(600).ofMaxLength(900));
    }

    /** Any millisecond, and any nanosecond whose millisecond fits a long as {@code Instant.toEpochMilli} needs. */
    @Provide
    Arbitrary<Instant> instants() {
        long maxSeconds = Long.MAX_VALUE / 1000 - 1;
        return Arbitraries.oneOf(Arbitraries.longs().map(Instant::ofEpochMilli),
                Combinators.combine(Arbitraries.longs().between(-maxSeconds, maxSeconds),
                        Arbitraries.longs().between(0, 999_999_999)).as(Instant::ofEpochSecond));
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
