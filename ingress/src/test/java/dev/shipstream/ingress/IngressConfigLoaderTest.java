package dev.shipstream.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shipstream.ingress.verify.CidrBlock;
import dev.shipstream.ingress.verify.WebhookSecret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngressConfigLoaderTest {

    private static final String CANARY = "canary-secret-7f3a9c1e5b2d";

    @TempDir
    Path dir;

    private Path file(String json) throws IOException {
        Path path = dir.resolve("ingress.json");
        Files.writeString(path, json);
        return path;
    }

    @Test
    void refusesToStartWithoutAnySecret() {
        assertThatThrownBy(() -> IngressConfigLoader.load(Optional.empty(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no webhook endpoint is configured: set SHIPSTREAM_ASC_SECRET, SHIPSTREAM_EAS_SECRET or"
                        + " SHIPSTREAM_APPFLOW_TOKEN, or configure endpoints in the config file");
    }

    @Test
    void environmentSecretsConfigureTheDefaultEndpoints() {
        IngressConfig config = IngressConfigLoader.load(Optional.empty(), Map.of(
                "SHIPSTREAM_ASC_SECRET", CANARY,
                "SHIPSTREAM_EAS_SECRET", CANARY + "-eas",
                "SHIPSTREAM_APPFLOW_TOKEN", CANARY + "-appflow"));

        assertThat(config.endpoints()).extracting(EndpointConfig::name)
                .containsExactly("app-store-connect/default", "eas/default", "appflow/default");
        assertThat(config.endpoints()).allSatisfy(e ->
                assertThat(e.secrets()).extracting(WebhookSecret::id).containsExactly("env"));
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.bodyLimit(WebhookSource.EAS)).isEqualTo(256 * 1024);
        assertThat(config.edge()).isEqualTo(EdgeConfig.DEFAULTS);
        assertThat(config.publishTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.instances())
                .isEqualTo(IngressConfigLoader.defaultInstances(Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void leavesOneCoreToTheProducersNetworkThreadButRunsAtLeastOneEventLoop() {
        assertThat(IngressConfigLoader.defaultInstances(1)).isEqualTo(1);
        assertThat(IngressConfigLoader.defaultInstances(2)).isEqualTo(1);
        assertThat(IngressConfigLoader.defaultInstances(8)).isEqualTo(7);
    }

    @Test
    void onlySourcesWithASecretGetADefaultEndpoint() {
        IngressConfig config = IngressConfigLoader.load(Optional.empty(), Map.of("SHIPSTREAM_ASC_SECRET", CANARY));

        assertThat(config.endpoints()).extracting(EndpointConfig::name).containsExactly("app-store-connect/default");
    }

    @Test
    void readsSecretsInlineFromEnvironmentAndFromFiles() throws IOException {
        Path secretFile = dir.resolve("old-secret");
        Files.writeString(secretFile, CANARY + "-file\n");
        Path config = file("""
                {"port": 0, "kafka": {"bootstrapServers": "broker:9092", "producer": {"linger.ms": "0"}},
                 "sources": {"app-store-connect": {"bodyLimitBytes": 4096, "endpoints": {"my-app": {"secrets": [
                   {"id": "inline", "value": "%s-inline"},
                   {"id": "from-env", "env": "MY_SECRET"},
                   {"id": "from-file", "file": "%s"}]}}}}}
                """.formatted(CANARY, secretFile.toString().replace("\\", "\\\\")));

        IngressConfig loaded = IngressConfigLoader.load(Optional.of(config), Map.of("MY_SECRET", CANARY + "-env"));

        EndpointConfig endpoint = loaded.endpoints().get(0);
        assertThat(endpoint.name()).isEqualTo("app-store-connect/my-app");
        assertThat(endpoint.secrets()).extracting(WebhookSecret::id).containsExactly("inline", "from-env", "from-file");
        assertThat(endpoint.secrets()).extracting(s -> s.secret().length())
                .containsExactly(CANARY.length() + 7, CANARY.length() + 4, CANARY.length() + 5);
        assertThat(loaded.bodyLimit(WebhookSource.APP_STORE_CONNECT)).isEqualTo(4096);
        assertThat(loaded.bootstrapServers()).isEqualTo("broker:9092");
        assertThat(loaded.producerProperties()).containsEntry("linger.ms", "0");
        assertThat(loaded.toString()).doesNotContain(CANARY);
    }

    @Test
    void environmentOverridesTheFile() throws IOException {
        Path config = file("{\"port\": 9000, \"host\": \"0.0.0.0\", \"kafka\": {\"bootstrapServers\": \"a:1\"}}");

        IngressConfig loaded = IngressConfigLoader.load(Optional.of(config), Map.of(
                "SHIPSTREAM_ASC_SECRET", CANARY, "SHIPSTREAM_INGRESS_PORT", "9100",
                "SHIPSTREAM_KAFKA_BOOTSTRAP_SERVERS", "b:2", "SHIPSTREAM_INGRESS_PUBLISH_TIMEOUT_MS", "1500"));

        assertThat(loaded.port()).isEqualTo(9100);
        assertThat(loaded.host()).isEqualTo("0.0.0.0");
        assertThat(loaded.bootstrapServers()).isEqualTo("b:2");
        assertThat(loaded.publishTimeout()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void environmentSecretJoinsTheFileSecretsOfTheDefaultEndpointForRotation() throws IOException {
        Path config = file("""
                {"sources": {"eas": {"endpoints": {"default": {"secrets": [{"id": "old", "value": "%s-old-eas"}]}}}}}
                """.formatted(CANARY));

        IngressConfig loaded = IngressConfigLoader.load(Optional.of(config), Map.of("SHIPSTREAM_EAS_SECRET",
                CANARY + "-new-eas"));

        assertThat(loaded.endpoints(WebhookSource.EAS).get(0).secrets()).extracting(WebhookSecret::id)
                .containsExactly("old", "env");
    }

    @Test
    void refusesAnEndpointWithoutSecret() throws IOException {
        Path config = file("{\"sources\": {\"appflow\": {\"endpoints\": {\"mobile\": {\"secrets\": []}}}}}");

        assertThatThrownBy(() -> IngressConfigLoader.load(Optional.of(config), Map.of()))
                .hasMessage("endpoint appflow/mobile has no secret; an endpoint without a secret cannot start"
                        + " (there is no default secret)");
    }

    @Test
    void refusesAnEasSecretShorterThanSixteenCharactersWithoutPrintingIt() {
        assertThatThrownBy(() -> IngressConfigLoader.load(Optional.empty(), Map.of("SHIPSTREAM_EAS_SECRET",
                "short-canary")))
                .hasMessage("secret 'env' of endpoint eas/default is shorter than 16 characters, which Expo refuses")
                .hasMessageNotContaining("short-canary");
    }

    @Test
    void refusesASecretFromAnUnsetVariable() throws IOException {
        Path config = file("{\"sources\": {\"app-store-connect\": {\"endpoints\": {\"a\": {\"secrets\": ["
                + "{\"id\": \"v1\", \"env\": \"NOT_SET_ANYWHERE\"}]}}}}}");

        assertThatThrownBy(() -> IngressConfigLoader.load(Optional.of(config), Map.of()))
                .hasMessage("endpoint app-store-connect/a secret 'v1': environment variable NOT_SET_ANYWHERE is not"
                        + " set");
    }

    @Test
    void refusesUnknownKeysSoTyposCannotDisableASetting() throws IOException {
        Path config = file("{\"publishTimeotMs\": 100}");

        assertThatThrownBy(() -> IngressConfigLoader.load(Optional.of(config), Map.of("SHIPSTREAM_ASC_SECRET", CANARY)))
                .hasMessageStartingWith("unknown key 'publishTimeotMs' in configuration");
    }

    @Test
    void refusesAnAllowListOnASignedSource() throws IOException {
        Path config = file("{\"sources\": {\"eas\": {\"endpoints\": {\"p\": {\"secrets\": [{\"id\": \"v\","
                + " \"value\": \"" + CANARY + "\"}], \"allowList\": [\"10.0.0.0/8\"]}}}}}");

        assertThatThrownBy(() -> IngressConfigLoader.load(Optional.of(config), Map.of()))
                .hasMessage("endpoint eas/p has an allowList; only appflow endpoints (token-authenticated) take one");
    }

    @Test
    void refusesProducerSettingsThatWouldWeakenDurability() throws IOException {
        Path config = file("{\"kafka\": {\"producer\": {\"acks\": \"1\"}}}");

        assertThatThrownBy(() -> IngressConfigLoader.load(Optional.of(config), Map.of("SHIPSTREAM_ASC_SECRET", CANARY)))
                .hasMessage("kafka.producer.acks is set by the ingress and cannot be configured");
    }

    @Test
    void refusesAnInvalidPortWithItsOrigin() throws IOException {
        assertThatThrownBy(() -> IngressConfigLoader.load(Optional.empty(), Map.of("SHIPSTREAM_ASC_SECRET", CANARY,
                "SHIPSTREAM_INGRESS_PORT", "eighty")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid value eighty for configuration SHIPSTREAM_INGRESS_PORT: Not a number of type INT");
        assertThatThrownBy(() -> IngressConfigLoader.load(Optional.empty(), Map.of("SHIPSTREAM_ASC_SECRET", CANARY,
                "SHIPSTREAM_INGRESS_PORT", "70000")))
                .hasMessage("Invalid value 70000 for configuration SHIPSTREAM_INGRESS_PORT: Value must be no more "
                        + "than 65535");
        Path config = file("{\"port\": \"eighty\"}");
        assertThatThrownBy(() -> IngressConfigLoader.load(Optional.of(config), Map.of("SHIPSTREAM_ASC_SECRET", CANARY)))
                .hasMessage("port must be an integer, got 'eighty'");
    }

    @Test
    void blankVariablesAreUnsetSoTheFileAndTheDefaultsApply() throws IOException {
        Path config = file("{\"host\": \"0.0.0.0\", \"publishTimeoutMs\": 1500}");

        IngressConfig loaded = IngressConfigLoader.load(Optional.of(config), Map.of("SHIPSTREAM_ASC_SECRET", CANARY,
                "SHIPSTREAM_EAS_SECRET", "  ", "SHIPSTREAM_INGRESS_HOST", "", "SHIPSTREAM_INGRESS_PUBLISH_TIMEOUT_MS",
                " ", "SHIPSTREAM_INGRESS_PORT", "\t", "SHIPSTREAM_INGRESS_TRUSTED_PROXIES", " "));

        assertThat(loaded.host()).isEqualTo("0.0.0.0");
        assertThat(loaded.publishTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(loaded.port()).isEqualTo(8080);
        assertThat(loaded.edge().trustedProxies()).isEmpty();
        assertThat(loaded.endpoints()).extracting(EndpointConfig::name).containsExactly("app-store-connect/default");
    }

    @Test
    void trimsAnEnvironmentSecretLikeEveryOtherValue() {
        IngressConfig trimmed = IngressConfigLoader.load(Optional.empty(), Map.of("SHIPSTREAM_ASC_SECRET",
                " " + CANARY + "\n"));

        assertThat(trimmed.endpoints().get(0).secrets().get(0).secret().length()).isEqualTo(CANARY.length());
    }

    @Test
    void refusesAnAccessLogFlagThatIsNeitherTrueNorFalse() {
        assertThatThrownBy(() -> IngressConfigLoader.load(Optional.empty(), Map.of("SHIPSTREAM_ASC_SECRET", CANARY,
                "SHIPSTREAM_INGRESS_ACCESS_LOG", "yes")))
                .hasMessage("Invalid value yes for configuration SHIPSTREAM_INGRESS_ACCESS_LOG: Expected value to be "
                        + "either true or false");
    }

    @Test
    void theNativeTransportIsTheDefaultAndCanBeTurnedOffByFileOrEnvironment() throws IOException {
        Map<String, String> secret = Map.of("SHIPSTREAM_ASC_SECRET", CANARY);
        Path off = file("{\"nativeTransport\": false}");

        assertThat(IngressConfigLoader.load(Optional.empty(), secret).nativeTransport()).isTrue();
        assertThat(IngressConfigLoader.load(Optional.of(off), secret).nativeTransport()).isFalse();
        assertThat(IngressConfigLoader.load(Optional.of(off), Map.of("SHIPSTREAM_ASC_SECRET", CANARY,
                "SHIPSTREAM_INGRESS_NATIVE_TRANSPORT", "true")).nativeTransport()).isTrue();
        assertThat(IngressConfigLoader.load(Optional.empty(), Map.of("SHIPSTREAM_ASC_SECRET", CANARY,
                "SHIPSTREAM_INGRESS_NATIVE_TRANSPORT", "false")).nativeTransport()).isFalse();
    }

    @Test
    void refusesAFileFlagThatIsNotAJsonBoolean() throws IOException {
        Map<String, String> secret = Map.of("SHIPSTREAM_ASC_SECRET", CANARY);
        // One file path, rewritten: each load reads the file as it is at that moment.
        Path quoted = file("{\"accessLog\": \"no\"}");
        assertThatThrownBy(() -> IngressConfigLoader.load(Optional.of(quoted), secret))
                .hasMessage("accessLog must be true or false, got \"no\"");

        Path number = file("{\"nativeTransport\": 0}");
        assertThatThrownBy(() -> IngressConfigLoader.load(Optional.of(number), secret))
                .hasMessage("nativeTransport must be true or false, got 0");
    }

    @Test
    void refusesAnInvalidTrustedProxyNamingTheVariable() {
        assertThatThrownBy(() -> IngressConfigLoader.load(Optional.empty(), Map.of("SHIPSTREAM_ASC_SECRET", CANARY,
                "SHIPSTREAM_INGRESS_TRUSTED_PROXIES", "10.0.0.0/8, nonsense")))
                .hasMessageStartingWith("Invalid value [10.0.0.0/8, nonsense] for configuration "
                        + "SHIPSTREAM_INGRESS_TRUSTED_PROXIES: invalid CIDR block 'nonsense'");
    }

    @Test
    void appflowAllowListComesFromTheEnvironment() {
        IngressConfig loaded = IngressConfigLoader.load(Optional.empty(), Map.of("SHIPSTREAM_APPFLOW_TOKEN", CANARY,
                "SHIPSTREAM_APPFLOW_ALLOW_LIST", "203.0.113.0/24, 2001:db8::/32"));

        assertThat(loaded.endpoints(WebhookSource.APPFLOW).get(0).allowList()).hasSize(2);
    }

    @Test
    void refusesAWeakAppflowTokenNamingItsVariableButNotItsValue() {
        for (String weak : new String[] {"a", "appflow-token", "abcabcabcabcabcabcabcabcabcabcabcabcabc"}) {
            assertThatThrownBy(() -> IngressConfigLoader.load(Optional.empty(), Map.of("SHIPSTREAM_APPFLOW_TOKEN",
                    weak)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("SHIPSTREAM_APPFLOW_TOKEN is too weak: an Appflow token is the endpoint's"
                            + " only credential and needs at least 128 bits of entropy")
                    .hasMessageNotContaining("token: " + weak)
                    .hasMessageNotContaining("'" + weak + "'");
        }
    }

    @Test
    void refusesAWeakAppflowTokenFromTheFileNamingItsEndpoint() throws IOException {
        Path config = file("{\"sources\": {\"appflow\": {\"endpoints\": {\"mobile\": {\"secrets\": ["
                + "{\"id\": \"v1\", \"value\": \"hunter2hunter2\"}]}}}}}");

        assertThatThrownBy(() -> IngressConfigLoader.load(Optional.of(config), Map.of()))
                .hasMessageStartingWith("token 'v1' of endpoint appflow/mobile is too weak:")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void readsTheEdgeBoundsAndTrustedProxiesFromFileAndEnvironment() throws IOException {
        Path config = file("""
                {"maxConnections": 10, "maxBufferedBytes": 5000000000, "maxUnauthorizedPerAddress": 3,
                 "unauthorizedWindowMs": 2000, "trustedProxies": ["10.0.0.0/8"],
                 "sources": {"eas": {"bodyLimitBytes": 1000}}}
                """);

        IngressConfig fromFile = IngressConfigLoader.load(Optional.of(config), Map.of("SHIPSTREAM_ASC_SECRET", CANARY));
        IngressConfig fromEnv = IngressConfigLoader.load(Optional.of(config), Map.of("SHIPSTREAM_ASC_SECRET", CANARY,
                "SHIPSTREAM_INGRESS_MAX_CONNECTIONS", "20", "SHIPSTREAM_INGRESS_MAX_BUFFERED_BYTES", "4096",
                "SHIPSTREAM_INGRESS_MAX_UNAUTHORIZED_PER_ADDRESS", "7",
                "SHIPSTREAM_INGRESS_TRUSTED_PROXIES", "192.0.2.0/24, 2001:db8::/32"));

        assertThat(fromFile.edge()).isEqualTo(new EdgeConfig(10, 5_000_000_000L, 3, Duration.ofSeconds(2),
                List.of(CidrBlock.parse("10.0.0.0/8"))));
        assertThat(fromFile.bodyLimit(WebhookSource.EAS)).isEqualTo(1000);
        assertThat(fromFile.bodyLimit(WebhookSource.APPFLOW)).isEqualTo(IngressConfig.DEFAULT_BODY_LIMIT_BYTES);
        assertThat(fromEnv.edge()).isEqualTo(new EdgeConfig(20, 4096, 7, Duration.ofSeconds(2),
                List.of(CidrBlock.parse("192.0.2.0/24"), CidrBlock.parse("2001:db8::/32"))));
    }
}
