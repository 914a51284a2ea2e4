package dev.shipstream.connectors.ci;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.shipstream.connect.common.DeliveryOutcome;
import dev.shipstream.connectors.testing.TestClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The GitHub App token flow against a stub that, like GitHub, hands out an installation token only for a JWT signed
 * RS256 with the App's key, issued by the App's id, and valid now for at most ten minutes.
 */
class GitHubAppTokensTest {

    private static final String APP_ID = "314159";
    private static final String TOKENS = "/app/installations/2718/access_tokens";
    private static final String DISPATCHES = "/repos/octo-org/app-repo/dispatches";
    private static final KeyPair APP_KEY = rsaKeyPair();
    private static final KeyPair OTHER_KEY = rsaKeyPair();

    @RegisterExtension
    static WireMockExtension github = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();

    private final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));

    private static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the request carries a JWT GitHub would accept from the App, judged independently of the code. */
    private MatchResult validAppJwt(Request request) {
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return MatchResult.noMatch();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(authorization.substring("Bearer ".length()));
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Instant now = clock.instant();
            Instant issued = claims.getIssueTime().toInstant();
            Instant expires = claims.getExpirationTime().toInstant();
            boolean valid = jwt.getHeader().getAlgorithm().equals(JWSAlgorithm.RS256)
                    && jwt.verify(new RSASSAVerifier((RSAPublicKey) APP_KEY.getPublic()))
                    && APP_ID.equals(claims.getIssuer())
                    && !issued.isAfter(now) && issued.isAfter(now.minusSeconds(120))
                    && expires.isAfter(now) && Duration.between(issued, expires).compareTo(Duration.ofMinutes(10)) <= 0;
            return MatchResult.of(valid);
        } catch (Exception unreadable) {
            return MatchResult.noMatch();
        }
    }

    private String tokenAnswer(String token) {
        return "{\"token\":\"" + token + "\",\"expires_at\":\"" + clock.instant().plus(Duration.ofHours(1))
                + "\",\"permissions\":{\"contents\":\"write\"}}";
    }

    @BeforeEach
    void githubRefusesAnyOtherJwt() {
        github.stubFor(post(TOKENS).atPriority(10).willReturn(aResponse().withStatus(401)
                .withBody("{\"message\":\"A JSON web token could not be decoded\"}")));
    }

    /** The token endpoint hands out {@code tokens} in turn, each for a valid JWT only. */
    private void githubIssues(String... tokens) {
        for (int i = 0; i < tokens.length; i++) {
            String state = i == 0 ? Scenario.STARTED : "issued-" + i;
            github.stubFor(post(TOKENS).atPriority(1).andMatching(this::validAppJwt).inScenario("tokens")
                    .whenScenarioStateIs(state).willSetStateTo("issued-" + (i + 1))
                    .willReturn(aResponse().withStatus(201).withBody(tokenAnswer(tokens[i]))));
        }
    }

    private GitHubProvider provider(KeyPair key) {
        CiHttp http = new CiHttp(CiHttp.newClient(), Duration.ofSeconds(5));
        URI api = URI.create(github.baseUrl() + "/");
        GitHubAppTokens tokens = new GitHubAppTokens(http, api, APP_ID, (RSAPrivateKey) key.getPrivate(), "2718", clock);
        return new GitHubProvider(http, api, "octo-org/app-repo", null, tokens, clock);
    }

    private static DeliveryOutcome dispatch(GitHubProvider provider, String eventId) {
        return provider.send(provider.request(CiFixtures.dispatch("shipstream.build.processed", Map.of()),
                CiFixtures.payload(eventId)));
    }

    @Test
    void dispatchesWithAnInstallationTokenObtainedByAnRs256JwtOfTheApp() {
        githubIssues("ghs_first");
        github.stubFor(post(DISPATCHES).willReturn(aResponse().withStatus(204)));

        assertThat(dispatch(provider(APP_KEY), "a1")).isInstanceOf(DeliveryOutcome.Delivered.class);

        github.verify(1, postRequestedFor(urlEqualTo(TOKENS)));
        github.verify(1, postRequestedFor(urlEqualTo(DISPATCHES)).withHeader("Authorization", equalTo("Bearer ghs_first")));
    }

    @Test
    void aJwtSignedWithAnotherKeyGetsNoTokenAndThePermanentReasonSaysSo() {
        githubIssues("ghs_first");

        DeliveryOutcome outcome = dispatch(provider(OTHER_KEY), "a2");

        assertThat(outcome).isInstanceOfSatisfying(DeliveryOutcome.Permanent.class, p -> assertThat(p.reason())
                .contains("HTTP 401", "installation token", "could not be decoded").doesNotContain("Bearer"));
        github.verify(0, postRequestedFor(urlEqualTo(DISPATCHES)));
    }

    @Test
    void theTokenIsReusedUntilAMinuteBeforeItExpiresAndThenRenewed() {
        githubIssues("ghs_first", "ghs_second");
        github.stubFor(post(DISPATCHES).willReturn(aResponse().withStatus(204)));
        GitHubProvider provider = provider(APP_KEY);

        dispatch(provider, "b1");
        clock.advance(Duration.ofMinutes(58));
        dispatch(provider, "b2");
        github.verify(1, postRequestedFor(urlEqualTo(TOKENS)));

        clock.advance(Duration.ofMinutes(1));
        assertThat(dispatch(provider, "b3")).isInstanceOf(DeliveryOutcome.Delivered.class);

        github.verify(2, postRequestedFor(urlEqualTo(TOKENS)));
        github.verify(2, postRequestedFor(urlEqualTo(DISPATCHES)).withHeader("Authorization", equalTo("Bearer ghs_first")));
        github.verify(1, postRequestedFor(urlEqualTo(DISPATCHES)).withHeader("Authorization", equalTo("Bearer ghs_second")));
    }

    @Test
    void anInstallationTokenGitHubNoLongerAcceptsIsReplacedAndTheDispatchTriedOnceMore() {
        githubIssues("ghs_revoked", "ghs_fresh");
        github.stubFor(post(DISPATCHES).withHeader("Authorization", equalTo("Bearer ghs_revoked"))
                .willReturn(aResponse().withStatus(401).withBody("{\"message\":\"Bad credentials\"}")));
        github.stubFor(post(DISPATCHES).withHeader("Authorization", equalTo("Bearer ghs_fresh"))
                .willReturn(aResponse().withStatus(204)));

        assertThat(dispatch(provider(APP_KEY), "c1")).isInstanceOf(DeliveryOutcome.Delivered.class);

        github.verify(2, postRequestedFor(urlEqualTo(TOKENS)));
        github.verify(2, postRequestedFor(urlEqualTo(DISPATCHES)));
    }

    @Test
    void aSecond401WithAFreshTokenIsPermanentNotALoop() {
        githubIssues("ghs_one", "ghs_two", "ghs_three");
        github.stubFor(post(DISPATCHES).willReturn(aResponse().withStatus(401)
                .withBody("{\"message\":\"Bad credentials\"}")));

        DeliveryOutcome outcome = dispatch(provider(APP_KEY), "c2");

        assertThat(outcome).isInstanceOfSatisfying(DeliveryOutcome.Permanent.class,
                p -> assertThat(p.reason()).contains("HTTP 401", "Bad credentials").doesNotContain("ghs_"));
        github.verify(2, postRequestedFor(urlEqualTo(TOKENS)));
        github.verify(2, postRequestedFor(urlEqualTo(DISPATCHES)));
    }

    @Test
    void theTokenEndpointRateLimitedIsRetriedAfterItsRetryAfter() {
        github.stubFor(post(TOKENS).atPriority(1).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "30")));

        DeliveryOutcome outcome = dispatch(provider(APP_KEY), "d1");

        assertThat(outcome).isInstanceOfSatisfying(DeliveryOutcome.Retry.class, retry -> {
            assertThat(retry.after()).isEqualTo(Duration.ofSeconds(30));
            assertThat(retry.fromTarget()).isTrue();
        });
    }

    @Test
    void readsThePkcs1KeyGitHubHandsOutAndPkcs8WithEscapedLineBreaks() {
        byte[] pkcs8 = APP_KEY.getPrivate().getEncoded();
        // A 2048-bit key's PKCS#8 encoding is a 26-byte header around the PKCS#1 RSAPrivateKey.
        byte[] pkcs1 = Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
        String pkcs1Pem = "-----BEGIN RSA PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pkcs1) + "\n-----END RSA PRIVATE KEY-----\n";
        String pkcs8Escaped = "-----BEGIN PRIVATE KEY-----\\n" + Base64.getEncoder().encodeToString(pkcs8)
                + "\\n-----END PRIVATE KEY-----";
        RSAPrivateKey expected = (RSAPrivateKey) APP_KEY.getPrivate();

        assertThat(GitHubAppTokens.parsePrivateKey(pkcs1Pem).getModulus()).isEqualTo(expected.getModulus());
        assertThat(GitHubAppTokens.parsePrivateKey(pkcs1Pem).getPrivateExponent())
                .isEqualTo(expected.getPrivateExponent());
        assertThat(GitHubAppTokens.parsePrivateKey(pkcs8Escaped).getModulus()).isEqualTo(expected.getModulus());
    }

    @Test
    void aKeyThatIsNotOneIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> GitHubAppTokens.parsePrivateKey("-----BEGIN RSA PRIVATE KEY-----\nc2VjcmV0LWJ5dGVz\n"
                + "-----END RSA PRIVATE KEY-----"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a readable RSA private key")
                .hasMessageNotContaining("c2VjcmV0");
        assertThatThrownBy(() -> GitHubAppTokens.parsePrivateKey("ghp_not_a_key"))
                .hasMessageNotContaining("ghp_not_a_key");
    }
}
