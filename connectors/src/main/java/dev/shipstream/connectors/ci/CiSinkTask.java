package dev.shipstream.connectors.ci;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Map;

import dev.shipstream.connect.common.DeliveryLedger;
import dev.shipstream.connect.common.DeliveryOutcome;
import dev.shipstream.connect.common.DeliverySinkTask;
import dev.shipstream.connect.common.RuleCompiler;
import dev.shipstream.connect.common.RuleSettings;
import dev.shipstream.connect.common.SinkSettings;
import org.apache.kafka.connect.data.Struct;

/**
 * Starts one CI job per matched rule and event, on the delivery loop of {@link DeliverySinkTask} (once per rule and
 * event through the ledger, paced per repository or project, retried through Connect, refusals and payloads over the
 * target's limits to the dead-letter queue). Each delivery is a single trigger call, so a retry re-runs nothing that
 * had succeeded.
 */
public class CiSinkTask extends DeliverySinkTask {

    private final HttpClient http;

    private CiProvider provider;
    private Map<String, CiTrigger> triggers;

    /** For Connect. */
    public CiSinkTask() {
        this(CiHttp.newClient(), Clock.systemUTC(), null);
    }

    /** For tests: a given HTTP client (it must not follow redirects) and clock, and a given ledger (null: configured). */
    CiSinkTask(HttpClient http, Clock clock, DeliveryLedger ledger) {
        super(clock, ledger);
        this.http = http;
    }

    @Override
    public String version() {
        return new CiSinkConnector().version();
    }

    @Override
    protected Setup configure(Map<String, String> props) {
        CiSinkConfig config = new CiSinkConfig(props);
        config.secrets().forEach(SinkSettings::refuseUnresolvedReference);
        triggers = config.triggers();
        provider = provider(config, new CiHttp(http, config.requestTimeout()), connectorName(), clock());
        return new Setup("CI (" + provider.target() + ")", config,
                RuleSettings.compile(config.rules(), new RuleCompiler()));
    }

    /** The configured provider; the configuration has been checked, so every key it needs is there. */
    static CiProvider provider(CiSinkConfig config, CiHttp http, String connectorName, Clock clock) {
        return switch (config.provider()) {
            case CiSinkConfig.PROVIDER_GITHUB -> new GitHubProvider(http, config.githubApiUrl(),
                    config.githubRepository(), config.githubToken(), config.usesGithubApp()
                    ? new GitHubAppTokens(http, config.githubApiUrl(), config.githubAppId(),
                            GitHubAppTokens.parsePrivateKey(config.githubAppPrivateKey().value()),
                            config.githubAppInstallationId(), clock)
                    : null, clock);
            case CiSinkConfig.PROVIDER_GITLAB -> new GitLabProvider(http, config.gitlabUrl(), config.gitlabProject(),
                    config.gitlabTriggerToken(), clock);
            case CiSinkConfig.PROVIDER_BITBUCKET -> new BitbucketProvider(http, config.bitbucketApiUrl(),
                    config.bitbucketWorkspace(), config.bitbucketRepository(), config.bitbucketRefType(),
                    config.bitbucketToken(), clock);
            default -> new WebhookProvider(http, config.webhookUrl(),
                    new StandardWebhookSigner(config.webhookSecret().value()), connectorName, clock);
        };
    }

    @Override
    protected Attempt prepare(String rule, Struct event, Map<String, Object> fields) {
        CiRequest request = provider.request(triggers.get(rule), CiPayload.of(rule, fields));
        return new Attempt() {
            @Override
            public String limiterKey() {
                return provider.target();
            }

            @Override
            public String describe() {
                return request.describe();
            }

            @Override
            public DeliveryOutcome send() {
                return provider.send(request);
            }
        };
    }
}
