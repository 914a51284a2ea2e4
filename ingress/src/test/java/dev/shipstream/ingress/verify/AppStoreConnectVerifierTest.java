package dev.shipstream.ingress.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shipstream.ingress.verify.Verification.Accepted;
import dev.shipstream.ingress.verify.Verification.Rejected;
import dev.shipstream.ingress.verify.Verification.RejectionReason;
import dev.shipstream.schemas.AuthScheme;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AppStoreConnectVerifierTest {

    /** Apple's published vector (docs/sources.md). */
    private static final String APPLE_SECRET = "This is my secret";
    private static final String APPLE_BODY = "Hello, World!";
    private static final String APPLE_SIGNATURE =
            "hmacsha256=7f062172b01cb00b53ca068614674a3d982a34062a0f5d37687d5e3377e54657";

    /**
     * The test ping of the ZhgChgLi article (docs/sources.md), byte for byte as it prints it: lines joined by
     * LF, no indentation, no trailing newline.
     */
    static final String SEED_PING_BODY = "{\n"
            + "\"data\" : {\n"
            + "\"type\" : \"webhookPingCreated\",\n"
            + "\"id\" : \"65726e27-cb79-47f2-a3e4-c8ced9f356e8\",\n"
            + "\"version\" : 1,\n"
            + "\"attributes\" : {\n"
            + "\"timestamp\" : \"2025-12-26T15:47:38.472168681Z\"\n"
            + "}\n"
            + "}\n"
            + "}";
    /** The header the article shows with that ping; the article does not publish the secret it was made with. */
    static final String SEED_PING_SIGNATURE =
            "hmacsha256=cf50020f0bbd3c5274860594f616f1806965c1f9fb765d8d278f512dff5b4c0e";

    private static final String SECRET = "shipstream-asc-kat-secret";
    /**
     * Computed independently with OpenSSL 3 over the seed ping written to ping.json with printf (no trailing
     * newline): {@code openssl dgst -sha256 -hmac 'shipstream-asc-kat-secret' ping.json}.
     */
    private static final String SEED_PING_SIGNED_WITH_SECRET =
            "hmacsha256=e4dbea1610cfce785f7d16e0e4b722c154100ba83d520fd73603f7698709994d";

    private final AppStoreConnectVerifier verifier =
            new AppStoreConnectVerifier(List.of(WebhookSecret.of("2026-11", SECRET)));

    @Test
    void acceptsApplesPublishedTestVector() {
        AppStoreConnectVerifier apple = new AppStoreConnectVerifier(List.of(WebhookSecret.of("apple", APPLE_SECRET)));

        Verification result = apple.verify(FakeRequest.withBody(APPLE_BODY).header("x-apple-signature",
                APPLE_SIGNATURE));

        assertThat(result).isEqualTo(new Accepted(AuthScheme.HMAC_SHA256, "apple"));
    }

    @Test
    void acceptsSeedPingSignedWithIndependentlyComputedSignature() {
        Verification result = verifier.verify(FakeRequest.withBody(SEED_PING_BODY)
                .header("x-apple-signature", SEED_PING_SIGNED_WITH_SECRET));

        assertThat(result).isEqualTo(new Accepted(AuthScheme.HMAC_SHA256, "2026-11"));
    }

    @Test
    void rejectsSeedPingWithTrailingNewlineAddedByATransport() {
        Verification result = verifier.verify(FakeRequest.withBody(SEED_PING_BODY + "\n")
                .header("x-apple-signature", SEED_PING_SIGNED_WITH_SECRET));

        assertThat(result).isEqualTo(new Rejected(RejectionReason.SIGNATURE_MISMATCH));
    }

    @Test
    void readsTheSeedPingSignatureAsAWellFormedSha256Digest() {
        assertThat(SignatureHeader.parse(SEED_PING_SIGNATURE, "hmacsha256=", 32)).get()
                .isEqualTo(HexFormat.of().parseHex(SEED_PING_SIGNATURE.substring("hmacsha256=".length())));

        // Without the article's secret the best we can say is that the header is well-formed and does not match ours.
        Verification result = verifier.verify(FakeRequest.withBody(SEED_PING_BODY)
                .header("x-apple-signature", SEED_PING_SIGNATURE));
        assertThat(result).isEqualTo(new Rejected(RejectionReason.SIGNATURE_MISMATCH));
    }

    @Test
    void acceptsEitherSecretDuringRotationAndNamesTheOneThatMatched() {
        AppStoreConnectVerifier rotating = new AppStoreConnectVerifier(List.of(
                WebhookSecret.of("2026-10", "old secret value"), WebhookSecret.of("2026-11", "new secret value")));
        byte[] body = SEED_PING_BODY.getBytes(StandardCharsets.UTF_8);

        assertThat(rotating.verify(FakeRequest.withBody(body)
                .header("x-apple-signature", ReferenceHmac.appleHeader("old secret value", body))))
                .isEqualTo(new Accepted(AuthScheme.HMAC_SHA256, "2026-10"));
        assertThat(rotating.verify(FakeRequest.withBody(body)
                .header("x-apple-signature", ReferenceHmac.appleHeader("new secret value", body))))
                .isEqualTo(new Accepted(AuthScheme.HMAC_SHA256, "2026-11"));
        assertThat(rotating.verify(FakeRequest.withBody(body)
                .header("x-apple-signature", ReferenceHmac.appleHeader("retired secret value", body))))
                .isEqualTo(new Rejected(RejectionReason.SIGNATURE_MISMATCH));
    }

    static Stream<Arguments> malformedHeaders() {
        String hex = SEED_PING_SIGNED_WITH_SECRET.substring("hmacsha256=".length());
        return Stream.of(
                Arguments.of("empty", ""),
                Arguments.of("only whitespace", "   "),
                Arguments.of("prefix only", "hmacsha256="),
                Arguments.of("GitHub's prefix", "sha256=" + hex),
                Arguments.of("upper-case prefix", "HMACSHA256=" + hex),
                Arguments.of("no prefix", hex),
                Arguments.of("odd-length hex", "hmacsha256=" + hex.substring(1)),
                Arguments.of("non-hex digit", "hmacsha256=" + hex.substring(0, 63) + "g"),
                Arguments.of("SHA-1 length", "hmacsha256=" + hex.substring(0, 40)),
                Arguments.of("one byte too long", "hmacsha256=" + hex + "00"),
                Arguments.of("space inside", "hmacsha256= " + hex),
                Arguments.of("two signatures in one value", "hmacsha256=" + hex + ",hmacsha256=" + hex),
                Arguments.of("full-width digit", "hmacsha256=" + hex.substring(0, 63) + "\uff10"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedHeaders")
    void rejectsMalformedSignatureHeader(String description, String header) {
        Verification result = verifier.verify(FakeRequest.withBody(SEED_PING_BODY)
                .header("x-apple-signature", header));

        assertThat(result).isEqualTo(new Rejected(RejectionReason.MALFORMED_SIGNATURE));
    }

    @Test
    void rejectsMissingSignatureHeader() {
        assertThat(verifier.verify(FakeRequest.withBody(SEED_PING_BODY)))
                .isEqualTo(new Rejected(RejectionReason.MISSING_SIGNATURE));
    }

    @Test
    void rejectsAnotherProvidersSignatureHeaderAsMissing() {
        byte[] body = SEED_PING_BODY.getBytes(StandardCharsets.UTF_8);
        Verification result = verifier.verify(FakeRequest.withBody(body)
                .header("x-hub-signature-256", ReferenceHmac.appleHeader(SECRET, body)));

        assertThat(result).isEqualTo(new Rejected(RejectionReason.MISSING_SIGNATURE));
    }

    @Test
    void rejectsRepeatedSignatureHeaderEvenWhenBothCopiesAreValid() {
        Verification result = verifier.verify(FakeRequest.withBody(SEED_PING_BODY)
                .header("x-apple-signature", SEED_PING_SIGNED_WITH_SECRET)
                .header("X-Apple-Signature", SEED_PING_SIGNED_WITH_SECRET));

        assertThat(result).isEqualTo(new Rejected(RejectionReason.MALFORMED_SIGNATURE));
    }

    @Test
    void acceptsSurroundingWhitespaceAndUpperCaseHexDigits() {
        String hex = SEED_PING_SIGNED_WITH_SECRET.substring("hmacsha256=".length());

        Verification result = verifier.verify(FakeRequest.withBody(SEED_PING_BODY)
                .header("x-apple-signature", " \thmacsha256=" + hex.toUpperCase(java.util.Locale.ROOT) + "\t "));

        assertThat(result).isEqualTo(new Accepted(AuthScheme.HMAC_SHA256, "2026-11"));
    }

    @Test
    void rejectsSignatureOfDifferentBody() {
        Verification result = verifier.verify(FakeRequest.withBody(SEED_PING_BODY.replace("1", "2"))
                .header("x-apple-signature", SEED_PING_SIGNED_WITH_SECRET));

        assertThat(result).isEqualTo(new Rejected(RejectionReason.SIGNATURE_MISMATCH));
    }

    @Test
    void rejectsInsteadOfThrowingForNullRequestNullHeaderValueAndNullBody() {
        assertThat(verifier.verify(null)).isEqualTo(new Rejected(RejectionReason.MISSING_SIGNATURE));
        assertThat(verifier.verify(FakeRequest.withBody(SEED_PING_BODY).header("x-apple-signature", null)))
                .isEqualTo(new Rejected(RejectionReason.MISSING_SIGNATURE));
        assertThat(verifier.verify(FakeRequest.withBody((byte[]) null)
                .header("x-apple-signature", ReferenceHmac.appleHeader(SECRET, new byte[0]))))
                .isEqualTo(new Accepted(AuthScheme.HMAC_SHA256, "2026-11"));
    }

    @Test
    void isSafeToShareAcrossThreads() throws Exception {
        // Bodies of some kilobytes keep each HMAC busy long enough for threads to interleave on a shared Mac.
        List<byte[]> bodies = new ArrayList<>();
        List<String> headers = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            byte[] body = ("{\"n\":" + i + ",\"pad\":\"" + "x".repeat(16 * 1024) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            bodies.add(body);
            headers.add(ReferenceHmac.appleHeader(SECRET, body));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> outcomes = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                int n = i;
                outcomes.add(pool.submit(() -> verifier.verify(FakeRequest.withBody(bodies.get(n % 64))
                        .header("x-apple-signature", headers.get(n % 64))) instanceof Accepted));
            }
            for (Future<Boolean> outcome : outcomes) {
                assertThat(outcome.get(60, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void signsTheWayAppleDoes() {
        byte[] body = APPLE_BODY.getBytes(StandardCharsets.UTF_8);

        assertThat(AppStoreConnectVerifier.signatureHeaderValue(Secret.of(APPLE_SECRET), body))
                .isEqualTo(APPLE_SIGNATURE);
    }

    @Test
    void refusesToStartWithoutSecretsOrWithAmbiguousIds() {
        assertThatThrownBy(() -> new AppStoreConnectVerifier(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("App Store Connect verifier needs at least one active secret");
        assertThatThrownBy(() -> new AppStoreConnectVerifier(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("App Store Connect verifier needs at least one active secret");
        List<WebhookSecret> withNull = new ArrayList<>();
        withNull.add(null);
        assertThatThrownBy(() -> new AppStoreConnectVerifier(withNull))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("App Store Connect verifier was given a null secret");
        assertThatThrownBy(() -> new AppStoreConnectVerifier(List.of(
                WebhookSecret.of("2026-11", "first value"), WebhookSecret.of("2026-11", "second value"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("App Store Connect verifier was given two secrets with id '2026-11'");
    }
}
