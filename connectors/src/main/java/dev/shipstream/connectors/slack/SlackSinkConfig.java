package dev.shipstream.connectors.slack;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.shipstream.connect.common.DeliverySinkConfig;
import dev.shipstream.connect.common.RuleSettings;
import dev.shipstream.connect.common.SinkSettings;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The Slack sink's configuration: parsed once, checked when the connector is created (Connect's {@code validate})
 * and again when a task starts, and read through typed accessors. Secrets ({@code slack.token},
 * {@code slack.webhook.url}) are {@code PASSWORD}s: Connect shows them as {@code [hidden]} and this class never
 * prints them.
 *
 * <p>Besides the keys of {@link #configDef()}, rules add {@code rule.<name>.when} (CEL), {@code rule.<name>.channel},
 * {@code rule.<name>.title} and {@code rule.<name>.body} (Mustache); {@code template.<CATEGORY>.title} and
 * {@code template.<CATEGORY>.body} override the shipped templates of a category.
 */
public final class SlackSinkConfig extends DeliverySinkConfig {

    public static final String GROUP_SLACK = "Slack";

    public static final String API_URL_CONFIG = "slack.api.url";
    public static final String API_URL_DEFAULT = "https://slack.com/api";
    public static final String API_URL_DOC = "Base URL of Slack's Web API; chat.postMessage is called under it.";

    public static final String TOKEN_CONFIG = "slack.token";
    public static final String TOKEN_DOC = "Bot token (xoxb-...) with the chat:write scope, for chat.postMessage. "
            + "Set this or slack.webhook.url. Prefer a config provider reference such as ${env:SLACK_TOKEN}: Connect's "
            + "REST API shows the stored value.";

    public static final String CHANNEL_CONFIG = "slack.channel";
    public static final String CHANNEL_DOC = "Default channel id (C...) for chat.postMessage; rule.<name>.channel "
            + "overrides it per rule.";

    public static final String WEBHOOK_URL_CONFIG = "slack.webhook.url";
    public static final String WEBHOOK_URL_DOC = "An Incoming Webhook URL, instead of a token: posts to the webhook's "
            + "own channel, without threads. Secret (the URL is the credential).";

    public static final String THREADS_CONFIG = "slack.threads";
    public static final boolean THREADS_DEFAULT = true;
    public static final String THREADS_DOC = "Keep one thread per app and version (or build, when the version is "
            + "unknown) in each channel: the first event starts it, later events reply in it.";

    public static final String REQUEST_TIMEOUT_MS_CONFIG = "slack.request.timeout.ms";
    public static final int REQUEST_TIMEOUT_MS_DEFAULT = 10_000;
    public static final String REQUEST_TIMEOUT_MS_DOC = "Timeout of one call to Slack; a timeout is retried.";

    public static final long RATE_INTERVAL_MS_DEFAULT = 1_000;
    public static final String RATE_INTERVAL_MS_DOC = "At most one message per this many ms to each channel (Slack "
            + "allows about one per second per channel).";

    /** Per-rule settings (rule.<name>.<setting>). */
    public static final String RULE_CHANNEL = "channel";
    public static final String RULE_TITLE = "title";
    public static final String RULE_BODY = "body";

    private static final ConfigDef CONFIG_DEF = configDef();

    /**
     * Parses and checks {@code props}.
     *
     * @throws ConfigException naming the key and the problem, without the value of a secret
     */
    public SlackSinkConfig(Map<String, String> props) {
        this(props, true);
    }

    SlackSinkConfig(Map<String, String> props, boolean crossCheck) {
        super(CONFIG_DEF, props, crossCheck);
    }

    /** Every static key, grouped, with validators. */
    public static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        def.define(API_URL_CONFIG, Type.STRING, API_URL_DEFAULT, new SinkSettings.HttpUrl(), Importance.MEDIUM, API_URL_DOC,
                GROUP_SLACK, ++order, Width.LONG, "Slack API URL");
        def.define(TOKEN_CONFIG, Type.PASSWORD, null, Importance.HIGH, TOKEN_DOC,
                GROUP_SLACK, ++order, Width.LONG, "Bot token");
        def.define(CHANNEL_CONFIG, Type.STRING, null, Importance.HIGH, CHANNEL_DOC,
                GROUP_SLACK, ++order, Width.MEDIUM, "Default channel");
        def.define(WEBHOOK_URL_CONFIG, Type.PASSWORD, null, Importance.HIGH, WEBHOOK_URL_DOC,
                GROUP_SLACK, ++order, Width.LONG, "Incoming webhook URL");
        def.define(THREADS_CONFIG, Type.BOOLEAN, THREADS_DEFAULT, Importance.MEDIUM, THREADS_DOC,
                GROUP_SLACK, ++order, Width.SHORT, "Threads");
        def.define(REQUEST_TIMEOUT_MS_CONFIG, Type.INT, REQUEST_TIMEOUT_MS_DEFAULT, ConfigDef.Range.between(100, 120_000),
                Importance.LOW, REQUEST_TIMEOUT_MS_DOC, GROUP_SLACK, ++order, Width.SHORT, "Request timeout");
        return SinkSettings.define(def, RATE_INTERVAL_MS_DEFAULT, RATE_INTERVAL_MS_DOC);
    }

    /** The rules of use cases 4 and 5, used when {@code rules} is empty. */
    public static Map<String, String> defaultRules() {
        Map<String, String> rules = new LinkedHashMap<>();
        rules.put("failed", "(category == 'BUILD_UPLOAD_STATE' && newState == 'FAILED')"
                + " || (category == 'APP_VERSION_STATE' && newState in ['REJECTED', 'METADATA_REJECTED', "
                + "'INVALID_BINARY', 'DEVELOPER_REJECTED'])"
                + " || (category == 'TESTFLIGHT_BUILD_STATE' && newState in ['BETA_REJECTED', 'PROCESSING_EXCEPTION'])"
                + " || (category == 'EAS_BUILD' && newState == 'errored')"
                + " || (category == 'APPFLOW_BUILD' && newState in ['failed', 'error'])");
        rules.put("feedback", "category == 'TESTFLIGHT_FEEDBACK'");
        return rules;
    }

    /**
     * Checks across keys, by the key to report them on: one of token and webhook; with a token, a channel for every
     * rule. Empty when the configuration is consistent.
     */
    @Override
    protected Map<String, String> crossChecks() {
        Map<String, String> errors = new LinkedHashMap<>();
        boolean hasToken = token() != null;
        boolean hasWebhook = webhookUrl() != null;
        if (hasToken == hasWebhook) {
            errors.put(TOKEN_CONFIG, "Set exactly one of " + TOKEN_CONFIG + " (chat.postMessage) and "
                    + WEBHOOK_URL_CONFIG + " (Incoming Webhook)");
        }
        if (hasWebhook && !SinkSettings.isHttpUrl(webhookUrl().value())) {
            // Never echo the value: the URL is the credential.
            errors.put(WEBHOOK_URL_CONFIG, "Must be an http(s) URL");
        }
        if (hasToken && !hasWebhook) {
            for (RuleSettings.Definition rule : rules()) {
                if (channelOf(rule) == null) {
                    errors.put(CHANNEL_CONFIG, "Rule '" + rule.name() + "' has no channel: set " + CHANNEL_CONFIG
                            + " or " + RuleSettings.settingKey(rule.name(), RULE_CHANNEL));
                }
            }
        }
        return errors;
    }

    public URI apiUrl() {
        String url = getString(API_URL_CONFIG);
        return URI.create(url.endsWith("/") ? url : url + "/");
    }

    /** The bot token, or null; never print {@code value()}. */
    public Password token() {
        return SinkSettings.secret(this, TOKEN_CONFIG);
    }

    /** The webhook URL, or null; never print {@code value()}. */
    public Password webhookUrl() {
        return SinkSettings.secret(this, WEBHOOK_URL_CONFIG);
    }

    public boolean usesWebhook() {
        return webhookUrl() != null;
    }

    public String defaultChannel() {
        String channel = getString(CHANNEL_CONFIG);
        return channel == null || channel.isBlank() ? null : channel;
    }

    public boolean threads() {
        return getBoolean(THREADS_CONFIG) && !usesWebhook();
    }

    public Duration requestTimeout() {
        return Duration.ofMillis(getInt(REQUEST_TIMEOUT_MS_CONFIG));
    }

    @Override
    protected Map<String, String> ruleDefaults() {
        return defaultRules();
    }

    /** The rules of raw properties, for validation before (or without) a full parse. */
    static List<RuleSettings.Definition> rules(Map<String, String> props) {
        return SinkSettings.rules(props, defaultRules());
    }

    /** The channel a rule posts to: its own, else the default; null with a webhook (the webhook's channel). */
    public String channelOf(RuleSettings.Definition rule) {
        String channel = rule.settings().get(RULE_CHANNEL);
        return channel != null && !channel.isBlank() ? channel : defaultChannel();
    }
}
