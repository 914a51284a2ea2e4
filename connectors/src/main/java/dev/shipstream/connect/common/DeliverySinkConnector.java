package dev.shipstream.connect.common;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * What every Shipstream sink connector shares: the configuration is parsed when the connector starts, every task gets
 * it unchanged (Connect spreads the topic's partitions across them), and {@link #validate} reports each rule,
 * template and cross-key error on its own key, so Connect's REST API refuses a bad configuration when the connector
 * is created.
 */
public abstract class DeliverySinkConnector extends SinkConnector {

    private Map<String, String> props;

    /** Parses {@code props} fully, throwing {@link ConfigException} naming the key at fault (never a secret). */
    protected abstract void parse(Map<String, String> props);

    /** The rules of raw {@code props}, with the connector's defaults when none are configured. */
    protected abstract List<RuleSettings.Definition> rules(Map<String, String> props);

    /**
     * Errors beyond types, ranges and rule expressions (templates, keys that depend on each other), by key; empty
     * when there are none. Must not throw for a value of the wrong type: {@code super.validate} has reported it on
     * its key already, so catch {@link ConfigException} around a full parse and skip the checks that need it.
     */
    protected abstract Map<String, String> moreErrors(Map<String, String> props);

    @Override
    public void start(Map<String, String> props) {
        parse(props);
        this.props = Map.copyOf(props);
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
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        List<ConfigValue> values = new ArrayList<>(config.configValues());
        // Rules are checked from the raw properties, so their errors show even when another key has a bad value
        // (which super.validate has already reported on its key).
        RuleSettings.errors(rules(connectorConfigs), new RuleCompiler())
                .forEach((key, message) -> addError(values, key, message));
        moreErrors(connectorConfigs).forEach((key, message) -> addError(values, key, message));
        return new Config(values);
    }

    @Override
    public String version() {
        String version = getClass().getPackage().getImplementationVersion();
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
