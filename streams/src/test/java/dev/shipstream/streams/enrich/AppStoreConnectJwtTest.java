package dev.shipstream.streams.enrich;

import dev.shipstream.streams.MutableClock;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppStoreConnectJwtTest {

    private static final String KEY_ID = "2X9R4HXF34";
    private static final String ISSUER_ID = "57246542-96fe-1a63-e053-0824d011072a";

    private final KeyPair keys = TestKeys.p256();
    private final MutableClock clock = new MutableClock(Instant.parse("2025-06-01T10:00:00.750Z"));
    private final AppStoreConnectJwt jwt =
            new AppStoreConnectJwt(KEY_ID, ISSUER_ID, (ECPrivateKey) keys.getPrivate(), clock);

    @Test
    void signsAnEs256TokenThatVerifiesWithThePublicKey() throws Exception {
        SignedJWT token = SignedJWT.parse(jwt.token());

        assertThat(token.verify(new ECDSAVerifier((ECPublicKey) keys.getPublic()))).isTrue();
        assertThat(token.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(token.getHeader().getKeyID()).isEqualTo(KEY_ID);
        assertThat(token.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
        // JOSE signatures of ES256 are R||S, 64 bytes; a DER signature would be 70-72 and Apple would refuse it.
        assertThat(token.getSignature().decode()).hasSize(64);
    }

    @Test
    void carriesIssuerAudienceAndALifetimeOfAtMostTwentyMinutes() throws Exception {
        SignedJWT token = SignedJWT.parse(jwt.token());
        var claims = token.getJWTClaimsSet();

        assertThat(claims.getIssuer()).isEqualTo(ISSUER_ID);
        assertThat(claims.getAudience()).isEqualTo(List.of("appstoreconnect-v1"));
        assertThat(token.getPayload().toJSONObject().get("aud")).isEqualTo("appstoreconnect-v1");
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(Instant.parse("2025-06-01T10:00:00Z"));
        assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
                .isEqualTo(Duration.ofMinutes(20));
    }

    @Test
    void reusesTheTokenUntilItIsAboutToExpireThenSignsANewOne() throws Exception {
        String first = jwt.token();
        clock.advance(Duration.ofMinutes(14).plusSeconds(59));
        assertThat(jwt.token()).isSameAs(first);

        clock.advance(Duration.ofSeconds(1));
        String renewed = jwt.token();

        assertThat(renewed).isNotEqualTo(first);
        assertThat(SignedJWT.parse(renewed).getJWTClaimsSet().getIssueTime().toInstant())
                .isEqualTo(Instant.parse("2025-06-01T10:15:00Z"));
        assertThat(SignedJWT.parse(renewed).verify(new ECDSAVerifier((ECPublicKey) keys.getPublic()))).isTrue();
    }

    @Test
    void signsAFreshTokenAfterInvalidate() {
        String first = jwt.token();
        clock.advance(Duration.ofSeconds(1));
        jwt.invalidate();

        assertThat(jwt.token()).isNotEqualTo(first);
    }

    @Test
    void refusesALifetimeAboveTwentyMinutes() {
        assertThatThrownBy(() -> new AppStoreConnectJwt(KEY_ID, ISSUER_ID, (ECPrivateKey) keys.getPrivate(), clock,
                Duration.ofMinutes(21), Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most PT20M");
    }

    @Test
    void readsAP8FileAndSignsWithIt(@TempDir Path dir) throws Exception {
        ECPrivateKey read = AppStoreConnectJwt.readPrivateKey(TestKeys.writeP8(dir, keys));
        String token = new AppStoreConnectJwt(KEY_ID, ISSUER_ID, read, clock).token();

        assertThat(SignedJWT.parse(token).verify(new ECDSAVerifier((ECPublicKey) keys.getPublic()))).isTrue();
    }

    @Test
    void refusesAKeyOnAnotherCurveWithoutQuotingIt(@TempDir Path dir) throws Exception {
        Path p384 = TestKeys.writeP8(dir, TestKeys.ecKeyPair("secp384r1"));
        String content = Files.readString(p384);

        assertThatThrownBy(() -> AppStoreConnectJwt.readPrivateKey(p384))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SHIPSTREAM_ASC_PRIVATE_KEY_FILE: " + p384 + " is not a PKCS#8 EC P-256 private key (.p8)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(content.lines().skip(1).findFirst()
                        .orElseThrow()));
    }

    @Test
    void namesAMissingKeyFile(@TempDir Path dir) {
        Path missing = dir.resolve("absent.p8");

        assertThatThrownBy(() -> AppStoreConnectJwt.readPrivateKey(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SHIPSTREAM_ASC_PRIVATE_KEY_FILE: cannot read " + missing + " (NoSuchFileException)");
    }

    @Test
    void neverPrintsTheTokenOrKey() {
        String token = jwt.token();

        assertThat(jwt.toString()).doesNotContain(token).contains(KEY_ID);
    }

}
