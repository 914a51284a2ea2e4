package dev.shipstream.connectors.slack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.shipstream.connect.common.DeliverySinkConnector;
import dev.shipstream.connect.common.RuleSettings;
import dev.shipstream.connect.common.SinkSettings;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.Task;

/**
 * Posts delivery events ({@code shipstream.events}, as Connect {@code Struct}s of the DeliveryEvent schema) to
 * Slack, for the events its CEL rules match, rendered from Mustache templates, one thread per app version.
 * {@link #validate} compiles every rule and template and reports each error on its own key, so Connect's REST API
 * refuses a bad configuration when the connector is created. Every task gets the same configuration; Connect
 * spreads the topic's partitions across them.
 */
public class SlackSinkConnector extends DeliverySinkConnector {

    @Override
    protected void parse(Map<String, String> props) {
        new SlackSinkConfig(props);
    }

    @Override
    protected List<RuleSettings.Definition> rules(Map<String, String> props) {
        return SlackSinkConfig.rules(props);
    }

    @Override
    protected Map<String, String> moreErrors(Map<String, String> props) {
        Map<String, String> errors = new LinkedHashMap<>();
        try {
            new SlackTemplates(rules(props), SinkSettings.templateOverrides(props));
        } catch (IllegalArgumentException e) {
            // The message starts with the key of the template at fault (rule.<name>.title, template.<CATEGORY>.body).
            int colon = e.getMessage().indexOf(':');
            String key = colon > 0 ? e.getMessage().substring(0, colon) : RuleSettings.RULES_CONFIG;
            errors.put(key.contains(" ") ? RuleSettings.RULES_CONFIG : key, e.getMessage());
        }
        try {
            errors.putAll(new SlackSinkConfig(props, false).crossChecks());
        } catch (ConfigException alreadyReported) {
            // A value of the wrong type or out of range: super.validate reported it on its key.
        }
        return errors;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return SlackSinkTask.class;
    }

    @Override
    public ConfigDef config() {
        return SlackSinkConfig.configDef();
    }
}
