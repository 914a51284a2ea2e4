package dev.shipstream.connectors.slack;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import dev.shipstream.connect.common.RuleCompiler;
import dev.shipstream.connect.common.RuleSettings;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Posts delivery events ({@code shipstream.events}, as Connect {@code Struct}s of the DeliveryEvent schema) to
 * Slack, for the events its CEL rules match, rendered from Mustache templates, one thread per app version.
 * {@link #validate} compiles every rule and template and reports each error on its own key, so Connect's REST API
 * refuses a bad configuration when the connector is created. Every task gets the same configuration; Connect
 * spreads the topic's partitions across them.
 */
public class SlackSinkConnector extends SinkConnector {

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        new SlackSinkConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return SlackSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return Collections.nCopies(maxTasks, props);
    }

    @Override
    public void stop() {
        props = null;
    }

    @Override
    public ConfigDef config() {
        return SlackSinkConfig.configDef();
    }

    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        List<ConfigValue> values = new ArrayList<>(config.configValues());
        // Rules and templates are checked from the raw properties, so their errors show even when another key
        // has a bad value (which super.validate has already reported on its key).
        List<RuleSettings.Definition> rules = SlackSinkConfig.rules(connectorConfigs);
        RuleSettings.errors(rules, new RuleCompiler()).forEach((key, message) -> addError(values, key, message));
        try {
            new SlackTemplates(rules, SlackSinkConfig.templateOverrides(connectorConfigs));
        } catch (IllegalArgumentException e) {
            // The message starts with the key of the template at fault (rule.<name>.title, template.<CATEGORY>.body).
            int colon = e.getMessage().indexOf(':');
            String key = colon > 0 ? e.getMessage().substring(0, colon) : RuleSettings.RULES_CONFIG;
            addError(values, key.contains(" ") ? RuleSettings.RULES_CONFIG : key, e.getMessage());
        }
        try {
            new SlackSinkConfig(connectorConfigs, false).crossChecks()
                    .forEach((key, message) -> addError(values, key, message));
        } catch (ConfigException alreadyReported) {
            // A value of the wrong type or out of range: super.validate reported it on its key.
        }
        return new Config(values);
    }

    @Override
    public String version() {
        String version = SlackSinkConnector.class.getPackage().getImplementationVersion();
        return version != null ? version : "unknown";
    }

    /** Adds {@code message} to the value of {@code key}, creating the value for a dynamic key (rule.*). */
    private static void addError(List<ConfigValue> values, String key, String message) {
        for (ConfigValue value : values) {
            if (value.name().equals(key)) {
                value.addErrorMessage(message);
                return;
            }
        }
        ConfigValue value = new ConfigValue(key);
        value.addErrorMessage(message);
        values.add(value);
    }
}
