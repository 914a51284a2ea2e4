package dev.shipstream.ingress.http;

import dev.shipstream.ingress.verify.CidrBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * The address of the client a request comes from, which the Appflow allow-list, the 401 rate limit, the access log
 * and the stored record see. It is the TCP peer, unless the peer is a trusted proxy: then {@code X-Forwarded-For}
 * is read from the right (the entry the nearest proxy appended) leftwards, skipping trusted proxies, and the first
 * entry that is not one is the client. Entries left of it were written by the client and are never believed.
 *
 * <p>An entry that is not an IP literal (a port, a name, garbage) ends the walk: the client is then the last
 * address that was believed, which is a trusted proxy, so a malformed chain fails closed for an allow-list. Pure;
 * looks at no more than {@value #MAX_HOPS} entries.
 */
public final class ClientAddress {

    /** Proxy chains longer than this are not walked further. */
    static final int MAX_HOPS = 16;

    private ClientAddress() {
    }

    /**
     * @param peer           the TCP peer's address
     * @param forwardedFor   the values of every {@code X-Forwarded-For} header, in the order received
     * @param trustedProxies the proxies whose header is believed; empty believes nobody
     */
    public static String resolve(String peer, List<String> forwardedFor, List<CidrBlock> trustedProxies) {
        if (trustedProxies.isEmpty() || !isTrusted(peer, trustedProxies) || forwardedFor.isEmpty()) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String value : forwardedFor) {
            for (String hop : value.split(",", -1)) {
                hops.add(hop.strip());
            }
        }
        String client = peer;
        for (int i = hops.size() - 1, walked = 0; i >= 0 && walked < MAX_HOPS; i--, walked++) {
            String hop = hops.get(i);
            if (!CidrBlock.isAddressLiteral(hop)) {
                return client;
            }
            client = hop;
            if (!isTrusted(hop, trustedProxies)) {
                return hop;
            }
        }
        return client;
    }

    private static boolean isTrusted(String address, List<CidrBlock> trustedProxies) {
        for (CidrBlock block : trustedProxies) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
