package dev.shipstream.connectors.slack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import dev.shipstream.connect.common.RuleSettings;
import dev.shipstream.connect.common.SinkSettings;
import dev.shipstream.connect.common.TemplateRenderer;

/**
 * The title (Block Kit {@code header}, plain text) and body ({@code section}, mrkdwn) templates of every rule and
 * event category: a rule's own {@code rule.<name>.title} / {@code rule.<name>.body} when set, else the category's
 * {@code template.<CATEGORY>.title} / {@code .body} when set, else the shipped default for the category
 * ({@code template.default.*} overrides the fallback for categories without their own). All are compiled when the
 * task starts and when the connector is validated. Templates see every event field plus {@code appLabel},
 * {@code versionLabel}, {@code stateChange}, {@code feedbackKind} and {@code rule} ({@link SlackView}).
 */
public final class SlackTemplates {

    /** Default title per category; {@code *} is the fallback. */
    static final Map<String, String> DEFAULT_TITLES = Map.ofEntries(
            Map.entry("APP_VERSION_STATE", "{{appLabel}} {{versionLabel}}: {{newState}}"),
            Map.entry("BUILD_UPLOAD_STATE", "{{appLabel}} {{versionLabel}}: build upload {{newState}}"),
            Map.entry("TESTFLIGHT_BUILD_STATE", "{{appLabel}} {{versionLabel}}: TestFlight {{newState}}"),
            Map.entry("TESTFLIGHT_FEEDBACK", "{{appLabel}} {{versionLabel}}: TestFlight {{feedbackKind}}"),
            Map.entry("BACKGROUND_ASSET", "{{appLabel}}: background asset {{newState}}"),
            Map.entry("ALTERNATIVE_DISTRIBUTION", "{{appLabel}}: alternative distribution {{eventType}}"),
            Map.entry("EAS_BUILD", "{{appLabel}} {{versionLabel}}: EAS build {{newState}}"),
            Map.entry("EAS_SUBMISSION", "{{appLabel}} {{versionLabel}}: EAS submission {{newState}}"),
            Map.entry("APPFLOW_BUILD", "{{appLabel}} {{versionLabel}}: Appflow build {{newState}}"),
            Map.entry("PING", "{{source}} webhook ping"),
            Map.entry("*", "{{appLabel}}: {{eventType}} {{newState}}"));

    /** Default body per category; {@code *} is the fallback. */
    static final Map<String, String> DEFAULT_BODIES = Map.ofEntries(
            Map.entry("APP_VERSION_STATE", "App Store version {{versionLabel}} of *{{appLabel}}* is now "
                    + "*{{newState}}*{{#previousState}} (was {{previousState}}){{/previousState}}."),
            Map.entry("BUILD_UPLOAD_STATE", "Build upload {{versionLabel}} of *{{appLabel}}* is now *{{newState}}*"
                    + "{{#previousState}} (was {{previousState}}){{/previousState}}."),
            Map.entry("TESTFLIGHT_BUILD_STATE", "TestFlight build {{versionLabel}} of *{{appLabel}}* is now "
                    + "*{{newState}}*{{#previousState}} (was {{previousState}}){{/previousState}}."),
            Map.entry("TESTFLIGHT_FEEDBACK", "{{#extras.feedbackComment}}>{{extras.feedbackComment}}\n"
                    + "{{/extras.feedbackComment}}"
                    + "*Tester:* {{#extras.testerName}}{{extras.testerName}}{{/extras.testerName}}"
                    + "{{^extras.testerName}}unknown{{/extras.testerName}}"
                    + "{{#extras.testerEmail}} ({{extras.testerEmail}}){{/extras.testerEmail}}\n"
                    + "*Device:* {{extras.deviceModel}}{{#extras.osVersion}}, OS {{extras.osVersion}}{{/extras.osVersion}}"
                    + "{{#extras.locale}}, {{extras.locale}}{{/extras.locale}}"
                    + "{{#extras.connectionType}}, {{extras.connectionType}}{{/extras.connectionType}}"
                    + "{{#extras.batteryPercentage}}, battery {{extras.batteryPercentage}}%{{/extras.batteryPercentage}}"),
            Map.entry("EAS_BUILD", "EAS build of *{{appLabel}}* {{versionLabel}} is now *{{newState}}*"
                    + "{{#git.ref}} ({{git.ref}}{{#git.commit}} @ {{git.commit}}{{/git.commit}}){{/git.ref}}."),
            Map.entry("APPFLOW_BUILD", "Appflow build of *{{appLabel}}* {{versionLabel}} is now *{{newState}}*"
                    + "{{#git.ref}} ({{git.ref}}{{#git.commit}} @ {{git.commit}}{{/git.commit}}){{/git.ref}}."),
            Map.entry("*", "*{{eventType}}* for *{{appLabel}}* {{versionLabel}}"
                    + "{{#stateChange}}: {{stateChange}}{{/stateChange}}."));

    private static final UnaryOperator<String> PLAIN = UnaryOperator.identity();
    private static final List<String> CATEGORIES = dev.shipstream.schemas.EventCategory.getClassSchema()
            .getEnumSymbols();

    private final Map<String, TemplateRenderer> titles = new LinkedHashMap<>();
    private final Map<String, TemplateRenderer> bodies = new LinkedHashMap<>();

    /**
     * Compiles the defaults and every rule's overrides.
     *
     * @throws IllegalArgumentException naming the key of a template that does not compile
     */
    public SlackTemplates(List<RuleSettings.Definition> rules) {
        this(rules, Map.of());
    }

    /**
     * Compiles the defaults, the category overrides ({@code <CATEGORY or default>.title|body} → template, as
     * {@link SlackSinkConfig#templateOverrides()} gives them) and every rule's overrides.
     *
     * @throws IllegalArgumentException naming the key of a template that does not compile or of an unknown category
     */
    public SlackTemplates(List<RuleSettings.Definition> rules, Map<String, String> categoryOverrides) {
        DEFAULT_TITLES.forEach((category, text) -> titles.put(category, TemplateRenderer.compile(category, text, PLAIN)));
        DEFAULT_BODIES.forEach((category, text) ->
                bodies.put(category, TemplateRenderer.compile(category, text, SlackTemplates::escapeMrkdwn)));
        categoryOverrides.forEach((key, text) -> {
            String configKey = SinkSettings.TEMPLATE_PREFIX + key;
            int dot = key.lastIndexOf('.');
            String category = dot < 0 ? key : key.substring(0, dot);
            String part = dot < 0 ? "" : key.substring(dot + 1);
            String target = category.equals(SinkSettings.TEMPLATE_DEFAULT) ? "*" : category;
            if (!target.equals("*") && !CATEGORIES.contains(category)) {
                throw new IllegalArgumentException(configKey + ": unknown category '" + category + "' (one of "
                        + CATEGORIES + " or " + SinkSettings.TEMPLATE_DEFAULT + ")");
            }
            if (part.equals(SlackSinkConfig.RULE_TITLE)) {
                titles.put(target, TemplateRenderer.compile(configKey, text, PLAIN));
            } else if (part.equals(SlackSinkConfig.RULE_BODY)) {
                bodies.put(target, TemplateRenderer.compile(configKey, text, SlackTemplates::escapeMrkdwn));
            } else {
                throw new IllegalArgumentException(configKey + ": expected " + SinkSettings.TEMPLATE_PREFIX
                        + "<category>.title or .body");
            }
        });
        for (RuleSettings.Definition rule : rules) {
            String title = rule.settings().get(SlackSinkConfig.RULE_TITLE);
            if (title != null) {
                titles.put(rule.name() + "/", TemplateRenderer.compile(
                        RuleSettings.settingKey(rule.name(), SlackSinkConfig.RULE_TITLE), title, PLAIN));
            }
            String body = rule.settings().get(SlackSinkConfig.RULE_BODY);
            if (body != null) {
                bodies.put(rule.name() + "/", TemplateRenderer.compile(
                        RuleSettings.settingKey(rule.name(), SlackSinkConfig.RULE_BODY), body,
                        SlackTemplates::escapeMrkdwn));
            }
        }
    }

    /** The rendered plain-text title for an event that {@code rule} matched. */
    public String title(String rule, Map<String, Object> view) {
        return pick(titles, rule, view).render(view);
    }

    /** The rendered mrkdwn body for an event that {@code rule} matched. */
    public String body(String rule, Map<String, Object> view) {
        return pick(bodies, rule, view).render(view);
    }

    private static TemplateRenderer pick(Map<String, TemplateRenderer> templates, String rule, Map<String, Object> view) {
        TemplateRenderer own = templates.get(rule + "/");
        if (own != null) {
            return own;
        }
        return templates.getOrDefault(String.valueOf(view.get("category")), templates.get("*"));
    }

    /** Slack mrkdwn's control characters, escaped as Slack asks: {@code & < >}. */
    static String escapeMrkdwn(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
