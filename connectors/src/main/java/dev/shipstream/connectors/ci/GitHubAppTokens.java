package dev.shipstream.connectors.ci;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Date;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.shipstream.connect.common.DeliveryOutcome;

/**
 * Installation access tokens of a GitHub App: a JWT signed RS256 with the App's private key ({@code iss} the App id,
 * {@code iat} a minute in the past for clock drift, {@code exp} nine minutes ahead, under GitHub's ten) is exchanged
 * by {@code POST /app/installations/{id}/access_tokens} for a token that lasts an hour. The token is kept (one, so the
 * cache is bounded) until a minute before its {@code expires_at}, or until {@link #invalidate} says GitHub refused
 * it. Neither the key, the JWT nor the token appears in an outcome or a log line. Used from the task thread only.
 */
final class GitHubAppTokens {

    /** Renew this long before {@code expires_at}, so a token never expires between check and use. */
    static final Duration RENEW_BEFORE_EXPIRY = Duration.ofMinutes(1);
    static final Duration JWT_BACKDATE = Duration.ofSeconds(60);
    static final Duration JWT_LIFETIME = Duration.ofMinutes(9);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A token to use, or the outcome that stopped getting one. */
    sealed interface Credential {
    }

    record Token(String value) implements Credential {
    }

    record Unavailable(DeliveryOutcome outcome) implements Credential {
    }

    private final CiHttp http;
    private final URI tokenUrl;
    private final String appId;
    private final RSASSASigner signer;
    private final Clock clock;
    private String token;
    private Instant renewAt = Instant.MIN;

    GitHubAppTokens(CiHttp http, URI apiUrl, String appId, RSAPrivateKey privateKey, String installationId,
                    Clock clock) {
        this.http = http;
        this.tokenUrl = apiUrl.resolve("app/installations/" + CiHttp.segment(installationId) + "/access_tokens");
        this.appId = appId;
        this.signer = new RSASSASigner(privateKey);
        this.clock = clock;
    }

    /** The cached token, or a new one when there is none or it is about to expire. */
    Credential current() {
        if (token != null && clock.instant().isBefore(renewAt)) {
            return new Token(token);
        }
        token = null;
        CiHttp.Answer answer = http.post(tokenUrl, "{}", "Accept", "application/vnd.github+json",
                "Authorization", "Bearer " + jwt(), "X-GitHub-Api-Version", GitHubProvider.API_VERSION);
        if (answer instanceof CiHttp.NoAnswer none) {
            return new Unavailable(none.retry());
        }
        CiHttp.Response response = (CiHttp.Response) answer;
        if (response.status() != 201 && response.status() != 200) {
            DeliveryOutcome outcome = GitHubProvider.classify("GitHub (installation token)", response, clock.instant());
            return new Unavailable(outcome instanceof DeliveryOutcome.Delivered
                    ? new DeliveryOutcome.Permanent("HTTP " + response.status() + " from GitHub: no installation token")
                    : outcome);
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            String value = body.path("token").asText(null);
            Instant expiresAt = Instant.parse(body.path("expires_at").asText(""));
            if (value == null) {
                throw new IllegalArgumentException("no token");
            }
            token = value;
            renewAt = expiresAt.minus(RENEW_BEFORE_EXPIRY);
            return new Token(token);
        } catch (java.io.IOException | DateTimeParseException | IllegalArgumentException unreadable) {
            return new Unavailable(new DeliveryOutcome.Retry(Duration.ZERO, false,
                    "GitHub's installation token answer had no token or expires_at"));
        }
    }

    /** GitHub refused {@code used}: the next {@link #current} fetches a new token. */
    void invalidate(String used) {
        if (used != null && used.equals(token)) {
            token = null;
        }
    }

    private String jwt() {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(appId)
                .issueTime(Date.from(now.minus(JWT_BACKDATE))).expirationTime(Date.from(now.plus(JWT_LIFETIME)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not sign the GitHub App JWT: " + e.getClass().getSimpleName());
        }
        return jwt.serialize();
    }

    /**
     * An RSA private key from PEM text: PKCS#8 ({@code BEGIN PRIVATE KEY}) or PKCS#1 ({@code BEGIN RSA PRIVATE KEY},
     * what GitHub hands out). A literal {@code \n} (as a key pasted into JSON or an environment variable has) counts
     * as a line break.
     *
     * @throws IllegalArgumentException without any part of the key when it is not one
     */
    static RSAPrivateKey parsePrivateKey(String pem) {
        String text = pem.replace("\\n", "\n").strip();
        boolean pkcs1 = text.contains("BEGIN RSA PRIVATE KEY");
        if (!pkcs1 && !text.contains("BEGIN PRIVATE KEY")) {
            throw new IllegalArgumentException("not a PEM private key (BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY)");
        }
        String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            byte[] pkcs8 = pkcs1 ? wrapPkcs1(der) : der;
            return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (IllegalArgumentException | GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("not a readable RSA private key (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** PKCS#8 PrivateKeyInfo around a PKCS#1 RSAPrivateKey: version 0, rsaEncryption with NULL parameters. */
    private static byte[] wrapPkcs1(byte[] pkcs1) {
        byte[] versionAndAlgorithm = {0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(versionAndAlgorithm);
        body.writeBytes(der(0x04, pkcs1));
        return der(0x30, body.toByteArray());
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write((length >>> (8 * i)) & 0xff);
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
