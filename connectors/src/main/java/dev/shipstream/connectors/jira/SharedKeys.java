package dev.shipstream.connectors.jira;

import dev.shipstream.connect.common.RuleSettings;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/** The rule, delivery and state keys every sink shares, until the shared sink base defines them. */
final class SharedKeys {

    private SharedKeys() {
    }

    static void define(ConfigDef def) {
        def.define(RuleSettings.RULES_CONFIG, Type.LIST, "", Importance.HIGH, RuleSettings.RULES_DOC,
                "Rules", 1, Width.LONG, "Rules");
        def.define("dry.run", Type.BOOLEAN, false, Importance.MEDIUM, "Log the requests instead of sending them.",
                "Delivery", 1, Width.SHORT, "Dry run");
        def.define("rate.limit.interval.ms", Type.LONG, 250L, ConfigDef.Range.atLeast(0), Importance.LOW,
                "At most one event per this many ms to the project.", "Delivery", 2, Width.SHORT, "Interval");
        def.define("retry.backoff.ms", Type.LONG, 1_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                "First retry wait.", "Delivery", 3, Width.SHORT, "Retry backoff");
        def.define("retry.backoff.max.ms", Type.LONG, 60_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                "Upper bound of the retry wait.", "Delivery", 4, Width.SHORT, "Retry backoff max");
        def.define("state.topic", Type.STRING, "shipstream.connect.state", Importance.MEDIUM, "State topic.",
                "State", 1, Width.MEDIUM, "State topic");
        def.define("state.bootstrap.servers", Type.STRING, "", Importance.HIGH, "State bootstrap servers.",
                "State", 2, Width.LONG, "State bootstrap servers");
        def.define("state.cache.max.entries", Type.LONG, 100_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                "State cache size.", "State", 3, Width.SHORT, "State cache size");
    }
}
