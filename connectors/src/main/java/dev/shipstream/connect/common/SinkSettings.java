package dev.shipstream.connect.common;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * The settings every Shipstream sink shares, whatever its target: the rules, how deliveries are paced and retried,
 * and where sent keys are kept. A sink's own config class adds these to its {@link ConfigDef} with {@link #define}
 * after its target's keys, so every connector presents the same groups in the same order.
 */
public final class SinkSettings {

    public static final String GROUP_RULES = "Rules";
    public static final String GROUP_DELIVERY = "Delivery";
    public static final String GROUP_STATE = "State";

    public static final String DRY_RUN_CONFIG = "dry.run";
    public static final boolean DRY_RUN_DEFAULT = false;
    public static final String DRY_RUN_DOC = "Render each request and log it (without credentials) instead of "
            + "sending it.";

    public static final String RATE_INTERVAL_MS_CONFIG = "rate.limit.interval.ms";

    public static final String RETRY_BACKOFF_MS_CONFIG = "retry.backoff.ms";
    public static final long RETRY_BACKOFF_MS_DEFAULT = 1_000;
    public static final String RETRY_BACKOFF_MS_DOC = "First wait before retrying a retryable failure that named no "
            + "delay (5xx, timeouts, retryable error codes); doubles per attempt.";

    public static final String RETRY_BACKOFF_MAX_MS_CONFIG = "retry.backoff.max.ms";
    public static final long RETRY_BACKOFF_MAX_MS_DEFAULT = 60_000;
    public static final String RETRY_BACKOFF_MAX_MS_DOC = "Upper bound of the retry wait, also for Retry-After.";

    public static final String STATE_TOPIC_CONFIG = "state.topic";
    public static final String STATE_TOPIC_DEFAULT = "shipstream.connect.state";
    public static final String STATE_TOPIC_DOC = "Compacted topic holding sent idempotency keys and the target's ids "
            + "(threads, created issues), so a restart sends nothing twice. Created if missing.";

    public static final String STATE_BOOTSTRAP_CONFIG = "state.bootstrap.servers";
    public static final String STATE_BOOTSTRAP_DOC = "Kafka bootstrap servers of the state topic (usually the "
            + "worker's). Empty: keys are kept in memory only and a task restart may send again. Further client "
            + "settings (security) as state.client.<kafka client key>.";

    public static final String STATE_CLIENT_PREFIX = "state.client.";

    public static final String STATE_CACHE_MAX_CONFIG = "state.cache.max.entries";
    public static final long STATE_CACHE_MAX_DEFAULT = 100_000;
    public static final String STATE_CACHE_MAX_DOC = "How many keys a task keeps in memory (the most recent).";

    /** Per-category template overrides: template.<CATEGORY>.<part>, template.default.* for the fallback. */
    public static final String TEMPLATE_PREFIX = "template.";
    public static final String TEMPLATE_DEFAULT = "default";

    private SinkSettings() {
    }

    /**
     * Adds the Rules, Delivery and State groups to {@code def}. The pacing default differs per target (Slack allows
     * about one message per second per channel; CI and Jira APIs allow more), so each sink names its own.
     */
    public static ConfigDef define(ConfigDef def, long rateIntervalDefaultMs, String rateIntervalDoc) {
        int order = 0;
        def.define(RuleSettings.RULES_CONFIG, Type.LIST, "", Importance.HIGH, RuleSettings.RULES_DOC,
                GROUP_RULES, ++order, Width.LONG, "Rules");
        order = 0;
        def.define(DRY_RUN_CONFIG, Type.BOOLEAN, DRY_RUN_DEFAULT, Importance.MEDIUM, DRY_RUN_DOC,
                GROUP_DELIVERY, ++order, Width.SHORT, "Dry run");
        def.define(RATE_INTERVAL_MS_CONFIG, Type.LONG, rateIntervalDefaultMs, ConfigDef.Range.atLeast(0),
                Importance.LOW, rateIntervalDoc, GROUP_DELIVERY, ++order, Width.SHORT, "Per-target interval");
        def.define(RETRY_BACKOFF_MS_CONFIG, Type.LONG, RETRY_BACKOFF_MS_DEFAULT, ConfigDef.Range.atLeast(1),
                Importance.LOW, RETRY_BACKOFF_MS_DOC, GROUP_DELIVERY, ++order, Width.SHORT, "Retry backoff");
        def.define(RETRY_BACKOFF_MAX_MS_CONFIG, Type.LONG, RETRY_BACKOFF_MAX_MS_DEFAULT, ConfigDef.Range.atLeast(1),
                Importance.LOW, RETRY_BACKOFF_MAX_MS_DOC, GROUP_DELIVERY, ++order, Width.SHORT, "Retry backoff max");
        order = 0;
        def.define(STATE_TOPIC_CONFIG, Type.STRING, STATE_TOPIC_DEFAULT, new ConfigDef.NonEmptyString(),
                Importance.MEDIUM, STATE_TOPIC_DOC, GROUP_STATE, ++order, Width.MEDIUM, "State topic");
        def.define(STATE_BOOTSTRAP_CONFIG, Type.STRING, "", Importance.HIGH, STATE_BOOTSTRAP_DOC,
                GROUP_STATE, ++order, Width.LONG, "State bootstrap servers");
        def.define(STATE_CACHE_MAX_CONFIG, Type.LONG, STATE_CACHE_MAX_DEFAULT, ConfigDef.Range.atLeast(1),
                Importance.LOW, STATE_CACHE_MAX_DOC, GROUP_STATE, ++order, Width.SHORT, "State cache size");
        return def;
    }

    /** How deliveries are paced and retried, read from a config that {@link #define} extended. */
    public record Delivery(boolean dryRun, Duration rateInterval, Duration retryBackoff, Duration retryBackoffMax) {

        public static Delivery of(AbstractConfig config) {
            return new Delivery(config.getBoolean(DRY_RUN_CONFIG),
                    Duration.ofMillis(config.getLong(RATE_INTERVAL_MS_CONFIG)),
                    Duration.ofMillis(config.getLong(RETRY_BACKOFF_MS_CONFIG)),
                    Duration.ofMillis(config.getLong(RETRY_BACKOFF_MAX_MS_CONFIG)));
        }
    }

    /** Kafka client settings for the state topic, or null when no state bootstrap servers are set. */
    public static Map<String, Object> stateClientConfig(AbstractConfig config) {
        String bootstrap = config.getString(STATE_BOOTSTRAP_CONFIG);
        if (bootstrap == null || bootstrap.isBlank()) {
            return null;
        }
        Map<String, Object> client = new HashMap<>(config.originalsWithPrefix(STATE_CLIENT_PREFIX));
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return client;
    }

    /** The rules of raw properties (the connector's defaults when {@code rules} is empty), before a full parse. */
    @SuppressWarnings("unchecked")
    public static List<RuleSettings.Definition> rules(Map<String, String> props, Map<String, String> defaults) {
        String names = props.getOrDefault(RuleSettings.RULES_CONFIG, "");
        List<String> list = (List<String>) ConfigDef.parseType(RuleSettings.RULES_CONFIG, names, Type.LIST);
        return RuleSettings.definitions(list, props, defaults);
    }

    /** The per-category template overrides, keyed {@code <CATEGORY>.<part>}. */
    public static Map<String, String> templateOverrides(Map<String, String> props) {
        Map<String, String> overrides = new LinkedHashMap<>();
        props.forEach((key, value) -> {
            if (key.startsWith(TEMPLATE_PREFIX)) {
                overrides.put(key.substring(TEMPLATE_PREFIX.length()), value);
            }
        });
        return overrides;
    }

    /** A secret, or null when unset or blank; never print {@code value()}. */
    public static Password secret(AbstractConfig config, String key) {
        Password secret = config.getPassword(key);
        return secret == null || secret.value().isBlank() ? null : secret;
    }

    /**
     * A secret still written as {@code ${provider:path}} when the task starts was not resolved by the worker (no such
     * config provider, or a variable it may not read): sending it would fail on every record, so the task refuses to
     * start, naming the key and never the value.
     */
    public static void refuseUnresolvedReference(String key, Password secret) {
        if (secret != null && secret.value().strip().startsWith("${")) {
            throw new ConnectException(key + " is a config provider reference the worker did not resolve: check the "
                    + "worker's config.providers and that the variable or file it names is set and allowed");
        }
    }

    /** Whether {@code text} is an absolute http(s) URL with a host. */
    public static boolean isHttpUrl(String text) {
        if (text == null || !(text.startsWith("https://") || text.startsWith("http://"))) {
            return false;
        }
        try {
            return java.net.URI.create(text).getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Validates an absolute http(s) URL with a host. */
    public static final class HttpUrl implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value != null && !isHttpUrl((String) value)) {
                throw new ConfigException(name, value, "Must be an http(s) URL with a host");
            }
        }

        @Override
        public String toString() {
            return "http(s) URL";
        }
    }
}
