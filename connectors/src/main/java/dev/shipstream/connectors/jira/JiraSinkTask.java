package dev.shipstream.connectors.jira;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipstream.connect.common.DeliveryLedger;
import dev.shipstream.connect.common.DeliveryOutcome;
import dev.shipstream.connect.common.DeliverySinkTask;
import dev.shipstream.connect.common.EventLabels;
import dev.shipstream.connect.common.PermanentDeliveryException;
import dev.shipstream.connect.common.RuleCompiler;
import dev.shipstream.connect.common.RuleSettings;
import dev.shipstream.connect.common.SinkSettings;
import org.apache.kafka.connect.data.Struct;

/**
 * Acts on Jira for each matched event, on the delivery loop of {@link DeliverySinkTask} (once per rule and event,
 * paced per project, retried through Connect, refusals to the dead-letter queue): per rule, {@link JiraRelease
 * release} the event's version, {@link JiraIssueCreation create} an issue, or {@link JiraComment comment} on the
 * issue of the same version or build. A created issue's key is recorded in the ledger under
 * {@code jira-issue:<connector>:<project>:<app>:<version or build>} for comment rules.
 */
public class JiraSinkTask extends DeliverySinkTask {

    private final HttpClient http;

    private JiraSinkConfig config;
    private JiraClient client;
    private JiraContent content;
    private final Map<String, RuleSettings.Definition> definitions = new LinkedHashMap<>();
    private final Map<String, JiraAction> actions = new LinkedHashMap<>();

    /** For Connect. */
    public JiraSinkTask() {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build(), Clock.systemUTC(), null);
    }

    /** For tests: a given HTTP client and clock, and a given ledger (null: the configured one). */
    JiraSinkTask(HttpClient http, Clock clock, DeliveryLedger ledger) {
        super(clock, ledger);
        this.http = http;
    }

    @Override
    public String version() {
        return new JiraSinkConnector().version();
    }

    @Override
    protected Setup configure(Map<String, String> props) {
        config = new JiraSinkConfig(props);
        SinkSettings.refuseUnresolvedReference(JiraSinkConfig.API_TOKEN_CONFIG, config.apiToken());
        SinkSettings.refuseUnresolvedReference(JiraSinkConfig.BEARER_TOKEN_CONFIG, config.bearerToken());
        List<RuleSettings.Definition> rules = config.rules();
        rules.forEach(d -> {
            definitions.put(d.name(), d);
            actions.put(d.name(), config.actionOf(d));
        });
        content = new JiraContent(rules, actions);
        client = JiraClient.of(http, config, clock());
        return new Setup("Jira", config, RuleSettings.compile(rules, new RuleCompiler()));
    }

    @Override
    protected Attempt prepare(String rule, Struct event, Map<String, Object> fields) {
        Map<String, Object> view = JiraView.of(fields, rule);
        return switch (actions.get(rule)) {
            case RELEASE -> release(rule, event, view);
            case CREATE -> create(rule, view);
            case COMMENT -> comment(rule, view);
        };
    }

    private Attempt release(String rule, Struct event, Map<String, Object> view) {
        String version = EventLabels.text(view.get("versionString"));
        if (version == null) {
            throw new PermanentDeliveryException("the event has no versionString, which the release action needs");
        }
        String doneStatus = config.doneStatusOf(definitions.get(rule));
        JiraRelease release = new JiraRelease(client, ledger(), config.project(), doneStatus, config.pageSize());
        String progressKey = "jira-release:" + connectorName() + ":" + rule + ":" + view.get("eventId");
        Object occurredAt = event.get("occurredAt");
        LocalDate releaseDate = LocalDate.ofInstant(occurredAt instanceof Date d ? d.toInstant() : clock().instant(),
                ZoneOffset.UTC);
        ObjectNode comment = content.comment(rule, view);
        return new JiraAttempt() {
            @Override
            public String describe() {
                return "GET " + client.url("rest/api/3/project/" + config.project() + "/versions") + " (version "
                        + version + "); POST " + client.url(JiraClient.SEARCH) + " {\"jql\":"
                        + JsonNodeFactory.instance.textNode(Jql.fixVersionIssues(config.project(), version))
                        + "}; for each issue not done: GET and POST .../transitions (to "
                        + (doneStatus != null ? doneStatus : "category done") + "), POST .../comment " + comment
                        + "; PUT .../version/{id} {\"released\":true,\"releaseDate\":\"" + releaseDate + "\"}";
            }

            @Override
            public DeliveryOutcome send() {
                return release.run(progressKey, version, releaseDate, comment);
            }
        };
    }

    private Attempt create(String rule, Map<String, Object> view) {
        String entityLabel = JiraSubjects.entityLabel(config.project(), rule, view);
        List<String> labels = new ArrayList<>(config.labelsOf(definitions.get(rule)));
        labels.add(entityLabel);
        labels.add(JiraSubjects.subjectLabel(config.project(), view));
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        fields.putObject("project").put("key", config.project());
        fields.putObject("issuetype").put("name", config.issueTypeOf(definitions.get(rule)));
        fields.put("summary", content.summary(rule, view));
        labels.forEach(fields.putArray("labels")::add);
        String version = EventLabels.text(view.get("versionString"));
        if (version != null) {
            fields.putArray("fixVersions").addObject().put("name", version);
        }
        fields.set("description", JiraContent.description(view));
        JiraIssueCreation creation = new JiraIssueCreation(client, config.project());
        String issueKey = JiraSubjects.ledgerKey(connectorName(), config.project(), view);
        return new JiraAttempt() {
            @Override
            public String describe() {
                return "POST " + client.url(JiraClient.SEARCH) + " {\"jql\":"
                        + JsonNodeFactory.instance.textNode(Jql.labelled(config.project(), entityLabel))
                        + "}; if none: POST " + client.url("rest/api/3/issue") + " {\"fields\":" + fields + "}";
            }

            @Override
            public DeliveryOutcome send() {
                return creation.run(entityLabel, fields);
            }

            @Override
            public void delivered(DeliveryOutcome.Delivered outcome) {
                ledger().record(issueKey, outcome.messageId());
            }
        };
    }

    private Attempt comment(String rule, Map<String, Object> view) {
        ObjectNode comment = content.comment(rule, view);
        String issueKey = JiraSubjects.ledgerKey(connectorName(), config.project(), view);
        String subjectLabel = JiraSubjects.subjectLabel(config.project(), view);
        JiraComment action = new JiraComment(client, ledger(), config.project());
        return new JiraAttempt() {
            @Override
            public String describe() {
                String known = ledger().lookup(issueKey).orElse(null);
                return (known != null ? "" : "POST " + client.url(JiraClient.SEARCH) + " {\"jql\":"
                        + JsonNodeFactory.instance.textNode(Jql.labelled(config.project(), subjectLabel)) + "}; ")
                        + "POST " + client.url("rest/api/3/issue/" + (known != null ? known : "{key}") + "/comment")
                        + " {\"body\":" + comment + "}";
            }

            @Override
            public DeliveryOutcome send() {
                return action.run(issueKey, subjectLabel, comment);
            }
        };
    }

    /** Every Jira attempt counts against the project's pace. */
    private abstract class JiraAttempt implements Attempt {
        @Override
        public String limiterKey() {
            return config.project();
        }
    }
}
