package dev.shipstream.ingress.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipstream.ingress.verify.Verification.Rejected;
import dev.shipstream.ingress.verify.Verification.RejectionReason;
import dev.shipstream.schemas.AuthScheme;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What each verifier refuses from headers, query and address alone, without touching the body (the fake request's
 * body throws), that such a refusal is the one {@link WebhookVerifier#verify} would give for any body, and that the
 * check left for the body decides on the body alone, looking nothing up again.
 */
class BeforeBodyTest {

    private static final String TOKEN = "qT7vX2mB9kLw4RzE8nYp3HsJ6dFa1CuG";
    private final WebhookVerifier asc = new AppStoreConnectVerifier(List.of(WebhookSecret.of("v1", "asc-secret")));
    private final WebhookVerifier eas = new EasVerifier(List.of(WebhookSecret.of("v1", "eas-secret-16-chars")));
    private final WebhookVerifier appflow = new AppflowTokenVerifier(List.of(WebhookSecret.of("v1", TOKEN)),
            List.of(CidrBlock.parse("203.0.113.0/24")));

    private static Rejected rejected(RejectionReason reason) {
        return new Rejected(reason);
    }

    @Test
    void refusesMissingRepeatedAndMalformedSignatureHeaders() {
        assertThat(asc.beforeBody(FakeRequest.headersOnly()))
                .isEqualTo(rejected(RejectionReason.MISSING_SIGNATURE));
        assertThat(asc.beforeBody(FakeRequest.headersOnly().header("x-apple-signature", "hmacsha256=zz")))
                .isEqualTo(rejected(RejectionReason.MALFORMED_SIGNATURE));
        assertThat(eas.beforeBody(FakeRequest.headersOnly().header("expo-signature", "sha1=" + "0".repeat(40))
                .header("expo-signature", "sha1=" + "1".repeat(40))))
                .isEqualTo(rejected(RejectionReason.MALFORMED_SIGNATURE));
        assertThat(eas.beforeBody(FakeRequest.headersOnly().header("expo-signature", "sha256=" + "0".repeat(40))))
                .isEqualTo(rejected(RejectionReason.MALFORMED_SIGNATURE));
    }

    @Test
    void letsAWellFormedSignatureThroughToTheBodyCheck() {
        assertThat(asc.beforeBody(FakeRequest.headersOnly().header("x-apple-signature",
                "hmacsha256=" + "ab".repeat(32)))).isInstanceOf(Precheck.BodyCheck.class);
        assertThat(eas.beforeBody(FakeRequest.headersOnly().header("expo-signature",
                "sha1=" + "ab".repeat(20)))).isInstanceOf(Precheck.BodyCheck.class);
    }

    @Test
    void decidesAppflowCompletelyWithoutTheBody() {
        assertThat(appflow.beforeBody(FakeRequest.headersOnly().query("token", TOKEN)))
                .isInstanceOf(Precheck.BodyCheck.class);
        assertThat(appflow.beforeBody(FakeRequest.headersOnly()))
                .isEqualTo(rejected(RejectionReason.MISSING_TOKEN));
        assertThat(appflow.beforeBody(FakeRequest.headersOnly().query("token", TOKEN + "x")))
                .isEqualTo(rejected(RejectionReason.TOKEN_MISMATCH));
        assertThat(appflow.beforeBody(FakeRequest.headersOnly().query("token", TOKEN).from("198.51.100.7")))
                .isEqualTo(rejected(RejectionReason.ADDRESS_NOT_ALLOWED));
    }

    @Test
    void anEarlyRefusalIsWhatTheFullCheckWouldSay() {
        FakeRequest malformed = FakeRequest.withBody("{}").header("x-apple-signature", "hmacsha256=zz");
        FakeRequest missing = FakeRequest.withBody("{}");

        assertThat(asc.verify(malformed)).isEqualTo(asc.beforeBody(malformed));
        assertThat(asc.verify(missing)).isEqualTo(asc.beforeBody(missing));
        assertThat(appflow.verify(missing)).isEqualTo(appflow.beforeBody(missing));
    }

    @Test
    void theBodyCheckDecidesOnTheBodyAloneWithoutLookingTheHeadersUpAgain() {
        byte[] body = "{\"data\":{}}".getBytes(StandardCharsets.UTF_8);
        FakeRequest request = FakeRequest.headersOnly().header("x-apple-signature",
                AppStoreConnectVerifier.signatureHeaderValue(Secret.of("asc-secret"), body));

        Precheck precheck = asc.beforeBody(request);
        int lookupsBeforeBody = request.lookups;
        Precheck.BodyCheck check = (Precheck.BodyCheck) precheck;

        assertThat(check.verify(body)).isEqualTo(Verification.accepted(AuthScheme.HMAC_SHA256, "v1"));
        assertThat(check.verify("{\"data\":[]}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(rejected(RejectionReason.SIGNATURE_MISMATCH));
        assertThat(check.verify(null)).as("null is the empty body")
                .isEqualTo(rejected(RejectionReason.SIGNATURE_MISMATCH));
        assertThat(request.lookups).as("lookups after the body checks").isEqualTo(lookupsBeforeBody);
    }

    @Test
    void appflowsBodyCheckAcceptsWhatTheHeadersAcceptedWhateverTheBody() {
        FakeRequest request = FakeRequest.headersOnly().header("authorization", "Bearer " + TOKEN)
                .from("203.0.113.9");

        Precheck.BodyCheck check = (Precheck.BodyCheck) appflow.beforeBody(request);
        int lookupsBeforeBody = request.lookups;

        assertThat(check.verify("anything".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(Verification.accepted(AuthScheme.BEARER_TOKEN, "v1"));
        assertThat(request.lookups).isEqualTo(lookupsBeforeBody);
    }
}
