package dev.shipstream.ingress.verify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The providers' signing, written out here with plain JCA calls so that property tests check the verifiers against
 * a computation that shares none of their code.
 */
final class ReferenceHmac {

    private ReferenceHmac() {
    }

    static byte[] hmac(String jcaName, String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance(jcaName);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), jcaName));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static String appleHeader(String secret, byte[] body) {
        return "hmacsha256=" + HexFormat.of().formatHex(hmac("HmacSHA256", secret, body));
    }

    static String expoHeader(String secret, byte[] body) {
        return "sha1=" + HexFormat.of().formatHex(hmac("HmacSHA1", secret, body));
    }
}
