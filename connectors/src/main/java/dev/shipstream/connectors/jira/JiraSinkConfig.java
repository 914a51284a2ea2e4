package dev.shipstream.connectors.jira;

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
 * The Jira sink's configuration: parsed once, checked when the connector is created (Connect's {@code validate})
 * and when a task starts, read through typed accessors. The credentials ({@code jira.api.token},
 * {@code jira.bearer.token}) are {@code PASSWORD}s: Connect shows them as {@code [hidden]} and this class never
 * prints them.
 *
 * <p>Besides the keys of {@link #configDef()}, each rule has {@code rule.<name>.when} (CEL),
 * {@code rule.<name>.action} ({@code release}, {@code create} or {@code comment}) and optionally
 * {@code rule.<name>.done.status}, {@code rule.<name>.issue.type}, {@code rule.<name>.labels},
 * {@code rule.<name>.summary} and {@code rule.<name>.comment} (Mustache), which override the connector-wide
 * defaults for that rule.
 */
public final class JiraSinkConfig extends DeliverySinkConfig {

    public static final String GROUP_JIRA = "Jira";

    public static final String URL_CONFIG = "jira.url";
    public static final String URL_DOC = "Base URL of the Jira Cloud site, e.g. https://your-domain.atlassian.net; "
            + "the REST API v3 is called under it.";

    public static final String EMAIL_CONFIG = "jira.email";
    public static final String EMAIL_DOC = "Account email for Basic authentication, with jira.api.token.";

    public static final String API_TOKEN_CONFIG = "jira.api.token";
    public static final String API_TOKEN_DOC = "API token of jira.email (Basic authentication). Set this with "
            + "jira.email, or jira.bearer.token. Prefer a config provider reference such as ${env:JIRA_API_TOKEN}.";

    public static final String BEARER_TOKEN_CONFIG = "jira.bearer.token";
    public static final String BEARER_TOKEN_DOC = "OAuth 2.0 access token sent as Authorization: Bearer, instead of "
            + "jira.email + jira.api.token.";

    public static final String PROJECT_CONFIG = "jira.project";
    public static final String PROJECT_DOC = "Key of the Jira project (e.g. MOB) whose issues and versions the rules "
            + "act on.";

    public static final String ISSUE_TYPE_CONFIG = "jira.issue.type";
    public static final String ISSUE_TYPE_DEFAULT = "Bug";
    public static final String ISSUE_TYPE_DOC = "Issue type name of created issues; rule.<name>.issue.type "
            + "overrides it per rule.";

    public static final String LABELS_CONFIG = "jira.labels";
    public static final String LABELS_DEFAULT = "shipstream";
    public static final String LABELS_DOC = "Labels of created issues (no spaces); rule.<name>.labels overrides them "
            + "per rule. The sink adds its own shipstream-<hash> labels, which make creation idempotent.";

    public static final String DONE_STATUS_CONFIG = "jira.done.status";
    public static final String DONE_STATUS_DOC = "The release action moves each issue by the transition of this name, "
            + "or to the status of this name. Empty: the first transition to a status of category done. "
            + "rule.<name>.done.status overrides it per rule.";

    public static final String PAGE_SIZE_CONFIG = "jira.search.page.size";
    public static final int PAGE_SIZE_DEFAULT = 100;
    public static final String PAGE_SIZE_DOC = "maxResults of each search page; further pages are read with "
            + "nextPageToken.";

    public static final String REQUEST_TIMEOUT_MS_CONFIG = "jira.request.timeout.ms";
    public static final int REQUEST_TIMEOUT_MS_DEFAULT = 10_000;
    public static final String REQUEST_TIMEOUT_MS_DOC = "Timeout of one call to Jira; a timeout is retried.";

    public static final long RATE_INTERVAL_MS_DEFAULT = 100;
    public static final String RATE_INTERVAL_MS_DOC = "At most one event's calls per this many ms to the project "
            + "(a release makes several); Jira's own 429 Retry-After also holds the project until it has passed.";

    /** Per-rule settings (rule.<name>.<setting>). */
    public static final String RULE_ACTION = "action";
    public static final String RULE_DONE_STATUS = "done.status";
    public static final String RULE_ISSUE_TYPE = "issue.type";
    public static final String RULE_LABELS = "labels";
    public static final String RULE_SUMMARY = "summary";
    public static final String RULE_COMMENT = "comment";

    private static final ConfigDef CONFIG_DEF = configDef();

    /**
     * Parses and checks {@code props}.
     *
     * @throws ConfigException naming the key and the problem, never the value of a secret
     */
    public JiraSinkConfig(Map<String, String> props) {
        this(props, true);
    }

    JiraSinkConfig(Map<String, String> props, boolean crossCheck) {
        super(CONFIG_DEF, props, crossCheck);
    }

    /** Every static key, grouped, with validators. */
    public static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        def.define(URL_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new SinkSettings.HttpUrl(), Importance.HIGH, URL_DOC,
                GROUP_JIRA, ++order, Width.LONG, "Jira site URL");
        def.define(EMAIL_CONFIG, Type.STRING, null, Importance.HIGH, EMAIL_DOC, GROUP_JIRA, ++order, Width.MEDIUM,
                "Account email");
        def.define(API_TOKEN_CONFIG, Type.PASSWORD, null, Importance.HIGH, API_TOKEN_DOC, GROUP_JIRA, ++order,
                Width.LONG, "API token");
        def.define(BEARER_TOKEN_CONFIG, Type.PASSWORD, null, Importance.HIGH, BEARER_TOKEN_DOC, GROUP_JIRA, ++order,
                Width.LONG, "Bearer token");
        def.define(PROJECT_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                Importance.HIGH, PROJECT_DOC, GROUP_JIRA, ++order, Width.SHORT, "Project key");
        def.define(ISSUE_TYPE_CONFIG, Type.STRING, ISSUE_TYPE_DEFAULT, new ConfigDef.NonEmptyString(),
                Importance.MEDIUM, ISSUE_TYPE_DOC, GROUP_JIRA, ++order, Width.SHORT, "Issue type");
        def.define(LABELS_CONFIG, Type.LIST, LABELS_DEFAULT, Importance.LOW, LABELS_DOC, GROUP_JIRA, ++order,
                Width.MEDIUM, "Labels");
        def.define(DONE_STATUS_CONFIG, Type.STRING, "", Importance.MEDIUM, DONE_STATUS_DOC, GROUP_JIRA, ++order,
                Width.SHORT, "Done status");
        def.define(PAGE_SIZE_CONFIG, Type.INT, PAGE_SIZE_DEFAULT, ConfigDef.Range.between(1, 5_000), Importance.LOW,
                PAGE_SIZE_DOC, GROUP_JIRA, ++order, Width.SHORT, "Search page size");
        def.define(REQUEST_TIMEOUT_MS_CONFIG, Type.INT, REQUEST_TIMEOUT_MS_DEFAULT, ConfigDef.Range.between(100, 120_000),
                Importance.LOW, REQUEST_TIMEOUT_MS_DOC, GROUP_JIRA, ++order, Width.SHORT, "Request timeout");
        return SinkSettings.define(def, RATE_INTERVAL_MS_DEFAULT, RATE_INTERVAL_MS_DOC);
    }

    /** Use case 3 and issues for use cases 4 and 5, used when {@code rules} is empty. */
    public static Map<String, String> defaultRules() {
        Map<String, String> rules = new LinkedHashMap<>();
        rules.put("release", "category == 'APP_VERSION_STATE' && newState == 'READY_FOR_DISTRIBUTION'");
        rules.put("rejected", "category == 'APP_VERSION_STATE' && newState in ['REJECTED', 'METADATA_REJECTED', "
                + "'INVALID_BINARY']");
        rules.put("failed", "(category == 'BUILD_UPLOAD_STATE' && newState == 'FAILED')"
                + " || (category == 'TESTFLIGHT_BUILD_STATE' && newState in ['BETA_REJECTED', 'PROCESSING_EXCEPTION'])"
                + " || (category == 'EAS_BUILD' && newState == 'errored')"
                + " || (category == 'APPFLOW_BUILD' && newState in ['failed', 'error'])");
        rules.put("crash", "category == 'TESTFLIGHT_FEEDBACK' && eventType == 'betaFeedbackCrashSubmissionCreated'");
        return rules;
    }

    /** The action of each default rule, also when a rule of that name sets no {@code action}. */
    static final Map<String, JiraAction> DEFAULT_ACTIONS = Map.of(
            "release", JiraAction.RELEASE, "rejected", JiraAction.CREATE, "failed", JiraAction.CREATE,
            "crash", JiraAction.CREATE);

    /** Checks across keys, by the key to report them on; empty when the configuration is consistent. */
    @Override
    protected Map<String, String> crossChecks() {
        Map<String, String> errors = new LinkedHashMap<>();
        boolean basic = email() != null || apiToken() != null;
        if (basic == (bearerToken() != null)) {
            errors.put(API_TOKEN_CONFIG, "Set either " + EMAIL_CONFIG + " and " + API_TOKEN_CONFIG + " (Basic) or "
                    + BEARER_TOKEN_CONFIG + ", not both and not neither");
        } else if (basic && (email() == null || apiToken() == null)) {
            errors.put(email() == null ? EMAIL_CONFIG : API_TOKEN_CONFIG, "Basic authentication needs both "
                    + EMAIL_CONFIG + " and " + API_TOKEN_CONFIG);
        }
        for (RuleSettings.Definition rule : rules()) {
            if (actionOf(rule) == null) {
                errors.put(RuleSettings.settingKey(rule.name(), RULE_ACTION), "Rule '" + rule.name()
                        + "' needs an action: release, create or comment");
            }
        }
        return errors;
    }

    public URI url() {
        String url = getString(URL_CONFIG);
        return URI.create(url.endsWith("/") ? url : url + "/");
    }

    public String email() {
        String email = getString(EMAIL_CONFIG);
        return email == null || email.isBlank() ? null : email.strip();
    }

    /** The API token, or null; never print {@code value()}. */
    public Password apiToken() {
        return secret(API_TOKEN_CONFIG);
    }

    /** The bearer token, or null; never print {@code value()}. */
    public Password bearerToken() {
        return secret(BEARER_TOKEN_CONFIG);
    }

    public String project() {
        return getString(PROJECT_CONFIG).strip();
    }

    public int pageSize() {
        return getInt(PAGE_SIZE_CONFIG);
    }

    public Duration requestTimeout() {
        return Duration.ofMillis(getInt(REQUEST_TIMEOUT_MS_CONFIG));
    }

    /** The rule's action: its own, else its default by name; null when neither. */
    public JiraAction actionOf(RuleSettings.Definition rule) {
        String own = rule.settings().get(RULE_ACTION);
        return own != null ? JiraAction.parse(own) : DEFAULT_ACTIONS.get(rule.name());
    }

    /** The rule's done status (transition or status name), or null for "the done category". */
    public String doneStatusOf(RuleSettings.Definition rule) {
        String status = rule.settings().getOrDefault(RULE_DONE_STATUS, getString(DONE_STATUS_CONFIG));
        return status == null || status.isBlank() ? null : status.strip();
    }

    public String issueTypeOf(RuleSettings.Definition rule) {
        String type = rule.settings().get(RULE_ISSUE_TYPE);
        return type == null || type.isBlank() ? getString(ISSUE_TYPE_CONFIG) : type.strip();
    }

    @SuppressWarnings("unchecked")
    public List<String> labelsOf(RuleSettings.Definition rule) {
        String own = rule.settings().get(RULE_LABELS);
        List<String> labels = own == null ? getList(LABELS_CONFIG)
                : (List<String>) ConfigDef.parseType(RuleSettings.settingKey(rule.name(), RULE_LABELS), own, Type.LIST);
        return labels.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    @Override
    protected Map<String, String> ruleDefaults() {
        return defaultRules();
    }

    /** The rules of raw properties, for validation before (or without) a full parse. */
    static List<RuleSettings.Definition> rules(Map<String, String> props) {
        return SinkSettings.rules(props, defaultRules());
    }

    private Password secret(String key) {
        return SinkSettings.secret(this, key);
    }
}
