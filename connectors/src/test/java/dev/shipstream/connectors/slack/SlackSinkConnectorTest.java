package dev.shipstream.connectors.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class SlackSinkConnectorTest {

    private static Map<String, String> valid() {
        Map<String, String> props = new HashMap<>();
        props.put("name", "slack");
        props.put("slack.token", "xoxb-1");
        props.put("slack.channel", "C1");
        return props;
    }

    private static Map<String, List<String>> errors(Map<String, String> props) {
        return new SlackSinkConnector().validate(props).configValues().stream()
                .filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }

    @Test
    void aValidConfigurationHasNoErrors() {
        assertThat(errors(valid())).isEmpty();
    }

    @Test
    void aRuleThatDoesNotCompileIsReportedOnItsOwnKey() {
        Map<String, String> props = valid();
        props.put("rules", "failed,typo");
        props.put("rule.failed.when", "newState == 'FAILED'");
        props.put("rule.typo.when", "nwState == 'FAILED'");
        assertThat(errors(props)).containsOnlyKeys("rule.typo.when");
        assertThat(errors(props).get("rule.typo.when").get(0)).contains("undeclared reference to 'nwState'");
    }

    @Test
    void aNamedRuleWithoutExpressionIsAnError() {
        Map<String, String> props = valid();
        props.put("rules", "orphan");
        assertThat(errors(props)).containsKey("rule.orphan.when");
    }

    @Test
    void ruleErrorsAreReportedEvenWhenOtherKeysHaveErrors() {
        Map<String, String> props = valid();
        props.remove("name");
        props.put("rate.limit.interval.ms", "-5");
        props.put("rules", "typo");
        props.put("rule.typo.when", "nwState == 'FAILED'");
        assertThat(errors(props)).containsKeys("rate.limit.interval.ms", "rule.typo.when");
    }

    @Test
    void aMalformedWebhookUrlIsAnErrorThatDoesNotShowIt() {
        Map<String, String> props = valid();
        props.remove("slack.token");
        props.put("slack.webhook.url", "https://hooks slack com/secret-part");
        assertThat(errors(props)).containsOnlyKeys("slack.webhook.url");
        assertThat(errors(props).toString()).doesNotContain("secret-part");
    }

    @Test
    void neitherTokenNorWebhookIsAnError() {
        Map<String, String> props = valid();
        props.remove("slack.token");
        assertThat(errors(props)).containsKey("slack.token");
    }

    @Test
    void aTokenWithoutAnyChannelIsAnError() {
        Map<String, String> props = valid();
        props.remove("slack.channel");
        props.put("rule.failed.channel", "C2");
        assertThat(errors(props).get("slack.channel").get(0)).contains("feedback");
    }

    @Test
    void aTemplateThatDoesNotCompileIsAnError() {
        Map<String, String> props = valid();
        props.put("rules", "failed");
        props.put("rule.failed.when", "true");
        props.put("rule.failed.title", "{{#open}} never closed");
        assertThat(errors(props)).containsOnlyKeys("rule.failed.title");
    }

    @Test
    void aCategoryTemplateOfAnUnknownCategoryIsAnError() {
        Map<String, String> props = valid();
        props.put("template.BUILD_FAILED.title", "{{appLabel}}");
        assertThat(errors(props)).containsOnlyKeys("template.BUILD_FAILED.title");
    }

    @Test
    void secretsArePasswordsAndHiddenInErrors() {
        ConfigDef def = new SlackSinkConnector().config();
        assertThat(def.configKeys().get("slack.token").type).isEqualTo(ConfigDef.Type.PASSWORD);
        assertThat(def.configKeys().get("slack.webhook.url").type).isEqualTo(ConfigDef.Type.PASSWORD);
        Map<String, String> props = valid();
        props.put("slack.webhook.url", "https://hooks.slack.com/services/T/B/very-secret");
        assertThat(errors(props).toString()).doesNotContain("very-secret", "xoxb-1");
    }
}
