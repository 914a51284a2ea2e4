package dev.shipstream.ingress.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipstream.ingress.verify.Verification.Accepted;
import dev.shipstream.ingress.verify.Verification.Rejected;
import dev.shipstream.ingress.verify.Verification.RejectionReason;
import dev.shipstream.schemas.AuthScheme;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * Properties of the two body-HMAC verifiers, checked against {@link ReferenceHmac}, which shares no code with them.
 */
class HmacVerifierProperties {

    /** The two providers that sign bodies, with what differs between them. */
    enum Provider {
        APPLE("x-apple-signature", "hmacsha256=", "HmacSHA256", AuthScheme.HMAC_SHA256, AppStoreConnectVerifier::new),
        EXPO("expo-signature", "sha1=", "HmacSHA1", AuthScheme.HMAC_SHA1, EasVerifier::new);

        final String header;
        final String prefix;
        final String jcaName;
        final AuthScheme scheme;
        final Function<List<WebhookSecret>, WebhookVerifier> factory;

        Provider(String header, String prefix, String jcaName, AuthScheme scheme,
                 Function<List<WebhookSecret>, WebhookVerifier> factory) {
            this.header = header;
            this.prefix = prefix;
            this.jcaName = jcaName;
            this.scheme = scheme;
            this.factory = factory;
        }

        WebhookVerifier verifier(WebhookSecret... secrets) {
            return factory.apply(List.of(secrets));
        }

        byte[] digest(String secret, byte[] body) {
            return ReferenceHmac.hmac(jcaName, secret, body);
        }

        String header(String secret, byte[] body) {
            return prefix + HexFormat.of().formatHex(digest(secret, body));
        }

        Verification verify(WebhookVerifier verifier, byte[] body, String headerValue) {
            return verifier.verify(FakeRequest.withBody(body).header(header, headerValue));
        }
    }

    @Property
    void signThenVerifyAcceptsWithTheRightSecretId(@ForAll Provider provider, @ForAll("bodies") byte[] body,
                                                    @ForAll("secrets") String secret, @ForAll("ids") String id) {
        WebhookVerifier verifier = provider.verifier(WebhookSecret.of(id, secret));

        assertThat(provider.verify(verifier, body, provider.header(secret, body)))
                .isEqualTo(new Accepted(provider.scheme, id));
    }

    @Property
    void anyBitFlipInTheBodyRejects(@ForAll Provider provider, @ForAll("nonEmptyBodies") byte[] body,
                                    @ForAll("secrets") String secret, @ForAll @IntRange(min = 0) int position,
                                    @ForAll @IntRange(min = 0, max = 7) int bit) {
        WebhookVerifier verifier = provider.verifier(WebhookSecret.of("current", secret));
        String signature = provider.header(secret, body);
        byte[] tampered = body.clone();
        tampered[position % tampered.length] ^= (byte) (1 << bit);

        assertThat(provider.verify(verifier, tampered, signature))
                .isEqualTo(new Rejected(RejectionReason.SIGNATURE_MISMATCH));
    }

    @Property
    void anyBitFlipInTheSignatureRejects(@ForAll Provider provider, @ForAll("bodies") byte[] body,
                                         @ForAll("secrets") String secret, @ForAll @IntRange(min = 0) int position,
                                         @ForAll @IntRange(min = 0, max = 7) int bit) {
        WebhookVerifier verifier = provider.verifier(WebhookSecret.of("current", secret));
        byte[] digest = provider.digest(secret, body);
        digest[position % digest.length] ^= (byte) (1 << bit);

        assertThat(provider.verify(verifier, body, provider.prefix + HexFormat.of().formatHex(digest)))
                .isEqualTo(new Rejected(RejectionReason.SIGNATURE_MISMATCH));
    }

    @Property
    void signatureMadeWithASecretThatIsNotActiveRejects(@ForAll Provider provider, @ForAll("bodies") byte[] body,
                                                        @ForAll("secrets") String active,
                                                        @ForAll("secrets") String other) {
        // HMAC pads short keys with zero bytes, so "k" and "k\0" are the same key; such pairs are not "other".
        Assume.that(!Arrays.equals(withoutTrailingZeros(active), withoutTrailingZeros(other)));
        WebhookVerifier verifier = provider.verifier(WebhookSecret.of("current", active));

        assertThat(provider.verify(verifier, body, provider.header(other, body)))
                .isEqualTo(new Rejected(RejectionReason.SIGNATURE_MISMATCH));
    }

    @Property
    void rotationAcceptsEitherActiveSecretAndReportsWhich(@ForAll Provider provider, @ForAll("bodies") byte[] body,
                                                           @ForAll("secrets") String previous,
                                                           @ForAll("secrets") String next,
                                                           @ForAll boolean signWithNext) {
        Assume.that(!Arrays.equals(withoutTrailingZeros(previous), withoutTrailingZeros(next)));
        WebhookVerifier verifier = provider.verifier(
                WebhookSecret.of("previous", previous), WebhookSecret.of("next", next));

        Verification result = provider.verify(verifier, body, provider.header(signWithNext ? next : previous, body));

        assertThat(result).isEqualTo(new Accepted(provider.scheme, signWithNext ? "next" : "previous"));
    }

    /**
     * Headers near the real one (edited, re-cased, padded, cut) are accepted exactly when they still denote the
     * signature, and arbitrary text never is.
     */
    @Property
    @StatisticsReport(onFailureOnly = true)
    void acceptsAnEditedHeaderOnlyIfItStillDenotesTheSignature(@ForAll Provider provider,
                                                               @ForAll("bodies") byte[] body,
                                                               @ForAll("secrets") String secret,
                                                               @ForAll("edits") List<Edit> edits) {
        WebhookVerifier verifier = provider.verifier(WebhookSecret.of("current", secret));
        String signature = provider.header(secret, body);
        String header = signature;
        for (Edit edit : edits) {
            header = edit.apply(header);
        }

        Verification result = provider.verify(verifier, body, header);

        boolean denotesSignature = denotesSignature(header, provider.prefix, signature);
        Statistics.label("still the signature").collect(denotesSignature);
        assertThat(result instanceof Accepted).as("accepted %s", header).isEqualTo(denotesSignature);
        if (!denotesSignature) {
            assertThat(result).isInstanceOf(Rejected.class);
        }
        // Both outcomes must really be exercised, or the property would prove nothing about one of them.
        Statistics.label("still the signature").coverage(coverage -> {
            coverage.check(true).percentage(p -> p > 5);
            coverage.check(false).percentage(p -> p > 5);
        });
    }

    @Property
    void arbitraryHeaderTextIsNeverAcceptedAndNeverThrows(@ForAll Provider provider, @ForAll("bodies") byte[] body,
                                                          @ForAll("headerTexts") String header) {
        WebhookVerifier verifier = provider.verifier(WebhookSecret.of("current", "an active secret value"));

        Verification result = provider.verify(verifier, body, header);

        assertThat(result).isInstanceOf(Rejected.class);
    }

    @Example
    void hugeHeaderIsRejectedAsMalformed() {
        for (Provider provider : Provider.values()) {
            WebhookVerifier verifier = provider.verifier(WebhookSecret.of("current", "an active secret value"));
            String huge = provider.prefix + "a".repeat(4 * 1024 * 1024);

            assertThat(provider.verify(verifier, new byte[0], huge))
                    .isEqualTo(new Rejected(RejectionReason.MALFORMED_SIGNATURE));
        }
    }

    /** What the verifier must accept: exactly the prefix and the hex digest, any hex case, spaces/tabs around. */
    private static boolean denotesSignature(String header, String prefix, String signature) {
        String trimmed = header.replaceAll("^[ \t]+|[ \t]+$", "");
        if (!trimmed.startsWith(prefix) || !trimmed.chars().allMatch(c -> c < 128)) {
            return false;
        }
        return trimmed.substring(prefix.length()).toLowerCase(Locale.ROOT)
                .equals(signature.substring(prefix.length()));
    }

    private static byte[] withoutTrailingZeros(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        return Arrays.copyOf(bytes, end);
    }

    /** One change to a header string, at a position taken modulo its length. */
    record Edit(Kind kind, int position, char character) {
        enum Kind { REPLACE, INSERT, DELETE, SWAP_CASE, PAD, TRUNCATE }

        String apply(String text) {
            int at = text.isEmpty() ? 0 : position % text.length();
            return switch (kind) {
                case REPLACE -> text.isEmpty() ? text : text.substring(0, at) + character + text.substring(at + 1);
                case INSERT -> text.substring(0, at) + character + text.substring(at);
                case DELETE -> text.isEmpty() ? text : text.substring(0, at) + text.substring(at + 1);
                case SWAP_CASE -> text.isEmpty() ? text : text.substring(0, at) + swapCase(text.charAt(at))
                        + text.substring(at + 1);
                case PAD -> (position % 2 == 0 ? " " : "\t") + text + (character % 2 == 0 ? "\t" : " ");
                case TRUNCATE -> text.substring(0, at);
            };
        }

        private static char swapCase(char c) {
            return Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
        }
    }

    @Provide
    Arbitrary<List<Edit>> edits() {
        Arbitrary<Character> characters = Arbitraries.oneOf(
                Arbitraries.chars().with("0123456789abcdefABCDEF=:, \t"), Arbitraries.chars());
        Arbitrary<Edit> edit = Combinators.combine(
                        Arbitraries.of(Edit.Kind.class), Arbitraries.integers().greaterOrEqual(0), characters)
                .as(Edit::new);
        return edit.list().ofMinSize(0).ofMaxSize(3);
    }

    @Provide
    Arbitrary<String> headerTexts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(200),
                Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofLength(40).map(h -> "sha1=" + h),
                Arbitraries.strings().withChars("0123456789abcdef").ofLength(64).map(h -> "hmacsha256=" + h),
                Arbitraries.just("")).injectNull(0.05);
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(4096);
    }

    @Provide
    Arbitrary<byte[]> nonEmptyBodies() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(4096);
    }

    /** At least 16 characters so the same secrets serve Expo, whose minimum that is; any Unicode, any length. */
    @Provide
    Arbitrary<String> secrets() {
        return Arbitraries.oneOf(
                        Arbitraries.strings().all().ofMinLength(16).ofMaxLength(200),
                        Arbitraries.strings().ascii().ofMinLength(16).ofMaxLength(80))
                .filter(s -> !s.isBlank());
    }

    @Provide
    Arbitrary<String> ids() {
        return Arbitraries.strings().alpha().numeric().withChars('-').ofMinLength(1).ofMaxLength(12)
                .filter(s -> !s.isBlank());
    }
}
