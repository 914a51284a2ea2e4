package dev.shipstream.connect.common;

import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * A sink's configuration: parsed once against its {@link ConfigDef}, then checked across keys, and read through
 * typed accessors. The raw properties are kept for what no static key covers: {@code rule.<name>.*} and
 * {@code template.*}.
 */
public abstract class DeliverySinkConfig extends AbstractConfig {

    private final Map<String, String> props;

    /**
     * Parses {@code props}; with {@code crossCheck}, also checks across keys ({@code validate} skips that and reports
     * {@link #crossChecks()} on their keys instead).
     *
     * @throws ConfigException naming the key and the problem, never the value of a secret
     */
    protected DeliverySinkConfig(ConfigDef def, Map<String, String> props, boolean crossCheck) {
        super(def, props, false);
        this.props = Map.copyOf(props);
        if (crossCheck) {
            crossChecks().forEach((key, message) -> {
                throw new ConfigException(key + ": " + message);
            });
        }
    }

    /**
     * Checks across keys, by the key to report them on; empty when the configuration is consistent. Called from the
     * constructor: it may read only this class's getters and {@link #props()}.
     */
    protected abstract Map<String, String> crossChecks();

    /** The connector's default rules (name → CEL expression), used when {@code rules} is empty. */
    protected abstract Map<String, String> ruleDefaults();

    /** The raw properties. */
    protected final Map<String, String> props() {
        return props;
    }

    /** The configured rules, or the defaults when {@code rules} is empty. */
    public List<RuleSettings.Definition> rules() {
        return RuleSettings.definitions(getList(RuleSettings.RULES_CONFIG), props, ruleDefaults());
    }

    /** The per-category template overrides, keyed {@code <CATEGORY>.<part>}. */
    public Map<String, String> templateOverrides() {
        return SinkSettings.templateOverrides(props);
    }
}
