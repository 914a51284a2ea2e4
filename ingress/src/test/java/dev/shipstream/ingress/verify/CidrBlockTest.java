package dev.shipstream.ingress.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrBlockTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "10.0.0.0/8,            10.0.0.0/8",
        "0.0.0.0/0,             0.0.0.0/0",
        "192.0.2.10,            192.0.2.10/32",
        "' 192.0.2.0/24 ',      192.0.2.0/24",
        "2001:db8::/32,         2001:db8:0:0:0:0:0:0/32",
        "2001:DB8::/32,         2001:db8:0:0:0:0:0:0/32",
        "::/0,                  0:0:0:0:0:0:0:0/0",
        "::1,                   0:0:0:0:0:0:0:1/128",
        "fe80::/10,             fe80:0:0:0:0:0:0:0/10",
        "1:2:3:4:5:6:7:8/128,   1:2:3:4:5:6:7:8/128",
        "1:2:3:4:5:6:7::/128,   1:2:3:4:5:6:7:0/128",
        "::2:3:4:5:6:7:8/128,   0:2:3:4:5:6:7:8/128",
        "64:ff9b::192.0.2.0/120, 64:ff9b:0:0:0:0:c000:200/120",
        "::ffff:10.0.0.0/104,   10.0.0.0/8",
        "::ffff:192.0.2.1,      192.0.2.1/32",
    })
    void parsesIpv4AndIpv6Blocks(String text, String canonical) {
        assertThat(CidrBlock.parse(text)).hasToString(canonical);
    }

    @Test
    void keepsTheAddressFamily() {
        assertThat(CidrBlock.parse("10.0.0.0/8").network()).isInstanceOf(Inet4Address.class);
        assertThat(CidrBlock.parse("10.0.0.0/8").isIpv4()).isTrue();
        assertThat(CidrBlock.parse("2001:db8::/32").network()).isInstanceOf(Inet6Address.class);
        assertThat(CidrBlock.parse("2001:db8::/32").isIpv4()).isFalse();
        assertThat(CidrBlock.parse("10.0.0.0/8")).isEqualTo(CidrBlock.parse("10.0.0.0/8"));
    }

    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource({
        "10.0.0.0/8,       10.0.0.0,               true",
        "10.0.0.0/8,       10.255.255.255,         true",
        "10.0.0.0/8,       11.0.0.0,               false",
        "10.0.0.0/8,       9.255.255.255,          false",
        "192.0.2.128/25,   192.0.2.127,            false",
        "192.0.2.128/25,   192.0.2.128,            true",
        "192.0.2.10,       192.0.2.10,             true",
        "192.0.2.10,       192.0.2.11,             false",
        "0.0.0.0/0,        203.0.113.9,            true",
        "0.0.0.0/0,        2001:db8::1,            false",
        "10.0.0.0/8,       ::ffff:10.9.8.7,        true",
        "10.0.0.0/8,       [::ffff:10.9.8.7],      true",
        "10.0.0.0/8,       ::ffff:a09:807,         true",
        "2001:db8::/32,    2001:db8::1,            true",
        "2001:db8::/32,    2001:0db8:ffff:ffff:ffff:ffff:ffff:ffff, true",
        "2001:db8::/32,    2001:db9::,             false",
        "2001:db8::/32,    [2001:db8::1],          true",
        "2001:db8::/32,    2001:DB8::1,            true",
        "fe80::/10,        fe80::1%eth0,           true",
        "fe80::/10,        febf:ffff::1,           true",
        "fe80::/10,        fec0::1,                false",
        "::/0,             ::,                     true",
        "::/0,             10.0.0.1,               false",
        "::1,              0:0:0:0:0:0:0:1,        true",
        "::1,              ::2,                    false",
    })
    void tellsWhetherAnAddressIsInTheBlock(String block, String address, boolean expected) {
        assertThat(CidrBlock.parse(block).contains(address)).isEqualTo(expected);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"localhost", "example.com", "10.0.0", "10.0.0.1.2", "010.0.0.1", "10.0.0.256",
        "10.0.0.1/8", "1.2.3.4 ", "::g", "1::2::3", "1:2:3:4:5:6:7:8:9", ":1::", "[10.0.0.1",
        "\uff11.\uff12.\uff13.\uff14", "10.0.0.-1", "0x0a.0.0.1", "2001:db8::/32", "fe80::1%"})
    void containsNothingThatIsNotALiteralOfTheBlock(String address) {
        assertThat(CidrBlock.parse("10.0.0.0/8").contains(address)).isFalse();
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {"", "   ", "10.0.0.0/", "/8", "10.0.0/8", "10.0.0.0/8/8", "10.0.0.0/+8", "10.0.0.0/-1",
        "10.0.0.0/08a", "10.0.0.0/1234", "localhost/8", "example.com", "01.0.0.0/8", "256.0.0.0/8",
        "1::2::3/64", "2001:db8::g/32", "12345::/16", "1:2:3:4:5:6:7:8:9/128", "::ffff:1.2.3/96",
        "10.0.0.0 /8", "\uff11\uff10.0.0.0/8"})
    void rejectsWhatIsNotAnAddressWithAnOptionalPrefix(String text) {
        assertThatThrownBy(() -> CidrBlock.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid CIDR block '" + text
                        + "': expected an IPv4 or IPv6 address, optionally followed by /<prefix length>");
    }

    @Test
    void rejectsPrefixLengthsOutsideTheFamilysRange() {
        assertThatThrownBy(() -> CidrBlock.parse("10.0.0.0/33"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid CIDR block '10.0.0.0/33': prefix length must be between 0 and 32");
        assertThatThrownBy(() -> CidrBlock.parse("2001:db8::/129"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid CIDR block '2001:db8::/129': prefix length must be between 0 and 128");
    }

    @Test
    void rejectsBitsAfterThePrefixAndSuggestsTheBlock() {
        assertThatThrownBy(() -> CidrBlock.parse("10.1.2.3/8"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid CIDR block '10.1.2.3/8': bits are set after the prefix; "
                        + "did you mean '10.0.0.0/8'?");
        assertThatThrownBy(() -> CidrBlock.parse("2001:db8::1/32"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid CIDR block '2001:db8::1/32': bits are set after the prefix; "
                        + "did you mean '2001:db8:0:0:0:0:0:0/32'?");
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> CidrBlock.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("CIDR block must not be null");
    }
}
