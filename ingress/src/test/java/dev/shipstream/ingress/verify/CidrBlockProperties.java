package dev.shipstream.ingress.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Membership checked against plain integer arithmetic on the address bits. */
class CidrBlockProperties {

    @Property
    void ipv4MembershipIsPrefixEquality(@ForAll int network, @ForAll int candidate,
                                        @ForAll @IntRange(min = 0, max = 32) int prefix) {
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        CidrBlock block = CidrBlock.parse(ipv4(network & mask) + "/" + prefix);

        assertThat(block.contains(ipv4(candidate))).isEqualTo((candidate & mask) == (network & mask));
        assertThat(block.contains(ipv4(network & mask))).isTrue();
        assertThat(block.contains("::ffff:" + ipv4(candidate))).isEqualTo((candidate & mask) == (network & mask));
    }

    @Property
    void ipv6MembershipIsPrefixEqualityInEveryTextForm(@ForAll @Size(16) byte[] network,
                                                       @ForAll @Size(16) byte[] candidate,
                                                       @ForAll @IntRange(min = 0, max = 128) int prefix,
                                                       @ForAll boolean borrowNetworkBits) throws UnknownHostException {
        BigInteger mask = prefix == 0 ? BigInteger.ZERO
                : BigInteger.ONE.shiftLeft(prefix).subtract(BigInteger.ONE).shiftLeft(128 - prefix);
        BigInteger networkBits = new BigInteger(1, network).and(mask);
        // Random candidates almost never share a long prefix; half of them are made to share the block's.
        BigInteger candidateBits = borrowNetworkBits
                ? networkBits.or(new BigInteger(1, candidate).andNot(mask)) : new BigInteger(1, candidate);
        assumeNotIpv4Mapped(networkBits, prefix);
        assumeNotIpv4Mapped(candidateBits, 128);
        CidrBlock block = CidrBlock.parse(compressed(networkBits) + "/" + prefix);
        boolean expected = candidateBits.and(mask).equals(networkBits);

        assertThat(block.contains(compressed(candidateBits))).isEqualTo(expected);
        assertThat(block.contains(compressed(candidateBits).toUpperCase(Locale.ROOT))).isEqualTo(expected);
        // The JDK prints all eight groups; getByAddress wraps bytes and never resolves.
        String full = InetAddress.getByAddress(bytes16(candidateBits)).getHostAddress();
        assertThat(block.contains(full)).isEqualTo(expected);
    }

    @Property
    void neverThrowsForArbitraryText(@ForAll("anyText") String text) {
        CidrBlock block = CidrBlock.parse("2001:db8::/32");

        assertThat(block.contains(text)).isIn(true, false);
        assertThat(CidrBlock.parse("0.0.0.0/0").contains(text)).isIn(true, false);
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(
                        Arbitraries.strings().all().ofMaxLength(80),
                        Arbitraries.strings().withChars("0123456789abcdefABCDEF:.%[]/").ofMaxLength(50),
                        Arbitraries.strings().withChars("0123456789.").ofMaxLength(20))
                .injectNull(0.05);
    }

    private static String ipv4(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "."
                + (address & 0xff);
    }

    private static byte[] bytes16(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] bytes = new byte[16];
        int copy = Math.min(16, raw.length);
        System.arraycopy(raw, raw.length - copy, bytes, 16 - copy, copy);
        return bytes;
    }

    /** RFC 5952-style text: the longest run of zero groups (if any) written as "::". */
    private static String compressed(BigInteger value) {
        byte[] bytes = bytes16(value);
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < 16; i += 2) {
            groups.add(Integer.toHexString((bytes[i] & 0xff) << 8 | (bytes[i + 1] & 0xff)));
        }
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups.get(j).equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
        }
        if (bestLength == 0) {
            return String.join(":", groups);
        }
        return String.join(":", groups.subList(0, bestStart)) + "::"
                + String.join(":", groups.subList(bestStart + bestLength, 8));
    }

    private static final BigInteger MAPPED = BigInteger.valueOf(0xffff).shiftLeft(32);
    private static final BigInteger TOP_96 =
            BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE.shiftLeft(32));

    /** IPv4-mapped addresses are matched as IPv4 on purpose (see CidrBlock); these properties are about IPv6. */
    private static void assumeNotIpv4Mapped(BigInteger address, int prefix) {
        Assume.that(prefix < 96 || !address.and(TOP_96).equals(MAPPED));
    }
}
