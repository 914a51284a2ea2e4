package dev.shipstream.ingress.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipstream.ingress.verify.Verification.Rejected;
import dev.shipstream.ingress.verify.Verification.RejectionReason;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What each verifier refuses from headers, query and address alone, without touching the body (the fake request's
 * body throws), and that such a refusal is the one {@link WebhookVerifier#verify} would give for any body.
 */
class RefuseBeforeBodyTest {

    private static final String TOKEN = "qT7vX2mB9kLw4RzE8nYp3HsJ6dFa1CuG";
    private final WebhookVerifier asc = new AppStoreConnectVerifier(List.of(WebhookSecret.of("v1", "asc-secret")));
    private final WebhookVerifier eas = new EasVerifier(List.of(WebhookSecret.of("v1", "eas-secret-16-chars")));
    private final WebhookVerifier appflow = new AppflowTokenVerifier(List.of(WebhookSecret.of("v1", TOKEN)),
            List.of(CidrBlock.parse("203.0.113.0/24")));

    private static Optional<Rejected> rejected(RejectionReason reason) {
        return Optional.of(new Rejected(reason));
    }

    @Test
    void refusesMissingRepeatedAndMalformedSignatureHeaders() {
        assertThat(asc.refuseBeforeBody(FakeRequest.headersOnly()))
                .isEqualTo(rejected(RejectionReason.MISSING_SIGNATURE));
        assertThat(asc.refuseBeforeBody(FakeRequest.headersOnly().header("x-apple-signature", "hmacsha256=zz")))
                .isEqualTo(rejected(RejectionReason.MALFORMED_SIGNATURE));
        assertThat(eas.refuseBeforeBody(FakeRequest.headersOnly().header("expo-signature", "sha1=" + "0".repeat(40))
                .header("expo-signature", "sha1=" + "1".repeat(40))))
                .isEqualTo(rejected(RejectionReason.MALFORMED_SIGNATURE));
        assertThat(eas.refuseBeforeBody(FakeRequest.headersOnly().header("expo-signature", "sha256=" + "0".repeat(40))))
                .isEqualTo(rejected(RejectionReason.MALFORMED_SIGNATURE));
    }

    @Test
    void letsAWellFormedSignatureThroughToTheBodyCheck() {
        assertThat(asc.refuseBeforeBody(FakeRequest.headersOnly().header("x-apple-signature",
                "hmacsha256=" + "ab".repeat(32)))).isEmpty();
        assertThat(eas.refuseBeforeBody(FakeRequest.headersOnly().header("expo-signature",
                "sha1=" + "ab".repeat(20)))).isEmpty();
    }

    @Test
    void decidesAppflowCompletelyWithoutTheBody() {
        assertThat(appflow.refuseBeforeBody(FakeRequest.headersOnly().query("token", TOKEN))).isEmpty();
        assertThat(appflow.refuseBeforeBody(FakeRequest.headersOnly()))
                .isEqualTo(rejected(RejectionReason.MISSING_TOKEN));
        assertThat(appflow.refuseBeforeBody(FakeRequest.headersOnly().query("token", TOKEN + "x")))
                .isEqualTo(rejected(RejectionReason.TOKEN_MISMATCH));
        assertThat(appflow.refuseBeforeBody(FakeRequest.headersOnly().query("token", TOKEN).from("198.51.100.7")))
                .isEqualTo(rejected(RejectionReason.ADDRESS_NOT_ALLOWED));
    }

    @Test
    void anEarlyRefusalIsWhatTheFullCheckWouldSay() {
        FakeRequest malformed = FakeRequest.withBody("{}").header("x-apple-signature", "hmacsha256=zz");
        FakeRequest missing = FakeRequest.withBody("{}");

        assertThat(asc.verify(malformed)).isEqualTo(asc.refuseBeforeBody(malformed).orElseThrow());
        assertThat(asc.verify(missing)).isEqualTo(asc.refuseBeforeBody(missing).orElseThrow());
        assertThat(appflow.verify(missing)).isEqualTo(appflow.refuseBeforeBody(missing).orElseThrow());
    }
}
