package dev.shipstream.ingress.verify;

import java.util.Arrays;

/**
 * Parses IPv4 dotted-quad and IPv6 (RFC 4291 text, with {@code ::} and a trailing dotted quad) literals to bytes,
 * without any name resolution: {@code InetAddress.getByName} would resolve a non-literal through DNS.
 *
 * <p>Strict on purpose: IPv4 parts with leading zeros are refused because some parsers read them as octal, and only
 * ASCII digits count.
 */
final class IpLiteral {

    private static final int MAX_IPV6_TEXT = 45;
    private static final byte[] IPV4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    private IpLiteral() {
    }

    /** 4 or 16 bytes, or null if {@code text} is not an address literal. */
    static byte[] parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        return text.indexOf(':') >= 0 ? parseIpv6(text) : parseIpv4(text);
    }

    /** The IPv4 address an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) stands for; other input unchanged. */
    static byte[] unmap(byte[] address) {
        if (address.length == 16 && Arrays.equals(address, 0, 12, IPV4_MAPPED_PREFIX, 0, 12)) {
            return Arrays.copyOfRange(address, 12, 16);
        }
        return address;
    }

    static byte[] parseIpv4(String text) {
        if (text.length() > 15) {
            return null;
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] address = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
                return null;
            }
            int value = 0;
            for (int j = 0; j < part.length(); j++) {
                char c = part.charAt(j);
                if (c < '0' || c > '9') {
                    return null;
                }
                value = value * 10 + (c - '0');
            }
            if (value > 255) {
                return null;
            }
            address[i] = (byte) value;
        }
        return address;
    }

    static byte[] parseIpv6(String text) {
        if (text.length() < 2 || text.length() > MAX_IPV6_TEXT) {
            return null;
        }
        String groupsText = text;
        byte[] ipv4Tail = null;
        int lastColon = text.lastIndexOf(':');
        if (text.indexOf('.', lastColon) >= 0) {
            ipv4Tail = parseIpv4(text.substring(lastColon + 1));
            if (ipv4Tail == null) {
                return null;
            }
            groupsText = text.substring(0, lastColon + 1);
            if (!groupsText.endsWith("::")) {
                // "a:b:c:d:e:f:1.2.3.4": the colon before the quad separates, it is not part of a group.
                groupsText = groupsText.substring(0, groupsText.length() - 1);
            }
        }
        int groupCount = ipv4Tail == null ? 8 : 6;
        int[] groups = parseGroups(groupsText, groupCount);
        if (groups == null) {
            return null;
        }
        byte[] address = new byte[16];
        for (int i = 0; i < groupCount; i++) {
            address[2 * i] = (byte) (groups[i] >>> 8);
            address[2 * i + 1] = (byte) groups[i];
        }
        if (ipv4Tail != null) {
            System.arraycopy(ipv4Tail, 0, address, 12, 4);
        }
        return address;
    }

    /** Exactly {@code count} 16-bit groups, where one {@code ::} stands for at least one zero group. */
    private static int[] parseGroups(String text, int count) {
        int gap = text.indexOf("::");
        if (gap < 0) {
            int[] groups = splitGroups(text);
            return groups != null && groups.length == count ? groups : null;
        }
        if (text.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        int[] left = gap == 0 ? new int[0] : splitGroups(text.substring(0, gap));
        int[] right = gap + 2 == text.length() ? new int[0] : splitGroups(text.substring(gap + 2));
        if (left == null || right == null || left.length + right.length >= count) {
            return null;
        }
        int[] groups = new int[count];
        System.arraycopy(left, 0, groups, 0, left.length);
        System.arraycopy(right, 0, groups, count - right.length, right.length);
        return groups;
    }

    private static int[] splitGroups(String text) {
        String[] parts = text.split(":", -1);
        int[] groups = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 4) {
                return null;
            }
            int value = 0;
            for (int j = 0; j < part.length(); j++) {
                int digit = hexDigit(part.charAt(j));
                if (digit < 0) {
                    return null;
                }
                value = value << 4 | digit;
            }
            groups[i] = value;
        }
        return groups;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
