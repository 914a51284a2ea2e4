package dev.shipstream.ingress.verify;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 address block such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}, used as an ingress allow-list
 * entry.
 *
 * <p>Nothing here resolves names: {@link #parse} and {@link #contains} read literals with their own parser, and the
 * {@link InetAddress} held is built from bytes. An IPv4-mapped IPv6 address ({@code ::ffff:10.1.2.3}, what a
 * dual-stack socket reports for an IPv4 peer) is treated as the IPv4 address it maps, both as a block and as a
 * candidate, so IPv4 blocks match IPv4 peers however the socket reports them.
 *
 * @param network      the first address of the block; no bit after the prefix may be set
 * @param prefixLength 0..32 for IPv4, 0..128 for IPv6
 */
public record CidrBlock(InetAddress network, int prefixLength) {

    /** @throws IllegalArgumentException if the network is null, the prefix is out of range or host bits are set */
    public CidrBlock {
        if (network == null) {
            throw new IllegalArgumentException("CIDR network must not be null");
        }
        int maxPrefix = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > maxPrefix) {
            throw new IllegalArgumentException("CIDR prefix length " + prefixLength + " is outside 0.."
                    + maxPrefix + " for " + network.getHostAddress());
        }
        if (!hasNoBitsAfterPrefix(network.getAddress(), prefixLength)) {
            throw new IllegalArgumentException("CIDR network " + network.getHostAddress()
                    + " has bits set after /" + prefixLength);
        }
    }

    /**
     * Parses {@code <address>[/<prefix length>]}; a bare address is a block of one ({@code /32} or {@code /128}).
     * Surrounding whitespace is ignored. The prefix length is 1 to 3 ASCII digits.
     *
     * @throws IllegalArgumentException with one of these messages ({@code <in>} is the input as given):
     *     {@code CIDR block must not be null};
     *     {@code Invalid CIDR block '<in>': expected an IPv4 or IPv6 address, optionally followed by /<prefix length>};
     *     {@code Invalid CIDR block '<in>': prefix length must be between 0 and <32 or 128>};
     *     {@code Invalid CIDR block '<in>': bits are set after the prefix; did you mean '<network>/<prefix>'?}
     */
    public static CidrBlock parse(String cidr) {
        if (cidr == null) {
            throw new IllegalArgumentException("CIDR block must not be null");
        }
        String text = cidr.strip();
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        byte[] address = IpLiteral.parse(addressText);
        Integer prefix = slash < 0 || address == null ? null : parsePrefix(text.substring(slash + 1));
        if (address == null || (slash >= 0 && prefix == null)) {
            throw new IllegalArgumentException("Invalid CIDR block '" + cidr
                    + "': expected an IPv4 or IPv6 address, optionally followed by /<prefix length>");
        }
        int maxPrefix = address.length * 8;
        int prefixLength = prefix == null ? maxPrefix : prefix;
        if (prefixLength > maxPrefix) {
            throw new IllegalArgumentException("Invalid CIDR block '" + cidr
                    + "': prefix length must be between 0 and " + maxPrefix);
        }
        byte[] unmapped = IpLiteral.unmap(address);
        if (unmapped.length != address.length) {
            // ::ffff:0:0/96 and longer prefixes are IPv4 blocks; shorter ones have the ffff bits after the prefix.
            if (prefixLength >= 96) {
                prefixLength -= 96;
                address = unmapped;
            }
        }
        if (!hasNoBitsAfterPrefix(address, prefixLength)) {
            throw new IllegalArgumentException("Invalid CIDR block '" + cidr
                    + "': bits are set after the prefix; did you mean '"
                    + toInetAddress(mask(address, prefixLength)).getHostAddress() + "/" + prefixLength + "'?");
        }
        return new CidrBlock(toInetAddress(address), prefixLength);
    }

    /**
     * Whether {@code ipLiteral}, an IPv4 or IPv6 address literal (optionally in brackets, optionally with an IPv6
     * zone such as {@code %eth0}, which is ignored), lies in this block. False for anything that is not a literal,
     * including null and host names; never throws and never resolves a name.
     */
    public boolean contains(String ipLiteral) {
        byte[] candidate = literalBytes(ipLiteral);
        if (candidate == null) {
            return false;
        }
        byte[] block = network.getAddress();
        return candidate.length == block.length && Arrays.equals(mask(candidate, prefixLength), block);
    }

    /** Whether {@code text} is an address literal as {@link #contains} reads them; never resolves a name. */
    public static boolean isAddressLiteral(String text) {
        return literalBytes(text) != null;
    }

    private static byte[] literalBytes(String ipLiteral) {
        if (ipLiteral == null || ipLiteral.length() > 64) {
            return null;
        }
        String text = ipLiteral;
        if (text.length() >= 2 && text.charAt(0) == '[' && text.charAt(text.length() - 1) == ']') {
            text = text.substring(1, text.length() - 1);
        }
        int zone = text.indexOf('%');
        if (zone >= 0 && text.indexOf(':') >= 0) {
            text = text.substring(0, zone);
        }
        byte[] candidate = IpLiteral.parse(text);
        return candidate == null ? null : IpLiteral.unmap(candidate);
    }

    /** Whether this is an IPv4 block. */
    public boolean isIpv4() {
        return network instanceof Inet4Address;
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }

    private static Integer parsePrefix(String text) {
        if (text.isEmpty() || text.length() > 3) {
            return null;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static byte[] mask(byte[] address, int prefixLength) {
        byte[] masked = address.clone();
        for (int i = 0; i < masked.length; i++) {
            int bitsKept = Math.max(0, Math.min(8, prefixLength - 8 * i));
            masked[i] &= (byte) (0xff << (8 - bitsKept));
        }
        return masked;
    }

    private static boolean hasNoBitsAfterPrefix(byte[] address, int prefixLength) {
        return Arrays.equals(mask(address, prefixLength), address);
    }

    private static InetAddress toInetAddress(byte[] address) {
        try {
            // getByAddress only wraps the bytes; it never consults a resolver.
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 address bytes are always valid", e);
        }
    }
}
