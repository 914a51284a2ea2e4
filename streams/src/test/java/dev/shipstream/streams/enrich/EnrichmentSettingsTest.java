package dev.shipstream.streams.enrich;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnrichmentSettingsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void isNotConfiguredWithoutAnyKeySetting() {
        EnrichmentStage stage = EnrichmentStage.fromEnvironment(Map.of("SHIPSTREAM_ASC_MAX_HOLD_MS", "1000"), meters);

        assertThat(stage.processorSupplier().stores()).isEmpty();
    }

    @Test
    void treatsBlankKeySettingsAsAbsent() {
        EnrichmentStage stage = EnrichmentStage.fromEnvironment(Map.of("SHIPSTREAM_ASC_KEY_ID", " "), meters);

        assertThat(stage.processorSupplier().stores()).isEmpty();
    }

    @Test
    void namesTheMissingKeySettingsWhenOnlySomeAreGiven() {
        assertThatThrownBy(() -> EnrichmentStage.fromEnvironment(Map.of("SHIPSTREAM_ASC_KEY_ID", "2X9R4HXF34"),
                meters))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("App Store Connect enrichment is partly configured: SHIPSTREAM_ASC_ISSUER_ID, "
                        + "SHIPSTREAM_ASC_PRIVATE_KEY_FILE are missing; set all of SHIPSTREAM_ASC_KEY_ID, "
                        + "SHIPSTREAM_ASC_ISSUER_ID and SHIPSTREAM_ASC_PRIVATE_KEY_FILE, or none to run without "
                        + "enrichment");
    }

    @Test
    void failsOnAnUnreadableKeyFile(@TempDir Path dir) {
        Path missing = dir.resolve("AuthKey_X.p8");
        Map<String, String> env = Map.of(
                "SHIPSTREAM_ASC_KEY_ID", "2X9R4HXF34",
                "SHIPSTREAM_ASC_ISSUER_ID", "57246542-96fe-1a63-e053-0824d011072a",
                "SHIPSTREAM_ASC_PRIVATE_KEY_FILE", missing.toString());

        assertThatThrownBy(() -> EnrichmentStage.fromEnvironment(env, meters))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SHIPSTREAM_ASC_PRIVATE_KEY_FILE: cannot read " + missing + " (NoSuchFileException)");
    }

    @Test
    void failsOnAFileThatIsNotAnEcKey(@TempDir Path dir) throws Exception {
        Path garbage = Files.writeString(dir.resolve("AuthKey_X.p8"), "-----BEGIN PRIVATE KEY-----\nbm9wZQ==\n"
                + "-----END PRIVATE KEY-----\n");
        Map<String, String> env = Map.of(
                "SHIPSTREAM_ASC_KEY_ID", "2X9R4HXF34",
                "SHIPSTREAM_ASC_ISSUER_ID", "57246542-96fe-1a63-e053-0824d011072a",
                "SHIPSTREAM_ASC_PRIVATE_KEY_FILE", garbage.toString());

        assertThatThrownBy(() -> EnrichmentStage.fromEnvironment(env, meters))
                .hasMessage("SHIPSTREAM_ASC_PRIVATE_KEY_FILE: " + garbage
                        + " is not a PKCS#8 EC P-256 private key (.p8)");
    }

    @Test
    void buildsAnEnrichingStageFromACompleteConfiguration(@TempDir Path dir) {
        Map<String, String> env = new HashMap<>();
        env.put("SHIPSTREAM_ASC_KEY_ID", "2X9R4HXF34");
        env.put("SHIPSTREAM_ASC_ISSUER_ID", "57246542-96fe-1a63-e053-0824d011072a");
        env.put("SHIPSTREAM_ASC_PRIVATE_KEY_FILE", TestKeys.writeP8(dir, TestKeys.p256()).toString());
        env.put("SHIPSTREAM_ASC_API_URL", "http://127.0.0.1:1");

        EnrichmentStage stage = EnrichmentStage.fromEnvironment(env, meters);

        assertThat(stage.processorSupplier().stores()).hasSize(2);
        stage.close();
    }

    @Test
    void readsTuningSettingsWithDefaults() {
        EnrichmentSettings settings = EnrichmentSettings.fromEnvironment(Map.of(
                "SHIPSTREAM_ASC_API_URL", "http://127.0.0.1:8089/",
                "SHIPSTREAM_ASC_MAX_HOLD_MS", "120000",
                "SHIPSTREAM_ASC_MAX_HELD_PER_KEY", "5"));

        assertThat(settings.apiUrl()).isEqualTo(URI.create("http://127.0.0.1:8089"));
        assertThat(settings.maxHold()).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings.maxHeldPerKey()).isEqualTo(5);
        assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(EnrichmentSettings.builder().build().maxHold()).isEqualTo(Duration.ofMinutes(10));
        assertThat(EnrichmentSettings.builder().build().apiUrl())
                .isEqualTo(URI.create("https://api.appstoreconnect.apple.com"));
    }

    @Test
    void rejectsANonNumericDuration() {
        assertThatThrownBy(() -> EnrichmentSettings.fromEnvironment(Map.of("SHIPSTREAM_ASC_MAX_HOLD_MS", "10m")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid value 10m for configuration SHIPSTREAM_ASC_MAX_HOLD_MS: Not a number of type "
                        + "LONG");
        assertThatThrownBy(() -> EnrichmentSettings.fromEnvironment(Map.of("SHIPSTREAM_ASC_MAX_HOLD_MS", "0")))
                .hasMessage("Invalid value 0 for configuration SHIPSTREAM_ASC_MAX_HOLD_MS: Value must be at least 1");
        assertThatThrownBy(() -> EnrichmentSettings.builder().maxHold(Duration.ZERO).build())
                .hasMessage("Invalid value 0 for configuration SHIPSTREAM_ASC_MAX_HOLD_MS: Value must be at least 1");
    }

    @Test
    void rejectsAnApiUrlWithAPathOrQuery() {
        assertThatThrownBy(() -> EnrichmentSettings.fromEnvironment(Map.of("SHIPSTREAM_ASC_API_URL",
                "https://api.appstoreconnect.apple.com/v1?x=1")))
                .hasMessage("Invalid value https://api.appstoreconnect.apple.com/v1?x=1 for configuration "
                        + "SHIPSTREAM_ASC_API_URL: must be an absolute http(s) URL with a host and no path, query or "
                        + "credentials");
    }

    @Test
    void refusesAPlainHttpApiUrlOnANonLoopbackHostBecauseTheTokenWouldTravelInClear() {
        for (String url : new String[] {"http://api.appstoreconnect.apple.com", "http://10.0.0.7:8080",
                "http://128.0.0.1", "http://localhost.example.com", "http://[::2]"}) {
            assertThatThrownBy(() -> EnrichmentSettings.fromEnvironment(Map.of("SHIPSTREAM_ASC_API_URL", url)))
                    .as(url)
                    .hasMessage("Invalid value " + url + " for configuration SHIPSTREAM_ASC_API_URL: must use https: "
                            + "every request carries the API token, which http would send in clear (http is allowed "
                            + "only for a loopback host: localhost, 127.0.0.0/8, [::1])");
        }
        assertThatThrownBy(() -> EnrichmentSettings.builder().apiUrl(URI.create("http://example.com")).build())
                .hasMessageStartingWith("Invalid value http://example.com for configuration SHIPSTREAM_ASC_API_URL: "
                        + "must use https");
    }

    @Test
    void acceptsHttpsAnywhereAndHttpOnALoopbackHost() {
        for (String url : new String[] {"https://api.appstoreconnect.apple.com", "https://10.0.0.7:8443",
                "http://127.0.0.1:8089", "http://127.255.1.9", "http://localhost:1", "http://LOCALHOST",
                "http://[::1]:8089"}) {
            assertThat(EnrichmentSettings.fromEnvironment(Map.of("SHIPSTREAM_ASC_API_URL", url)).apiUrl())
                    .as(url).isEqualTo(URI.create(url));
        }
    }

    @Test
    void rejectsInconsistentBackoffs() {
        assertThatThrownBy(() -> EnrichmentSettings.fromEnvironment(Map.of(
                "SHIPSTREAM_ASC_RETRY_BACKOFF_MS", "10000", "SHIPSTREAM_ASC_RETRY_BACKOFF_MAX_MS", "5000")))
                .hasMessage("Invalid value 5000 for configuration SHIPSTREAM_ASC_RETRY_BACKOFF_MAX_MS: must not be "
                        + "less than SHIPSTREAM_ASC_RETRY_BACKOFF_MS (10000)");
    }

    @Test
    void blankTuningVariablesTakeTheirDefaultLikeUnsetOnes() {
        EnrichmentSettings settings = EnrichmentSettings.fromEnvironment(Map.of(
                "SHIPSTREAM_ASC_API_URL", "", "SHIPSTREAM_ASC_MAX_HOLD_MS", "  ", "SHIPSTREAM_ASC_CACHE_SIZE", "\t"));

        assertThat(settings.apiUrl()).isEqualTo(URI.create("https://api.appstoreconnect.apple.com"));
        assertThat(settings.maxHold()).isEqualTo(Duration.ofMinutes(10));
        assertThat(settings.cacheSize()).isEqualTo(10_000);
    }

    @Test
    void theBuilderStartsFromTheSameDefaultsAsTheEnvironment() {
        EnrichmentSettings built = EnrichmentSettings.builder().build();
        EnrichmentSettings read = EnrichmentSettings.fromEnvironment(Map.of());

        assertThat(built.values()).isEqualTo(read.values());
        assertThat(EnrichmentSettings.configDef().names()).allMatch(name -> name.startsWith("SHIPSTREAM_ASC_"));
    }
}
