package dev.shipstream.ingress.verify;

import dev.shipstream.schemas.AuthScheme;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The HMAC algorithms the providers use, with their JCA names, digest lengths and the scheme they are reported as. */
enum HmacAlgorithm {
    SHA256("HmacSHA256", 32, AuthScheme.HMAC_SHA256),
    SHA1("HmacSHA1", 20, AuthScheme.HMAC_SHA1);

    final String jcaName;
    final int digestLength;
    final AuthScheme scheme;

    HmacAlgorithm(String jcaName, int digestLength, AuthScheme scheme) {
        this.jcaName = jcaName;
        this.digestLength = digestLength;
        this.scheme = scheme;
    }

    /** A Mac initialised with {@code secret}. Mac is not thread-safe, so callers keep one per thread. */
    Mac newMac(Secret secret) {
        byte[] key = secret.bytes();
        try {
            Mac mac = Mac.getInstance(jcaName);
            mac.init(new SecretKeySpec(key, jcaName));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform must provide " + jcaName, e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** HMAC of {@code body} with {@code secret}; for signing outside the hot path (tools, tests, benchmarks). */
    byte[] sign(Secret secret, byte[] body) {
        return newMac(secret).doFinal(body);
    }
}
