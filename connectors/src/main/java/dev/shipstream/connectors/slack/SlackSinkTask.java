package dev.shipstream.connectors.slack;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipstream.connect.common.DeliveryLedger;
import dev.shipstream.connect.common.DeliveryOutcome;
import dev.shipstream.connect.common.DeliverySinkTask;
import dev.shipstream.connect.common.EventLabels;
import dev.shipstream.connect.common.RuleCompiler;
import dev.shipstream.connect.common.RuleSettings;
import dev.shipstream.connect.common.SinkSettings;
import org.apache.kafka.connect.data.Struct;

/**
 * Posts each matched event to Slack (chat.postMessage or an Incoming Webhook), on the delivery loop of
 * {@link DeliverySinkTask} (once per rule and event, paced per channel, retried through Connect, refusals to the
 * dead-letter queue).
 *
 * <p><b>Threads</b>: after Slack's {@code ok}, the thread's first {@code ts} is recorded in the ledger under
 * {@code thread:<connector>:<channel>:<app>:<version>}, so later events of a version reply in its thread, also after
 * a restart.
 */
public class SlackSinkTask extends DeliverySinkTask {

    private final HttpClient http;

    private SlackSinkConfig config;
    private Map<String, String> channels;
    private SlackTemplates templates;
    private SlackClient client;

    /** For Connect. */
    public SlackSinkTask() {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), Clock.systemUTC(), null);
    }

    /** For tests: a given HTTP client and clock, and a given ledger (null: the configured one). */
    SlackSinkTask(HttpClient http, Clock clock, DeliveryLedger ledger) {
        super(clock, ledger);
        this.http = http;
    }

    @Override
    public String version() {
        return new SlackSinkConnector().version();
    }

    @Override
    protected Setup configure(Map<String, String> props) {
        config = new SlackSinkConfig(props);
        SinkSettings.refuseUnresolvedReference(SlackSinkConfig.TOKEN_CONFIG, config.token());
        SinkSettings.refuseUnresolvedReference(SlackSinkConfig.WEBHOOK_URL_CONFIG, config.webhookUrl());
        List<RuleSettings.Definition> definitions = config.rules();
        channels = new LinkedHashMap<>();
        definitions.forEach(d -> channels.put(d.name(), config.usesWebhook() ? null : config.channelOf(d)));
        templates = new SlackTemplates(definitions, config.templateOverrides());
        client = new SlackClient(http, config, clock());
        return new Setup(config.usesWebhook() ? "Slack (incoming webhook)" : "Slack", config,
                RuleSettings.compile(definitions, new RuleCompiler()));
    }

    @Override
    protected Attempt prepare(String rule, Struct event, Map<String, Object> fields) {
        String channel = channels.get(rule);
        Map<String, Object> view = SlackView.of(fields, rule);
        String threadKey = config.threads()
                ? "thread:" + connectorName() + ":" + channel + ":" + view.get("appLabel") + ":" + threadSubject(fields)
                : null;
        String threadTs = threadKey == null ? null : ledger().lookup(threadKey).orElse(null);
        ObjectNode message = SlackMessageComposer.compose(templates.title(rule, view), templates.body(rule, view),
                view, channel, threadTs);
        return new Attempt() {
            @Override
            public String limiterKey() {
                return channel != null ? channel : "incoming-webhook";
            }

            @Override
            public String describe() {
                return "POST " + (config.usesWebhook() ? "<incoming webhook>" : config.apiUrl() + "chat.postMessage")
                        + " " + message;
            }

            @Override
            public DeliveryOutcome send() {
                return client.post(message);
            }

            @Override
            public void delivered(DeliveryOutcome.Delivered outcome) {
                if (threadKey != null && threadTs == null && outcome.messageId() != null) {
                    ledger().record(threadKey, outcome.messageId());
                }
            }
        };
    }

    /** One thread per app version, else per build, else per entity. */
    private static String threadSubject(Map<String, Object> fields) {
        String version = EventLabels.text(fields.get("versionString"));
        if (version != null) {
            return "v" + version;
        }
        String build = EventLabels.text(fields.get("buildNumber"));
        return build != null ? "b" + build : "e" + fields.get("entityKey");
    }
}
