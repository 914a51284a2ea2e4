package dev.shipstream.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipstream.ingress.IngressVerticle;
import dev.shipstream.ingress.WebhookSource;
import dev.shipstream.ingress.publish.RawWebhookEncoder;
import dev.shipstream.ingress.publish.RecordEnvelope;
import dev.shipstream.ingress.verify.Verification;
import dev.shipstream.schemas.AuthScheme;
import dev.shipstream.schemas.RawWebhook;
import io.vertx.core.MultiMap;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import org.apache.kafka.common.record.internal.AbstractRecords;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * The record envelope's worst case holds for every record {@link RawWebhooks} can build from a request Vert.x
 * accepts (a header block within {@link IngressVerticle#MAX_HEADER_SIZE}), with the configured ids.
 */
class RecordEnvelopeProperties {

    private static final int MAX_HEADERS = IngressVerticle.MAX_HEADER_SIZE;

    @Property(tries = 200)
    void aRecordNeverAddsMoreThanTheEnvelopeToItsBody(@ForAll("headers") List<Tuple2<String, String>> headers,
            @ForAll("ids") String endpointId, @ForAll("ids") String secretId, @ForAll("latin1") String remote,
            @ForAll("source") WebhookSource source) {
        MultiMap requestHeaders = MultiMap.caseInsensitiveMultiMap();
        int budget = MAX_HEADERS;
        for (Tuple2<String, String> header : headers) {
            // What Netty counts against the limit: the header line, name and value.
            int line = header.get1().length() + 2;
            if (line >= budget) {
                break;
            }
            String value = header.get2().substring(0, Math.min(header.get2().length(), budget - line));
            requestHeaders.add(header.get1(), value);
            budget -= line + value.length();
        }
        RecordEnvelope envelope = RecordEnvelope.of(MAX_HEADERS, List.of(endpointId), List.of(secretId),
                RawWebhooks.HEADER_ALLOW_LIST);
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

        RawWebhook record = RawWebhooks.of(new WebhookEndpoint(source, endpointId, null), requestHeaders,
                remote.substring(0, Math.min(remote.length(), MAX_HEADERS)), body, Instant.now(),
                RequestIds.next(System.currentTimeMillis()),
                new Verification.Accepted(AuthScheme.HMAC_SHA256, secretId));
        byte[] value = RawWebhookEncoder.encode(Integer.MAX_VALUE, record);

        assertThat(value.length - body.length).isLessThanOrEqualTo(envelope.valueOverhead());
    }

    @Example
    void theWorstCaseFillsTheHeaderBlockWithTwoByteCharacters() {
        MultiMap requestHeaders = MultiMap.caseInsensitiveMultiMap();
        List<String> names = RawWebhooks.HEADER_ALLOW_LIST;
        int perHeader = MAX_HEADERS / names.size();
        for (String name : names) {
            requestHeaders.add(name, "\u00ff".repeat(perHeader - name.length() - 2));
        }
        RecordEnvelope envelope = RecordEnvelope.of(MAX_HEADERS, List.of("default"), List.of("v1"), names);
        RawWebhook record = RawWebhooks.of(new WebhookEndpoint(WebhookSource.APP_STORE_CONNECT, "default", null),
                requestHeaders, "\u00ff".repeat(MAX_HEADERS), new byte[0], Instant.now(),
                RequestIds.next(System.currentTimeMillis()), new Verification.Accepted(AuthScheme.HMAC_SHA256, "v1"));

        int overhead = RawWebhookEncoder.encode(1, record).length;

        assertThat(overhead).isLessThanOrEqualTo(envelope.valueOverhead())
                .isGreaterThan(envelope.valueOverhead() * 3 / 4);
    }

    @Property(tries = 200)
    void theRecordSizeIsNeverBelowTheProducersOwnEstimate(@ForAll("bytes") byte[] key, @ForAll("bytes") byte[] value) {
        int producers = AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE,
                CompressionType.NONE, key, value, new org.apache.kafka.common.header.Header[0]);

        assertThat(RecordEnvelope.recordSize(key, value)).isGreaterThanOrEqualTo(producers);
    }

    @Provide
    Arbitrary<List<Tuple2<String, String>>> headers() {
        Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of(RawWebhooks.HEADER_ALLOW_LIST),
                Arbitraries.of("X-Other", "Authorization", "Content-Type", "USER-AGENT"));
        return Combinators.combine(names, latin1()).as(Tuple::of).list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<String> latin1() {
        return Arbitraries.strings().withCharRange('\u0020', '\u00ff').ofMaxLength(MAX_HEADERS);
    }

    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.strings().ofMinLength(1).ofMaxLength(64);
    }

    @Provide
    Arbitrary<WebhookSource> source() {
        return Arbitraries.of(WebhookSource.class);
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(100_000);
    }
}
