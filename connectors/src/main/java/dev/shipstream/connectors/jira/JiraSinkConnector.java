package dev.shipstream.connectors.jira;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.shipstream.connect.common.DeliverySinkConnector;
import dev.shipstream.connect.common.RuleSettings;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.Task;

/**
 * Acts on a Jira Cloud project for the delivery events ({@code shipstream.events}, as Connect {@code Struct}s of the
 * DeliveryEvent schema) its CEL rules match: releases a version (its issues moved to done and commented, the Jira
 * version released), creates an issue once per entity, or comments on the issue of the same version or build.
 * {@link #validate} reports each rule, action, template and credential error on its own key.
 */
public class JiraSinkConnector extends DeliverySinkConnector {

    @Override
    protected void parse(Map<String, String> props) {
        new JiraSinkConfig(props);
    }

    @Override
    protected List<RuleSettings.Definition> rules(Map<String, String> props) {
        return JiraSinkConfig.rules(props);
    }

    @Override
    protected Map<String, String> moreErrors(Map<String, String> props) {
        Map<String, String> errors = new LinkedHashMap<>();
        try {
            JiraSinkConfig config = new JiraSinkConfig(props, false);
            errors.putAll(config.crossChecks());
            Map<String, JiraAction> actions = new LinkedHashMap<>();
            config.rules().forEach(d -> actions.put(d.name(), config.actionOf(d)));
            new JiraContent(config.rules(), actions);
        } catch (ConfigException alreadyReported) {
            // A value of the wrong type or out of range: super.validate reported it on its key.
        } catch (IllegalArgumentException e) {
            // The message starts with the key of the template at fault (rule.<name>.summary, rule.<name>.comment).
            int colon = e.getMessage().indexOf(':');
            String key = colon > 0 ? e.getMessage().substring(0, colon) : RuleSettings.RULES_CONFIG;
            errors.put(key.contains(" ") ? RuleSettings.RULES_CONFIG : key, e.getMessage());
        }
        return errors;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return JiraSinkTask.class;
    }

    @Override
    public ConfigDef config() {
        return JiraSinkConfig.configDef();
    }
}
