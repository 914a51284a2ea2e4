package dev.shipstream.ingress.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipstream.ingress.verify.Verification.Accepted;
import dev.shipstream.ingress.verify.Verification.Rejected;
import dev.shipstream.schemas.AuthScheme;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class AppflowTokenVerifierProperties {

    @Property
    void acceptsAQueryTokenExactlyWhenItEqualsAnActiveToken(@ForAll("tokens") String active,
                                                            @ForAll("tokens") String other,
                                                            @ForAll boolean presentTheActiveOne) {
        String presented = presentTheActiveOne ? active : other;
        AppflowTokenVerifier verifier = new AppflowTokenVerifier(List.of(WebhookSecret.of("t", active)), List.of());

        Verification result = verifier.verify(FakeRequest.withBody("{}").query("token", presented));

        if (presented.equals(active)) {
            assertThat(result).isEqualTo(new Accepted(AuthScheme.QUERY_TOKEN, "t"));
        } else {
            assertThat(result).isInstanceOf(Rejected.class);
        }
    }

    @Property
    void neverThrowsAndNeverAcceptsArbitraryHeadersQueriesAndAddresses(
            @ForAll("anyText") String authorization, @ForAll("anyText") String query,
            @ForAll("anyText") String address) {
        AppflowTokenVerifier verifier = new AppflowTokenVerifier(
                List.of(WebhookSecret.of("t", "an-active-token-value")),
                List.of(CidrBlock.parse("0.0.0.0/0"), CidrBlock.parse("::/0")));

        Verification result = verifier.verify(FakeRequest.withBody("{}")
                .header("Authorization", authorization).query("token", query).from(address));

        assertThat(result).isInstanceOf(Rejected.class);
    }

    @Provide
    Arbitrary<String> tokens() {
        return Arbitraries.oneOf(
                        Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(40),
                        Arbitraries.strings().all().ofMinLength(1).ofMaxLength(40))
                .filter(s -> !s.isBlank() && s.strip().equals(s));
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(
                        Arbitraries.strings().all().ofMaxLength(100),
                        Arbitraries.strings().alpha().ofMaxLength(30).map(t -> "Bearer " + t),
                        Arbitraries.strings().withChars("0123456789abcdef:.%[]/").ofMaxLength(45))
                .injectNull(0.1);
    }
}
