package dev.shipstream.ingress.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shipstream.ingress.verify.Verification.Accepted;
import dev.shipstream.ingress.verify.Verification.Rejected;
import dev.shipstream.ingress.verify.Verification.RejectionReason;
import dev.shipstream.schemas.AuthScheme;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AppflowTokenVerifierTest {

    private static final String TOKEN = "k3Jp9-appflow-token-Qz71";
    private static final String BODY = "{\"state\":\"success\",\"id\":\"2216322b-35be-4af2-aaad-2b4e57354f88\"}";

    private final AppflowTokenVerifier anyAddress =
            new AppflowTokenVerifier(List.of(WebhookSecret.of("2026-11", TOKEN)), List.of());

    @Test
    void acceptsBearerTokenInTheAuthorizationHeader() {
        assertThat(anyAddress.verify(FakeRequest.withBody(BODY).header("Authorization", "Bearer " + TOKEN)))
                .isEqualTo(new Accepted(AuthScheme.BEARER_TOKEN, "2026-11"));
    }

    @Test
    void acceptsTokenInTheQueryBecauseAppflowOnlyTakesAUrl() {
        assertThat(anyAddress.verify(FakeRequest.withBody(BODY).query("token", TOKEN)))
                .isEqualTo(new Accepted(AuthScheme.QUERY_TOKEN, "2026-11"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bearer ", "BEARER ", "Bearer   ", " Bearer "})
    void readsTheBearerSchemeCaseInsensitivelyAndTrimsTheToken(String scheme) {
        assertThat(anyAddress.verify(FakeRequest.withBody(BODY).header("authorization", scheme + TOKEN + " ")))
                .isEqualTo(new Accepted(AuthScheme.BEARER_TOKEN, "2026-11"));
    }

    @Test
    void rejectsWrongTokenInHeaderOrQuery() {
        assertThat(anyAddress.verify(FakeRequest.withBody(BODY).header("Authorization", "Bearer " + TOKEN + "x")))
                .isEqualTo(new Rejected(RejectionReason.TOKEN_MISMATCH));
        assertThat(anyAddress.verify(FakeRequest.withBody(BODY).query("token", TOKEN.substring(1))))
                .isEqualTo(new Rejected(RejectionReason.TOKEN_MISMATCH));
        assertThat(anyAddress.verify(FakeRequest.withBody(BODY).query("token", TOKEN.toUpperCase(java.util.Locale.ROOT))))
                .isEqualTo(new Rejected(RejectionReason.TOKEN_MISMATCH));
    }

    @Test
    void rejectsMissingToken() {
        assertThat(anyAddress.verify(FakeRequest.withBody(BODY)))
                .isEqualTo(new Rejected(RejectionReason.MISSING_TOKEN));
        assertThat(anyAddress.verify(FakeRequest.withBody(BODY).query("token", "")))
                .isEqualTo(new Rejected(RejectionReason.MISSING_TOKEN));
        assertThat(anyAddress.verify(FakeRequest.withBody(BODY).header("Authorization", "Bearer ")))
                .isEqualTo(new Rejected(RejectionReason.MISSING_TOKEN));
        assertThat(anyAddress.verify(FakeRequest.withBody(BODY).header("Authorization", null).query("token", null)))
                .isEqualTo(new Rejected(RejectionReason.MISSING_TOKEN));
    }

    @Test
    void ignoresOtherAuthorizationSchemesAndFallsBackToTheQuery() {
        assertThat(anyAddress.verify(FakeRequest.withBody(BODY).header("Authorization", "Basic " + TOKEN)))
                .isEqualTo(new Rejected(RejectionReason.MISSING_TOKEN));
        assertThat(anyAddress.verify(FakeRequest.withBody(BODY).header("Authorization", "Basic dXNlcjpwYXNz")
                .query("token", TOKEN)))
                .isEqualTo(new Accepted(AuthScheme.QUERY_TOKEN, "2026-11"));
        assertThat(anyAddress.verify(FakeRequest.withBody(BODY).header("Authorization", "Bearer" + TOKEN)))
                .isEqualTo(new Rejected(RejectionReason.MISSING_TOKEN));
    }

    @Test
    void considersOnlyTheBearerTokenWhenBothAreGiven() {
        assertThat(anyAddress.verify(FakeRequest.withBody(BODY).header("Authorization", "Bearer wrong-token")
                .query("token", TOKEN)))
                .isEqualTo(new Rejected(RejectionReason.TOKEN_MISMATCH));
    }

    @Test
    void rejectsRepeatedAuthorizationHeaderAsAmbiguous() {
        assertThat(anyAddress.verify(FakeRequest.withBody(BODY).header("Authorization", "Bearer " + TOKEN)
                .header("Authorization", "Bearer " + TOKEN)))
                .isEqualTo(new Rejected(RejectionReason.TOKEN_MISMATCH));
    }

    @Test
    void acceptsEitherTokenDuringRotation() {
        AppflowTokenVerifier rotating = new AppflowTokenVerifier(
                List.of(WebhookSecret.of("old", "old-token-value"), WebhookSecret.of("new", "new-token-value")),
                List.of());

        assertThat(rotating.verify(FakeRequest.withBody(BODY).query("token", "old-token-value")))
                .isEqualTo(new Accepted(AuthScheme.QUERY_TOKEN, "old"));
        assertThat(rotating.verify(FakeRequest.withBody(BODY).header("Authorization", "Bearer new-token-value")))
                .isEqualTo(new Accepted(AuthScheme.BEARER_TOKEN, "new"));
    }

    @ParameterizedTest(name = "{0} from {1}: {2}")
    @CsvSource({
        "10.0.0.0/8,        10.200.3.4,        ACCEPTED",
        "10.0.0.0/8,        11.0.0.1,          ADDRESS_NOT_ALLOWED",
        "10.0.0.0/8,        ::ffff:10.1.2.3,   ACCEPTED",
        "192.0.2.10,        192.0.2.10,        ACCEPTED",
        "192.0.2.10,        192.0.2.11,        ADDRESS_NOT_ALLOWED",
        "2001:db8::/32,     2001:db8:ffff::1,  ACCEPTED",
        "2001:db8::/32,     2001:db9::1,       ADDRESS_NOT_ALLOWED",
        "2001:db8::/32,     10.0.0.1,          ADDRESS_NOT_ALLOWED",
        "2001:db8::/32,     not-an-address,    ADDRESS_NOT_ALLOWED",
        "2001:db8::/32,     '',                ADDRESS_NOT_ALLOWED",
    })
    void checksThePeerAddressAgainstTheAllowList(String block, String peer, String expected) {
        AppflowTokenVerifier verifier = new AppflowTokenVerifier(List.of(WebhookSecret.of("t", TOKEN)),
                List.of(CidrBlock.parse(block), CidrBlock.parse("198.51.100.0/24")));

        Verification result = verifier.verify(FakeRequest.withBody(BODY).from(peer).query("token", TOKEN));

        assertThat(result).isEqualTo(expected.equals("ACCEPTED")
                ? new Accepted(AuthScheme.QUERY_TOKEN, "t")
                : new Rejected(RejectionReason.valueOf(expected)));
    }

    @Test
    void checksTheAddressBeforeTheToken() {
        AppflowTokenVerifier verifier = new AppflowTokenVerifier(List.of(WebhookSecret.of("t", TOKEN)),
                List.of(CidrBlock.parse("10.0.0.0/8")));

        assertThat(verifier.verify(FakeRequest.withBody(BODY).from("192.0.2.1")))
                .isEqualTo(new Rejected(RejectionReason.ADDRESS_NOT_ALLOWED));
        assertThat(verifier.verify(FakeRequest.withBody(BODY).from("192.0.2.1").query("token", "wrong")))
                .isEqualTo(new Rejected(RejectionReason.ADDRESS_NOT_ALLOWED));
        assertThat(verifier.verify(FakeRequest.withBody(BODY).from(null).query("token", TOKEN)))
                .isEqualTo(new Rejected(RejectionReason.ADDRESS_NOT_ALLOWED));
        assertThat(verifier.verify(null)).isEqualTo(new Rejected(RejectionReason.ADDRESS_NOT_ALLOWED));
        assertThat(anyAddress.verify(null)).isEqualTo(new Rejected(RejectionReason.MISSING_TOKEN));
    }

    @Test
    void refusesToStartWithoutTokensOrWithNullAllowList() {
        assertThatThrownBy(() -> new AppflowTokenVerifier(List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Appflow verifier needs at least one active secret");
        assertThatThrownBy(() -> new AppflowTokenVerifier(List.of(WebhookSecret.of("t", TOKEN)), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Appflow verifier needs an allow-list without nulls (empty = any)");
    }

    @Test
    void describesItselfWithoutTheTokens() {
        assertThat(anyAddress.toString()).contains("2026-11").doesNotContain(TOKEN);
    }
}
