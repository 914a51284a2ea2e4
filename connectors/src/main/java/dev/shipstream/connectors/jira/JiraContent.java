package dev.shipstream.connectors.jira;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipstream.connect.common.EventLabels;
import dev.shipstream.connect.common.RuleSettings;
import dev.shipstream.connect.common.TemplateRenderer;

/**
 * The text the sink writes to Jira, per rule: the issue summary ({@code rule.<name>.summary}, Mustache, cut to
 * Jira's 255 characters), the comment ({@code rule.<name>.comment}, Mustache; blank lines start paragraphs) and
 * the issue description, an ADF document built from the event: what happened, app, version and build, the state
 * change, the errors (ITMS codes and messages), the tester's comment, device and OS, the crash log as a code block,
 * and the links. Templates see {@link JiraView}; they render plain text, which ADF carries as JSON strings, so no
 * escaping applies. Compiled when the task starts and when the connector is validated.
 */
final class JiraContent {

    static final String DEFAULT_SUMMARY = "{{appLabel}} {{versionLabel}}: {{headline}}";
    static final String DEFAULT_RELEASE_COMMENT = "{{appLabel}} {{versionString}} is {{newState}}: this issue was "
            + "released with it (Shipstream event {{eventId}}).";
    static final String DEFAULT_COMMENT = "{{appLabel}} {{versionLabel}}: {{headline}}"
            + "{{#stateChange}} ({{stateChange}}){{/stateChange}}.";
    static final int MAX_SUMMARY = 255;

    private final Map<String, TemplateRenderer> summaries = new LinkedHashMap<>();
    private final Map<String, TemplateRenderer> comments = new LinkedHashMap<>();

    /**
     * @throws IllegalArgumentException starting with the template's key when one does not compile
     */
    JiraContent(List<RuleSettings.Definition> rules, Map<String, JiraAction> actions) {
        for (RuleSettings.Definition rule : rules) {
            String summary = rule.settings().getOrDefault(JiraSinkConfig.RULE_SUMMARY, DEFAULT_SUMMARY);
            String comment = rule.settings().getOrDefault(JiraSinkConfig.RULE_COMMENT,
                    actions.get(rule.name()) == JiraAction.RELEASE ? DEFAULT_RELEASE_COMMENT : DEFAULT_COMMENT);
            summaries.put(rule.name(), TemplateRenderer.compile(
                    RuleSettings.settingKey(rule.name(), JiraSinkConfig.RULE_SUMMARY), summary, UnaryOperator.identity()));
            comments.put(rule.name(), TemplateRenderer.compile(
                    RuleSettings.settingKey(rule.name(), JiraSinkConfig.RULE_COMMENT), comment, UnaryOperator.identity()));
        }
    }

    String summary(String rule, Map<String, Object> view) {
        String summary = summaries.get(rule).render(view).replaceAll("\\s+", " ");
        if (summary.isEmpty()) {
            summary = String.valueOf(view.get("headline"));
        }
        return summary.length() <= MAX_SUMMARY ? summary : summary.substring(0, MAX_SUMMARY - 1) + "…";
    }

    ObjectNode comment(String rule, Map<String, Object> view) {
        return JiraDocument.create().text(comments.get(rule).render(view)).build();
    }

    @SuppressWarnings("unchecked")
    static ObjectNode description(Map<String, Object> view) {
        Map<String, Object> extras = view.get("extras") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Map<String, Object> links = view.get("links") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        List<String> errors = new ArrayList<>();
        if (view.get("errors") instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> error) {
                    Object code = error.get("code");
                    errors.add((code == null ? "" : code + ": ") + error.get("message"));
                }
            }
        }
        String device = EventLabels.text(extras.get("deviceModel"));
        String os = EventLabels.text(extras.get("osVersion"));
        return JiraDocument.create()
                .text(view.get("appLabel") + " " + view.get("versionLabel") + ": " + view.get("headline"))
                .field("State", (String) view.get("stateChange"))
                .field("Version", EventLabels.text(view.get("versionString")))
                .field("Build", EventLabels.text(view.get("buildNumber")))
                .bullets(errors)
                .field("Tester comment", EventLabels.text(extras.get("feedbackComment")))
                .field("Tester", EventLabels.text(extras.get("testerName")))
                .field("Device", device == null ? null : device + (os == null ? "" : ", OS " + os))
                .code(EventLabels.text(extras.get("crashLog")))
                .link("Details", EventLabels.text(links.get("details")))
                .link("Logs", EventLabels.text(links.get("logs")))
                .field("Shipstream event", view.get("eventId") + " (" + view.get("source") + " "
                        + view.get("eventType") + ")")
                .build();
    }
}
