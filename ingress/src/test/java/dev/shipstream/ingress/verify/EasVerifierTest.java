package dev.shipstream.ingress.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shipstream.ingress.verify.Verification.Accepted;
import dev.shipstream.ingress.verify.Verification.Rejected;
import dev.shipstream.ingress.verify.Verification.RejectionReason;
import dev.shipstream.schemas.AuthScheme;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EasVerifierTest {

    private static final String SECRET = "shipstream-eas-kat-secret";

    /**
     * Expo's submit example (docs/sources.md) with its explanatory comments removed (they are
     * not JSON), serialised compactly as JSON.stringify does.
     */
    private static final String SUBMIT_BODY = "{\"id\":\"0374430d-7776-44ad-be7d-8513629adc54\","
            + "\"accountName\":\"dsokal\",\"projectName\":\"example\","
            + "\"submissionDetailsPageUrl\":\"https://expo.dev/accounts/dsokal/projects/example/builds/"
            + "0374430d-7776-44ad-be7d-8513629adc54\","
            + "\"parentSubmissionId\":\"75ac0be7-0d90-46d5-80ec-9423fa0aaa6b\","
            + "\"appId\":\"23c0e405-d282-4399-b280-5689c3e1ea85\",\"archiveUrl\":\"http://archive.url/abc.apk\","
            + "\"initiatingUserId\":\"7bee4c21-3eaa-4011-a0fd-3678b6537f47\",\"cancelingUserId\":null,"
            + "\"turtleBuildId\":\"8c84111e-6d39-449c-9895-071d85fd3e61\",\"platform\":\"android\","
            + "\"status\":\"errored\",\"submissionInfo\":{\"error\":{\"message\":\"Android version code needs to be "
            + "updated\",\"errorCode\":\"SUBMISSION_SERVICE_ANDROID_OLD_VERSION_CODE_ERROR\"},"
            + "\"logsUrl\":\"https://submission-service-logs.s3-us-west-1.amazonaws.com/production/"
            + "submission_728aa20b-f7a9-4da7-9b64-39911d427b19.txt\"},"
            + "\"createdAt\":\"2021-11-24T10:15:32.822Z\",\"updatedAt\":\"2021-11-24T10:17:32.822Z\","
            + "\"completedAt\":\"2021-11-24T10:17:32.822Z\",\"maxRetryTimeMinutes\":3600}";

    /**
     * Expo publishes no test vector; their example receiver computes {@code sha1=} + hex HMAC-SHA1 of the raw body.
     * Computed independently with OpenSSL 3 over SUBMIT_BODY written with printf '%s' to submit.json:
     * {@code openssl dgst -sha1 -hmac 'shipstream-eas-kat-secret' submit.json}.
     */
    private static final String SUBMIT_SIGNATURE = "sha1=1f3a14a4d2d7ad4adc86cdd9d6ba5cbb1c4f0402";
    /** {@code printf '%s' 'Hello, World!' | openssl dgst -sha1 -hmac 'shipstream-eas-kat-secret'}. */
    private static final String HELLO_SIGNATURE = "sha1=05eb65754dc2b8c23c059aed8796f6dcfe9953c3";

    private final EasVerifier verifier = new EasVerifier(List.of(WebhookSecret.of("project-1", SECRET)));

    @Test
    void acceptsExpoSubmitExampleSignedPerExposAlgorithm() {
        Verification result = verifier.verify(FakeRequest.withBody(SUBMIT_BODY)
                .header("expo-signature", SUBMIT_SIGNATURE));

        assertThat(result).isEqualTo(new Accepted(AuthScheme.HMAC_SHA1, "project-1"));
    }

    @Test
    void acceptsShortBodyVector() {
        Verification result = verifier.verify(FakeRequest.withBody("Hello, World!")
                .header("Expo-Signature", HELLO_SIGNATURE));

        assertThat(result).isEqualTo(new Accepted(AuthScheme.HMAC_SHA1, "project-1"));
    }

    @Test
    void rejectsExpoSignatureOfDifferentBody() {
        Verification result = verifier.verify(FakeRequest.withBody(SUBMIT_BODY.replace("errored", "finished"))
                .header("expo-signature", SUBMIT_SIGNATURE));

        assertThat(result).isEqualTo(new Rejected(RejectionReason.SIGNATURE_MISMATCH));
    }

    @Test
    void rejectsAppleStyleSha256SignatureOnTheExpoRoute() {
        byte[] body = SUBMIT_BODY.getBytes(StandardCharsets.UTF_8);

        Verification result = verifier.verify(FakeRequest.withBody(body)
                .header("expo-signature", ReferenceHmac.appleHeader(SECRET, body)));

        assertThat(result).isEqualTo(new Rejected(RejectionReason.MALFORMED_SIGNATURE));
    }

    static Stream<Arguments> malformedHeaders() {
        String hex = SUBMIT_SIGNATURE.substring("sha1=".length());
        return Stream.of(
                Arguments.of("empty", ""),
                Arguments.of("prefix only", "sha1="),
                Arguments.of("wrong prefix", "sha256=" + hex),
                Arguments.of("upper-case prefix", "SHA1=" + hex),
                Arguments.of("no prefix", hex),
                Arguments.of("odd-length hex", "sha1=" + hex.substring(1)),
                Arguments.of("non-hex digit", "sha1=" + hex.substring(0, 39) + "z"),
                Arguments.of("SHA-256 length", "sha1=" + hex + hex.substring(0, 24)),
                Arguments.of("one byte short", "sha1=" + hex.substring(2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedHeaders")
    void rejectsMalformedSignatureHeader(String description, String header) {
        Verification result = verifier.verify(FakeRequest.withBody(SUBMIT_BODY).header("expo-signature", header));

        assertThat(result).isEqualTo(new Rejected(RejectionReason.MALFORMED_SIGNATURE));
    }

    @Test
    void rejectsMissingAndRepeatedSignatureHeaders() {
        assertThat(verifier.verify(FakeRequest.withBody(SUBMIT_BODY)))
                .isEqualTo(new Rejected(RejectionReason.MISSING_SIGNATURE));
        assertThat(verifier.verify(FakeRequest.withBody(SUBMIT_BODY)
                .header("expo-signature", SUBMIT_SIGNATURE).header("expo-signature", "sha1=00")))
                .isEqualTo(new Rejected(RejectionReason.MALFORMED_SIGNATURE));
    }

    @Test
    void refusesSecretShorterThan16CharactersNamingItsIdButNotItsValue() {
        List<WebhookSecret> secrets = List.of(WebhookSecret.of("ok", "sixteen-chars-ok"),
                WebhookSecret.of("2026-11", "fifteen-chars-x"));

        assertThatThrownBy(() -> new EasVerifier(secrets))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("EAS webhook secret '2026-11' is shorter than 16 characters, which Expo does not accept")
                .hasMessageNotContaining("fifteen-chars-x");
    }

    @Test
    void acceptsSecretOfExactly16Characters() {
        EasVerifier minimal = new EasVerifier(List.of(WebhookSecret.of("min", "0123456789abcdef")));
        byte[] body = SUBMIT_BODY.getBytes(StandardCharsets.UTF_8);

        assertThat(minimal.verify(FakeRequest.withBody(body)
                .header("expo-signature", ReferenceHmac.expoHeader("0123456789abcdef", body))))
                .isEqualTo(new Accepted(AuthScheme.HMAC_SHA1, "min"));
    }

    @Test
    void signsTheWayExpoDoes() {
        assertThat(EasVerifier.signatureHeaderValue(Secret.of(SECRET), SUBMIT_BODY.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(SUBMIT_SIGNATURE);
    }

    @Test
    void refusesToStartWithoutSecrets() {
        assertThatThrownBy(() -> new EasVerifier(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("EAS verifier needs at least one active secret");
    }
}
