package dev.shipstream.connectors.ci;

import java.util.List;
import java.util.Map;

import dev.shipstream.connect.common.DeliverySinkConnector;
import dev.shipstream.connect.common.RuleSettings;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.Task;

/**
 * Starts CI jobs for delivery events ({@code shipstream.events}, as Connect {@code Struct}s of the DeliveryEvent
 * schema) that its CEL rules match: a GitHub {@code repository_dispatch} or {@code workflow_dispatch}, a GitLab
 * pipeline trigger, a Bitbucket Pipelines run, or a Standard Webhooks POST, one provider per connector. Without rules
 * it covers use cases 1 (a build finished processing: {@code shipstream.build.processed}) and 2 (the version is ready
 * for distribution: {@code shipstream.version.ready}). {@link #validate} reports rule and cross-key errors on their
 * own keys.
 */
public class CiSinkConnector extends DeliverySinkConnector {

    @Override
    protected void parse(Map<String, String> props) {
        new CiSinkConfig(props);
    }

    @Override
    protected List<RuleSettings.Definition> rules(Map<String, String> props) {
        return CiSinkConfig.rules(props);
    }

    @Override
    protected Map<String, String> moreErrors(Map<String, String> props) {
        try {
            return new CiSinkConfig(props, false).crossChecks();
        } catch (ConfigException alreadyReported) {
            // A missing provider or a value of the wrong type: super.validate reported it on its key.
            return Map.of();
        }
    }

    @Override
    public Class<? extends Task> taskClass() {
        return CiSinkTask.class;
    }

    @Override
    public ConfigDef config() {
        return CiSinkConfig.configDef();
    }
}
