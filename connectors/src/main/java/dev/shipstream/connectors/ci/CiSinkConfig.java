package dev.shipstream.connectors.ci;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

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
 * The CI sink's configuration: one provider ({@code ci.provider}) and its keys, the shared rule, delivery and state
 * keys, and per rule what it starts. Parsed once, checked when the connector is created (Connect's {@code validate})
 * and again when a task starts; secrets ({@code github.token}, {@code github.app.private.key},
 * {@code gitlab.trigger.token}, {@code bitbucket.token}, {@code webhook.secret}) are {@code PASSWORD}s that this class
 * never prints.
 *
 * <p>Per rule: {@code rule.<name>.event.type} (repository_dispatch event type, Standard Webhooks {@code type} and
 * {@code SHIPSTREAM_EVENT_TYPE}), {@code rule.<name>.workflow} (GitHub workflow_dispatch instead),
 * {@code rule.<name>.ref}, {@code rule.<name>.inputs} (workflow inputs), {@code rule.<name>.pipeline} (Bitbucket custom
 * pipeline) and {@code rule.<name>.payload.<key>} (a literal value added to what the job receives).
 */
public final class CiSinkConfig extends DeliverySinkConfig {

    public static final String GROUP_CI = "CI";
    public static final String GROUP_GITHUB = "GitHub";
    public static final String GROUP_GITLAB = "GitLab";
    public static final String GROUP_BITBUCKET = "Bitbucket";
    public static final String GROUP_WEBHOOK = "Webhook";

    public static final String PROVIDER_GITHUB = "github";
    public static final String PROVIDER_GITLAB = "gitlab";
    public static final String PROVIDER_BITBUCKET = "bitbucket";
    public static final String PROVIDER_WEBHOOK = "webhook";

    public static final String PROVIDER_CONFIG = "ci.provider";
    public static final String PROVIDER_DOC = "Where jobs are started: github (Actions repository_dispatch or "
            + "workflow_dispatch), gitlab (pipeline trigger), bitbucket (Pipelines run) or webhook (a POST signed the "
            + "Standard Webhooks way, for any other CI).";

    public static final String REQUEST_TIMEOUT_MS_CONFIG = "ci.request.timeout.ms";
    public static final int REQUEST_TIMEOUT_MS_DEFAULT = 10_000;
    public static final String REQUEST_TIMEOUT_MS_DOC = "Timeout of one call to the CI; a timeout is retried.";

    public static final String GITHUB_API_URL_CONFIG = "github.api.url";
    public static final String GITHUB_API_URL_DEFAULT = "https://api.github.com";
    public static final String GITHUB_API_URL_DOC = "Base URL of GitHub's REST API (GitHub Enterprise Server: "
            + "https://<host>/api/v3).";

    public static final String GITHUB_REPOSITORY_CONFIG = "github.repository";
    public static final String GITHUB_REPOSITORY_DOC = "The repository whose workflows run, as owner/name.";

    public static final String GITHUB_TOKEN_CONFIG = "github.token";
    public static final String GITHUB_TOKEN_DOC = "A token allowed to dispatch (fine-grained: Contents read/write for "
            + "repository_dispatch, Actions read/write for workflow_dispatch). Set this or the github.app.* keys. "
            + "Prefer a config provider reference such as ${env:GITHUB_TOKEN}.";

    public static final String GITHUB_APP_ID_CONFIG = "github.app.id";
    public static final String GITHUB_APP_ID_DOC = "A GitHub App's id (the JWT's iss), instead of github.token.";

    public static final String GITHUB_APP_KEY_CONFIG = "github.app.private.key";
    public static final String GITHUB_APP_KEY_DOC = "The GitHub App's private key, PEM (BEGIN RSA PRIVATE KEY as "
            + "GitHub hands it out, or PKCS#8); \\n escapes count as line breaks. Prefer ${file:...}.";

    public static final String GITHUB_APP_INSTALLATION_CONFIG = "github.app.installation.id";
    public static final String GITHUB_APP_INSTALLATION_DOC = "The App's installation id on the repository's owner; "
            + "its installation token is fetched with the App's JWT and kept until a minute before it expires.";

    public static final String GITHUB_REF_CONFIG = "github.ref";
    public static final String GITHUB_REF_DEFAULT = "main";
    public static final String GITHUB_REF_DOC = "Branch or tag a workflow_dispatch runs on; rule.<name>.ref overrides "
            + "it.";

    public static final String GITLAB_URL_CONFIG = "gitlab.url";
    public static final String GITLAB_URL_DEFAULT = "https://gitlab.com";
    public static final String GITLAB_URL_DOC = "Base URL of the GitLab instance; /api/v4 is called under it.";

    public static final String GITLAB_PROJECT_CONFIG = "gitlab.project";
    public static final String GITLAB_PROJECT_DOC = "The project: numeric id or full path (group/project), sent "
            + "URL-encoded.";

    public static final String GITLAB_TOKEN_CONFIG = "gitlab.trigger.token";
    public static final String GITLAB_TOKEN_DOC = "The project's pipeline trigger token (glptt-...).";

    public static final String GITLAB_REF_CONFIG = "gitlab.ref";
    public static final String GITLAB_REF_DEFAULT = "main";
    public static final String GITLAB_REF_DOC = "Branch or tag the pipeline runs on; rule.<name>.ref overrides it.";

    public static final String BITBUCKET_API_URL_CONFIG = "bitbucket.api.url";
    public static final String BITBUCKET_API_URL_DEFAULT = "https://api.bitbucket.org";
    public static final String BITBUCKET_API_URL_DOC = "Base URL of Bitbucket Cloud's API; /2.0 is called under it.";

    public static final String BITBUCKET_WORKSPACE_CONFIG = "bitbucket.workspace";
    public static final String BITBUCKET_WORKSPACE_DOC = "The workspace (id or slug).";

    public static final String BITBUCKET_REPOSITORY_CONFIG = "bitbucket.repository";
    public static final String BITBUCKET_REPOSITORY_DOC = "The repository slug.";

    public static final String BITBUCKET_TOKEN_CONFIG = "bitbucket.token";
    public static final String BITBUCKET_TOKEN_DOC = "A repository, project or workspace access token (or OAuth "
            + "token) with pipeline write access, sent as Bearer.";

    public static final String BITBUCKET_REF_CONFIG = "bitbucket.ref";
    public static final String BITBUCKET_REF_DEFAULT = "main";
    public static final String BITBUCKET_REF_DOC = "Branch or tag the pipeline runs on; rule.<name>.ref overrides it.";

    public static final String BITBUCKET_REF_TYPE_CONFIG = "bitbucket.ref.type";
    public static final String BITBUCKET_REF_TYPE_DEFAULT = "branch";
    public static final String BITBUCKET_REF_TYPE_DOC = "Whether the ref is a branch or a tag.";

    public static final String BITBUCKET_PIPELINE_CONFIG = "bitbucket.pipeline";
    public static final String BITBUCKET_PIPELINE_DOC = "A custom pipeline (pipelines.custom in "
            + "bitbucket-pipelines.yml) to run; empty runs the ref's default pipeline. rule.<name>.pipeline overrides "
            + "it.";

    public static final String WEBHOOK_URL_CONFIG = "webhook.url";
    public static final String WEBHOOK_URL_DOC = "The URL that receives the signed POST.";

    public static final String WEBHOOK_SECRET_CONFIG = "webhook.secret";
    public static final String WEBHOOK_SECRET_DOC = "The Standard Webhooks signing secret: whsec_ followed by the "
            + "base64 of 24 to 64 random bytes.";

    public static final long RATE_INTERVAL_MS_DEFAULT = 1_000;
    public static final String RATE_INTERVAL_MS_DOC = "At most one trigger per this many ms to the repository, "
            + "project or URL (GitHub's secondary limits throttle bursts of content-creating requests).";

    /** Per-rule settings (rule.<name>.<setting>). */
    public static final String RULE_EVENT_TYPE = "event.type";
    public static final String RULE_WORKFLOW = "workflow";
    public static final String RULE_REF = "ref";
    public static final String RULE_INPUTS = "inputs";
    public static final String RULE_PIPELINE = "pipeline";
    public static final String RULE_PAYLOAD_PREFIX = "payload.";

    /** The workflow inputs sent when a rule names none. */
    public static final List<String> DEFAULT_INPUTS = List.of("event_id", "app_id", "version", "build", "new_state",
            "details_url");

    private static final Pattern GITHUB_REPOSITORY = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]*)/[A-Za-z0-9._-]+");
    private static final Pattern EXTRA_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final ConfigDef CONFIG_DEF = configDef();

    /**
     * Parses and checks {@code props}.
     *
     * @throws ConfigException naming the key and the problem, without the value of a secret
     */
    public CiSinkConfig(Map<String, String> props) {
        this(props, true);
    }

    CiSinkConfig(Map<String, String> props, boolean crossCheck) {
        super(CONFIG_DEF, props, crossCheck);
    }

    /** Every static key, grouped, with validators. */
    public static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        int order = 0;
        def.define(PROVIDER_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
                ConfigDef.ValidString.in(PROVIDER_GITHUB, PROVIDER_GITLAB, PROVIDER_BITBUCKET, PROVIDER_WEBHOOK),
                Importance.HIGH, PROVIDER_DOC, GROUP_CI, ++order, Width.SHORT, "CI provider");
        def.define(REQUEST_TIMEOUT_MS_CONFIG, Type.INT, REQUEST_TIMEOUT_MS_DEFAULT, ConfigDef.Range.between(100, 120_000),
                Importance.LOW, REQUEST_TIMEOUT_MS_DOC, GROUP_CI, ++order, Width.SHORT, "Request timeout");
        order = 0;
        def.define(GITHUB_API_URL_CONFIG, Type.STRING, GITHUB_API_URL_DEFAULT, new SinkSettings.HttpUrl(),
                Importance.MEDIUM, GITHUB_API_URL_DOC, GROUP_GITHUB, ++order, Width.LONG, "GitHub API URL");
        def.define(GITHUB_REPOSITORY_CONFIG, Type.STRING, null, Importance.HIGH, GITHUB_REPOSITORY_DOC,
                GROUP_GITHUB, ++order, Width.MEDIUM, "Repository");
        def.define(GITHUB_TOKEN_CONFIG, Type.PASSWORD, null, Importance.HIGH, GITHUB_TOKEN_DOC,
                GROUP_GITHUB, ++order, Width.LONG, "Token");
        def.define(GITHUB_APP_ID_CONFIG, Type.STRING, null, Importance.MEDIUM, GITHUB_APP_ID_DOC,
                GROUP_GITHUB, ++order, Width.SHORT, "App id");
        def.define(GITHUB_APP_KEY_CONFIG, Type.PASSWORD, null, Importance.MEDIUM, GITHUB_APP_KEY_DOC,
                GROUP_GITHUB, ++order, Width.LONG, "App private key");
        def.define(GITHUB_APP_INSTALLATION_CONFIG, Type.STRING, null, Importance.MEDIUM, GITHUB_APP_INSTALLATION_DOC,
                GROUP_GITHUB, ++order, Width.SHORT, "App installation id");
        def.define(GITHUB_REF_CONFIG, Type.STRING, GITHUB_REF_DEFAULT, new ConfigDef.NonEmptyString(),
                Importance.MEDIUM, GITHUB_REF_DOC, GROUP_GITHUB, ++order, Width.SHORT, "Workflow ref");
        order = 0;
        def.define(GITLAB_URL_CONFIG, Type.STRING, GITLAB_URL_DEFAULT, new SinkSettings.HttpUrl(), Importance.MEDIUM,
                GITLAB_URL_DOC, GROUP_GITLAB, ++order, Width.LONG, "GitLab URL");
        def.define(GITLAB_PROJECT_CONFIG, Type.STRING, null, Importance.HIGH, GITLAB_PROJECT_DOC,
                GROUP_GITLAB, ++order, Width.MEDIUM, "Project");
        def.define(GITLAB_TOKEN_CONFIG, Type.PASSWORD, null, Importance.HIGH, GITLAB_TOKEN_DOC,
                GROUP_GITLAB, ++order, Width.LONG, "Trigger token");
        def.define(GITLAB_REF_CONFIG, Type.STRING, GITLAB_REF_DEFAULT, new ConfigDef.NonEmptyString(),
                Importance.MEDIUM, GITLAB_REF_DOC, GROUP_GITLAB, ++order, Width.SHORT, "Ref");
        order = 0;
        def.define(BITBUCKET_API_URL_CONFIG, Type.STRING, BITBUCKET_API_URL_DEFAULT, new SinkSettings.HttpUrl(),
                Importance.MEDIUM, BITBUCKET_API_URL_DOC, GROUP_BITBUCKET, ++order, Width.LONG, "Bitbucket API URL");
        def.define(BITBUCKET_WORKSPACE_CONFIG, Type.STRING, null, Importance.HIGH, BITBUCKET_WORKSPACE_DOC,
                GROUP_BITBUCKET, ++order, Width.MEDIUM, "Workspace");
        def.define(BITBUCKET_REPOSITORY_CONFIG, Type.STRING, null, Importance.HIGH, BITBUCKET_REPOSITORY_DOC,
                GROUP_BITBUCKET, ++order, Width.MEDIUM, "Repository");
        def.define(BITBUCKET_TOKEN_CONFIG, Type.PASSWORD, null, Importance.HIGH, BITBUCKET_TOKEN_DOC,
                GROUP_BITBUCKET, ++order, Width.LONG, "Access token");
        def.define(BITBUCKET_REF_CONFIG, Type.STRING, BITBUCKET_REF_DEFAULT, new ConfigDef.NonEmptyString(),
                Importance.MEDIUM, BITBUCKET_REF_DOC, GROUP_BITBUCKET, ++order, Width.SHORT, "Ref");
        def.define(BITBUCKET_REF_TYPE_CONFIG, Type.STRING, BITBUCKET_REF_TYPE_DEFAULT,
                ConfigDef.ValidString.in("branch", "tag"), Importance.LOW, BITBUCKET_REF_TYPE_DOC,
                GROUP_BITBUCKET, ++order, Width.SHORT, "Ref type");
        def.define(BITBUCKET_PIPELINE_CONFIG, Type.STRING, "", Importance.MEDIUM, BITBUCKET_PIPELINE_DOC,
                GROUP_BITBUCKET, ++order, Width.MEDIUM, "Custom pipeline");
        order = 0;
        def.define(WEBHOOK_URL_CONFIG, Type.STRING, null, new SinkSettings.HttpUrl(), Importance.HIGH,
                WEBHOOK_URL_DOC, GROUP_WEBHOOK, ++order, Width.LONG, "Webhook URL");
        def.define(WEBHOOK_SECRET_CONFIG, Type.PASSWORD, null, Importance.HIGH, WEBHOOK_SECRET_DOC,
                GROUP_WEBHOOK, ++order, Width.LONG, "Signing secret");
        return SinkSettings.define(def, RATE_INTERVAL_MS_DEFAULT, RATE_INTERVAL_MS_DOC);
    }

    /** Use case 1 (a build finished processing) and 2 (the version is ready for distribution), when no rules are set. */
    public static Map<String, String> defaultRules() {
        Map<String, String> rules = new LinkedHashMap<>();
        rules.put("build-processed", "category == 'BUILD_UPLOAD_STATE' && newState == 'COMPLETE'");
        rules.put("version-ready", "category == 'APP_VERSION_STATE' && newState == 'READY_FOR_DISTRIBUTION'");
        return rules;
    }

    /** The event type of the default rules; any other rule's defaults to {@code shipstream.<rule>}. */
    static final Map<String, String> DEFAULT_EVENT_TYPES = Map.of(
            "build-processed", "shipstream.build.processed",
            "version-ready", "shipstream.version.ready");

    @Override
    protected Map<String, String> ruleDefaults() {
        return defaultRules();
    }

    static List<RuleSettings.Definition> rules(Map<String, String> props) {
        return SinkSettings.rules(props, defaultRules());
    }

    public String provider() {
        return getString(PROVIDER_CONFIG);
    }

    public Duration requestTimeout() {
        return Duration.ofMillis(getInt(REQUEST_TIMEOUT_MS_CONFIG));
    }

    public URI githubApiUrl() {
        return baseUri(getString(GITHUB_API_URL_CONFIG));
    }

    public String githubRepository() {
        return text(GITHUB_REPOSITORY_CONFIG);
    }

    public Password githubToken() {
        return SinkSettings.secret(this, GITHUB_TOKEN_CONFIG);
    }

    public String githubAppId() {
        return text(GITHUB_APP_ID_CONFIG);
    }

    public Password githubAppPrivateKey() {
        return SinkSettings.secret(this, GITHUB_APP_KEY_CONFIG);
    }

    public String githubAppInstallationId() {
        return text(GITHUB_APP_INSTALLATION_CONFIG);
    }

    public boolean usesGithubApp() {
        return githubAppId() != null || githubAppPrivateKey() != null || githubAppInstallationId() != null;
    }

    public URI gitlabUrl() {
        return baseUri(getString(GITLAB_URL_CONFIG));
    }

    public String gitlabProject() {
        return text(GITLAB_PROJECT_CONFIG);
    }

    public Password gitlabTriggerToken() {
        return SinkSettings.secret(this, GITLAB_TOKEN_CONFIG);
    }

    public URI bitbucketApiUrl() {
        return baseUri(getString(BITBUCKET_API_URL_CONFIG));
    }

    public String bitbucketWorkspace() {
        return text(BITBUCKET_WORKSPACE_CONFIG);
    }

    public String bitbucketRepository() {
        return text(BITBUCKET_REPOSITORY_CONFIG);
    }

    public Password bitbucketToken() {
        return SinkSettings.secret(this, BITBUCKET_TOKEN_CONFIG);
    }

    public String bitbucketRefType() {
        return getString(BITBUCKET_REF_TYPE_CONFIG);
    }

    public URI webhookUrl() {
        String url = text(WEBHOOK_URL_CONFIG);
        return url == null ? null : URI.create(url);
    }

    public Password webhookSecret() {
        return SinkSettings.secret(this, WEBHOOK_SECRET_CONFIG);
    }

    /** Every secret of the chosen provider, by key, for the task's check that the worker resolved them. */
    public Map<String, Password> secrets() {
        Map<String, Password> secrets = new LinkedHashMap<>();
        switch (provider()) {
            case PROVIDER_GITHUB -> {
                secrets.put(GITHUB_TOKEN_CONFIG, githubToken());
                secrets.put(GITHUB_APP_KEY_CONFIG, githubAppPrivateKey());
            }
            case PROVIDER_GITLAB -> secrets.put(GITLAB_TOKEN_CONFIG, gitlabTriggerToken());
            case PROVIDER_BITBUCKET -> secrets.put(BITBUCKET_TOKEN_CONFIG, bitbucketToken());
            default -> secrets.put(WEBHOOK_SECRET_CONFIG, webhookSecret());
        }
        return secrets;
    }

    /** What each rule starts, by rule name, in rule order. */
    public Map<String, CiTrigger> triggers() {
        Map<String, CiTrigger> triggers = new LinkedHashMap<>();
        for (RuleSettings.Definition rule : rules()) {
            triggers.put(rule.name(), trigger(rule));
        }
        return triggers;
    }

    private CiTrigger trigger(RuleSettings.Definition rule) {
        Map<String, String> settings = rule.settings();
        String eventType = blankToNull(settings.get(RULE_EVENT_TYPE));
        if (eventType == null) {
            eventType = DEFAULT_EVENT_TYPES.getOrDefault(rule.name(), "shipstream." + rule.name());
        }
        String providerRef = switch (provider()) {
            case PROVIDER_GITLAB -> getString(GITLAB_REF_CONFIG);
            case PROVIDER_BITBUCKET -> getString(BITBUCKET_REF_CONFIG);
            default -> getString(GITHUB_REF_CONFIG);
        };
        String ref = blankToNull(settings.get(RULE_REF));
        String pipeline = blankToNull(settings.getOrDefault(RULE_PIPELINE, getString(BITBUCKET_PIPELINE_CONFIG)));
        String inputs = blankToNull(settings.get(RULE_INPUTS));
        List<String> inputList = inputs == null ? DEFAULT_INPUTS
                : List.of(inputs.split("\\s*,\\s*"));
        Map<String, String> extras = new LinkedHashMap<>();
        settings.forEach((key, value) -> {
            if (key.startsWith(RULE_PAYLOAD_PREFIX)) {
                extras.put(key.substring(RULE_PAYLOAD_PREFIX.length()), value);
            }
        });
        return new CiTrigger(rule.name(), eventType, blankToNull(settings.get(RULE_WORKFLOW)),
                ref != null ? ref : providerRef, pipeline, inputList, extras);
    }

    /**
     * Checks across keys, by the key to report them on: the chosen provider's required keys, its credentials, and
     * each rule's settings against the provider's limits. Empty when the configuration is consistent. Never echoes
     * a secret.
     */
    @Override
    protected Map<String, String> crossChecks() {
        Map<String, String> errors = new LinkedHashMap<>();
        switch (provider()) {
            case PROVIDER_GITHUB -> githubChecks(errors);
            case PROVIDER_GITLAB -> {
                require(errors, GITLAB_PROJECT_CONFIG, gitlabProject());
                require(errors, GITLAB_TOKEN_CONFIG, gitlabTriggerToken());
            }
            case PROVIDER_BITBUCKET -> {
                require(errors, BITBUCKET_WORKSPACE_CONFIG, bitbucketWorkspace());
                require(errors, BITBUCKET_REPOSITORY_CONFIG, bitbucketRepository());
                require(errors, BITBUCKET_TOKEN_CONFIG, bitbucketToken());
            }
            default -> {
                require(errors, WEBHOOK_URL_CONFIG, webhookUrl());
                require(errors, WEBHOOK_SECRET_CONFIG, webhookSecret());
                if (webhookSecret() != null && !webhookSecret().value().strip().startsWith("${")) {
                    String problem = StandardWebhookSigner.problem(webhookSecret().value());
                    if (problem != null) {
                        errors.put(WEBHOOK_SECRET_CONFIG, "Not a Standard Webhooks secret: " + problem);
                    }
                }
            }
        }
        for (Map.Entry<String, CiTrigger> entry : triggers().entrySet()) {
            ruleChecks(errors, entry.getValue());
        }
        return errors;
    }

    private void githubChecks(Map<String, String> errors) {
        String repository = githubRepository();
        if (repository == null) {
            errors.put(GITHUB_REPOSITORY_CONFIG, "Required for ci.provider=github");
        } else if (!GITHUB_REPOSITORY.matcher(repository).matches()) {
            errors.put(GITHUB_REPOSITORY_CONFIG, "Must be owner/name, e.g. octo-org/ios-app");
        }
        boolean app = usesGithubApp();
        if ((githubToken() != null) == app) {
            errors.put(GITHUB_TOKEN_CONFIG, "Set exactly one of " + GITHUB_TOKEN_CONFIG + " and the GitHub App keys ("
                    + GITHUB_APP_ID_CONFIG + ", " + GITHUB_APP_KEY_CONFIG + ", " + GITHUB_APP_INSTALLATION_CONFIG + ")");
        }
        if (app) {
            require(errors, GITHUB_APP_ID_CONFIG, githubAppId());
            require(errors, GITHUB_APP_KEY_CONFIG, githubAppPrivateKey());
            require(errors, GITHUB_APP_INSTALLATION_CONFIG, githubAppInstallationId());
            if (githubAppInstallationId() != null && !githubAppInstallationId().matches("\\d+")) {
                errors.put(GITHUB_APP_INSTALLATION_CONFIG, "Must be the numeric installation id");
            }
            Password key = githubAppPrivateKey();
            if (key != null && !key.value().strip().startsWith("${")) {
                try {
                    GitHubAppTokens.parsePrivateKey(key.value());
                } catch (IllegalArgumentException e) {
                    errors.put(GITHUB_APP_KEY_CONFIG, e.getMessage());
                }
            }
        }
    }

    private void ruleChecks(Map<String, String> errors, CiTrigger trigger) {
        String rule = trigger.rule();
        for (String key : trigger.extras().keySet()) {
            if (!EXTRA_KEY.matcher(key).matches()) {
                errors.put(RuleSettings.settingKey(rule, RULE_PAYLOAD_PREFIX + key), "The name after payload. must be "
                        + "letters, digits and _ (it becomes a property, input or variable name)");
            }
        }
        List<String> unknown = new ArrayList<>(trigger.inputs());
        unknown.removeAll(CiPayload.FLAT_FIELDS);
        if (!unknown.isEmpty()) {
            errors.put(RuleSettings.settingKey(rule, RULE_INPUTS), "Unknown fields " + unknown + "; known: "
                    + CiPayload.FLAT_FIELDS);
        }
        if (trigger.workflow() != null && !PROVIDER_GITHUB.equals(provider())) {
            errors.put(RuleSettings.settingKey(rule, RULE_WORKFLOW), "Only for ci.provider=github");
        }
        if (PROVIDER_GITHUB.equals(provider())) {
            GitHubProvider.limitProblem(trigger).ifPresent(problem -> errors.put(
                    RuleSettings.settingKey(rule, trigger.workflow() == null ? RULE_EVENT_TYPE : RULE_INPUTS), problem));
        }
    }

    private static void require(Map<String, String> errors, String key, Object value) {
        if (value == null) {
            errors.put(key, "Required for this ci.provider");
        }
    }

    private String text(String key) {
        return blankToNull(getString(key));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static URI baseUri(String url) {
        return URI.create(url.endsWith("/") ? url : url + "/");
    }
}
