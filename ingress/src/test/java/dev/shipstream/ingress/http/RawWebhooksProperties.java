package dev.shipstream.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipstream.ingress.WebhookSource;
import dev.shipstream.ingress.verify.Verification;
import dev.shipstream.schemas.AuthScheme;
import dev.shipstream.schemas.RawWebhook;
import io.vertx.core.MultiMap;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * {@link RawWebhooks} takes, in its one pass over the headers, what the plain reading of a request gives: each
 * record field is the first value of its header as {@link MultiMap#get} returns it, the headers map holds exactly
 * the allow-listed headers under their lower-case names with repeated values joined in arrival order, whatever the
 * case the client wrote the names in, and nothing else.
 */
class RawWebhooksProperties {

    @Property(tries = 300)
    void takesWhatLookingEachHeaderUpWouldGive(@ForAll("headers") List<Tuple2<String, String>> headers,
            @ForAll("sources") WebhookSource source) {
        MultiMap request = MultiMap.caseInsensitiveMultiMap();
        headers.forEach(header -> request.add(header.get1(), header.get2()));

        RawWebhook record = record(source, request);

        assertThat(record.getContentType()).isEqualTo(request.get("content-type"));
        assertThat(record.getUserAgent()).isEqualTo(request.get("user-agent"));
        assertThat(record.getSignature()).isEqualTo(switch (source) {
            case APP_STORE_CONNECT -> request.get("x-apple-signature");
            case EAS -> request.get("expo-signature");
            case APPFLOW -> null;
        });
        assertThat(record.getProviderRequestId())
                .isEqualTo(source == WebhookSource.APP_STORE_CONNECT ? request.get("x-apple-request-uuid") : null);
        Map<String, String> expected = new LinkedHashMap<>();
        for (String name : RawWebhooks.HEADER_ALLOW_LIST) {
            List<String> values = request.getAll(name);
            if (!values.isEmpty()) {
                expected.put(name, String.join(", ", values));
            }
        }
        assertThat(record.getHeaders()).isEqualTo(expected);
    }

    @Example
    void namesAreMatchedIgnoringAsciiCaseOnly() {
        assertThat(RawWebhooks.allowListIndex("Content-Type")).isEqualTo(RawWebhooks.HEADER_ALLOW_LIST.indexOf(
                "content-type"));
        assertThat(RawWebhooks.allowListIndex("X-APPLE-SIGNATURE")).isEqualTo(RawWebhooks.HEADER_ALLOW_LIST.indexOf(
                "x-apple-signature"));
        // The Kelvin sign equals 'k' ignoring case for String.equalsIgnoreCase, but is no header name's letter.
        assertThat(RawWebhooks.allowListIndex("x-apple-jingle-correlation-\u212Aey")).isEqualTo(-1);
        assertThat(RawWebhooks.allowListIndex("authorization")).isEqualTo(-1);
        assertThat(RawWebhooks.allowListIndex("content-typ")).isEqualTo(-1);
    }

    private static RawWebhook record(WebhookSource source, MultiMap request) {
        return RawWebhooks.of(new WebhookEndpoint(source, "default", null), request, "192.0.2.1", new byte[0],
                Instant.EPOCH, "id", new Verification.Accepted(AuthScheme.HMAC_SHA256, "v1"));
    }

    @Provide
    Arbitrary<List<Tuple2<String, String>>> headers() {
        Arbitrary<String> allowListed = Arbitraries.of(RawWebhooks.HEADER_ALLOW_LIST).flatMap(name -> Arbitraries.of(
                name, name.toUpperCase(Locale.ROOT), capitalised(name)));
        Arbitrary<String> names = Arbitraries.frequencyOf(Tuple.of(4, allowListed),
                Tuple.of(1, Arbitraries.of("Host", "Authorization", "Cookie", "X-Other", "Content-Typ")));
        Arbitrary<String> values = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12);
        return Combinators.combine(names, values).as(Tuple::of).list().ofMaxSize(12);
    }

    @Provide
    Arbitrary<WebhookSource> sources() {
        return Arbitraries.of(WebhookSource.class);
    }

    /** {@code content-type} as {@code Content-Type}. */
    private static String capitalised(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            out.append(upper ? Character.toUpperCase(c) : c);
            upper = c == '-';
        }
        return out.toString();
    }
}
