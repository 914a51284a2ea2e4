package dev.shipstream.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipstream.ingress.verify.CidrBlock;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Whom the ingress believes about client addresses: the TCP peer, and trusted proxies only. */
class ClientAddressTest {

    private static final List<CidrBlock> PROXIES = List.of(CidrBlock.parse("10.0.0.0/8"),
            CidrBlock.parse("fd00::/8"));

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        assertThat(ClientAddress.resolve("10.1.2.3", List.of("203.0.113.9"), List.of())).isEqualTo("10.1.2.3");
    }

    @Test
    void anUntrustedPeerCannotClaimAnotherAddress() {
        assertThat(ClientAddress.resolve("198.51.100.7", List.of("203.0.113.9"), PROXIES)).isEqualTo("198.51.100.7");
    }

    @Test
    void behindATrustedProxyTheClientIsTheAddressItAppended() {
        assertThat(ClientAddress.resolve("10.1.2.3", List.of("203.0.113.9"), PROXIES)).isEqualTo("203.0.113.9");
    }

    @Test
    void addressesTheClientWroteItselfAreNotBelieved() {
        assertThat(ClientAddress.resolve("10.1.2.3", List.of("203.0.113.9, 198.51.100.7"), PROXIES))
                .isEqualTo("198.51.100.7");
    }

    @Test
    void aChainOfTrustedProxiesIsWalkedAcrossHeaders() {
        assertThat(ClientAddress.resolve("10.1.2.3", List.of("192.0.2.1, 203.0.113.9", "10.9.9.9, fd00::5"),
                PROXIES)).isEqualTo("203.0.113.9");
    }

    @Test
    void aMalformedEntryEndsTheWalkAtTheLastTrustedHop() {
        assertThat(ClientAddress.resolve("10.1.2.3", List.of("203.0.113.9, 10.9.9.9, not-an-ip"), PROXIES))
                .isEqualTo("10.1.2.3");
        assertThat(ClientAddress.resolve("10.1.2.3", List.of("203.0.113.9:4711, 10.9.9.9"), PROXIES))
                .isEqualTo("10.9.9.9");
    }

    @Property
    void whateverAClientPrependsTheAnswerIsTheHopTheTrustedProxyWrote(
            @ForAll @IntRange(min = 0, max = 40) int forgedHops, @ForAll @IntRange(min = 0, max = 255) int octet) {
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < forgedHops; i++) {
            header.append(i % 3 == 0 ? "10.0.0." + i : i % 3 == 1 ? "garbage" : "203.0.113." + i).append(", ");
        }
        String real = "198.51.100." + octet;
        header.append(real);

        assertThat(ClientAddress.resolve("10.1.2.3", List.of(header.toString()), PROXIES)).isEqualTo(real);
    }
}
