package dev.shipstream.connectors.ci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class CiSinkConnectorTest {

    private static Map<String, String> github(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>();
        props.put("ci.provider", "github");
        props.put("github.repository", "octo-org/ios-app");
        props.put("github.token", "ghp_validate_secret");
        props.putAll(extra);
        return props;
    }

    /** Errors by key, as Connect's REST API shows them. */
    private static Map<String, List<String>> errors(Map<String, String> props) {
        return new CiSinkConnector().validate(props).configValues().stream()
                .filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }

    @Test
    void aCompleteGithubConfigurationHasNoErrorsAndTheDefaultRulesCoverUseCasesOneAndTwo() {
        assertThat(errors(github(Map.of()))).isEmpty();
        Map<String, CiTrigger> triggers = new CiSinkConfig(github(Map.of())).triggers();
        assertThat(triggers.keySet()).containsExactly("build-processed", "version-ready");
        assertThat(triggers.get("build-processed").eventType()).isEqualTo("shipstream.build.processed");
        assertThat(triggers.get("version-ready").eventType()).isEqualTo("shipstream.version.ready");
    }

    @Test
    void eachProblemIsReportedOnItsOwnKeyWithoutEchoingASecret() {
        Map<String, List<String>> errors = errors(github(Map.of(
                "github.repository", "not a repo",
                "github.app.id", "42",
                "github.app.private.key", "-----BEGIN RSA PRIVATE KEY-----\nc2VjcmV0\n-----END RSA PRIVATE KEY-----",
                "rules", "ship", "rule.ship.when", "newState == 'COMPLETE'",
                "rule.ship.workflow", "release.yml", "rule.ship.inputs", "version,favourite_colour")));

        assertThat(errors).containsKeys("github.repository", "github.token", "github.app.installation.id",
                "github.app.private.key", "rule.ship.inputs");
        assertThat(errors.get("rule.ship.inputs")).singleElement().asString().contains("favourite_colour");
        assertThat(errors.toString()).doesNotContain("ghp_validate_secret", "c2VjcmV0");
    }

    @Test
    void aRuleWhosePayloadCannotFitIsRefusedWhenTheConnectorIsCreated() {
        assertThat(errors(github(Map.of("rules", "big", "rule.big.when", "true",
                "rule.big.payload.a", "1", "rule.big.payload.b", "2"))))
                .containsKey("rule.big.event.type");
    }

    @Test
    void eachProviderNamesTheKeysItNeeds() {
        assertThat(errors(Map.of("ci.provider", "gitlab"))).containsKeys("gitlab.project", "gitlab.trigger.token");
        assertThat(errors(Map.of("ci.provider", "bitbucket")))
                .containsKeys("bitbucket.workspace", "bitbucket.repository", "bitbucket.token");
        assertThat(errors(Map.of("ci.provider", "webhook", "webhook.url", "https://ci.example.com/hook",
                "webhook.secret", "plain-secret"))).containsOnlyKeys("webhook.secret");
        assertThat(errors(Map.of("ci.provider", "jenkins"))).containsKey("ci.provider");
        assertThatThrownBy(() -> new CiSinkConfig(Map.of("ci.provider", "gitlab", "gitlab.project", "1",
                "gitlab.trigger.token", "t", "rules", "w", "rule.w.when", "true", "rule.w.workflow", "x.yml")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("rule.w.workflow: Only for ci.provider=github");
    }

    @Test
    void secretsAreHiddenInWhatValidateReturns() {
        assertThat(new CiSinkConnector().validate(github(Map.of())).configValues().stream()
                .filter(v -> v.name().equals("github.token")).findFirst().orElseThrow().value().toString())
                .isEqualTo("[hidden]");
    }
}
