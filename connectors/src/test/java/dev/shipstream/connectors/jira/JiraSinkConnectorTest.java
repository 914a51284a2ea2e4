package dev.shipstream.connectors.jira;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

/** What Connect's validate answers for a Jira connector configuration, key by key. */
class JiraSinkConnectorTest {

    private static Map<String, String> valid() {
        Map<String, String> props = new HashMap<>();
        props.put("name", "jira");
        props.put("jira.url", "https://example.atlassian.net");
        props.put("jira.email", "bot@example.com");
        props.put("jira.api.token", "secret-token");
        props.put("jira.project", "MOB");
        return props;
    }

    private static Map<String, List<String>> errors(Map<String, String> props) {
        return new JiraSinkConnector().validate(props).configValues().stream()
                .filter(v -> !v.errorMessages().isEmpty())
                .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }

    @Test
    void theDefaultRulesNeedNoMoreThanSiteCredentialsAndProject() {
        assertThat(errors(valid())).isEmpty();
    }

    @Test
    void aRuleWithoutOrWithAnUnknownActionIsReportedOnItsActionKey() {
        Map<String, String> props = valid();
        props.put("rules", "mine,odd");
        props.put("rule.mine.when", "newState == 'FAILED'");
        props.put("rule.odd.when", "newState == 'FAILED'");
        props.put("rule.odd.action", "transition");
        assertThat(errors(props)).containsOnlyKeys("rule.mine.action", "rule.odd.action");
    }

    @Test
    void aTemplateThatDoesNotCompileIsReportedOnItsKey() {
        Map<String, String> props = valid();
        props.put("rule.crash.summary", "{{#app}}unclosed");
        assertThat(errors(props)).containsOnlyKeys("rule.crash.summary");
    }

    @Test
    void missingOrDoubleCredentialsAreReportedWithoutTheSecret() {
        Map<String, String> both = valid();
        both.put("jira.bearer.token", "other-secret");
        assertThat(errors(both)).containsOnlyKeys("jira.api.token");
        assertThat(errors(both).toString()).doesNotContain("secret-token", "other-secret");
        Map<String, String> emailOnly = valid();
        emailOnly.remove("jira.api.token");
        assertThat(errors(emailOnly)).containsOnlyKeys("jira.api.token");
    }

    @Test
    void aRequiredKeyOrABadUrlIsReportedOnItsKeyAlongsideRuleErrors() {
        Map<String, String> props = valid();
        props.remove("jira.project");
        props.put("jira.url", "ftp://example");
        props.put("rule.release.when", "nwState == 'X'");
        assertThat(errors(props)).containsKeys("jira.project", "jira.url", "rule.release.when");
    }
}
