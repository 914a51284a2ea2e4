package dev.shipstream.connect.common;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rule part of a sink's configuration: {@code rules=failed,feedback} names the rules, {@code rule.<name>.when}
 * holds each one's CEL expression, and any other {@code rule.<name>.<setting>} is a per-rule target setting (e.g.
 * {@code rule.failed.channel}). With no {@code rules} the connector's defaults apply, each with its default
 * expression, which {@code rule.<name>.when} may still override.
 */
public final class RuleSettings {

    public static final String RULES_CONFIG = "rules";
    public static final String RULES_DOC = "Comma-separated rule names. Each rule needs rule.<name>.when, a CEL "
            + "expression over the event's fields; rule.<name>.<setting> overrides a target setting for events that "
            + "rule matched. Empty: the connector's default rules.";
    public static final String RULE_PREFIX = "rule.";
    public static final String WHEN = "when";

    /** One configured rule before compilation. */
    public record Definition(String name, String when, Map<String, String> settings) {
    }

    private RuleSettings() {
    }

    /** The key of a rule's expression, e.g. {@code rule.failed.when}. */
    public static String whenKey(String rule) {
        return RULE_PREFIX + rule + "." + WHEN;
    }

    /** The key of a rule's setting, e.g. {@code rule.failed.channel}. */
    public static String settingKey(String rule, String setting) {
        return RULE_PREFIX + rule + "." + setting;
    }

    /**
     * The rules in {@code ruleNames} (or, if empty, those of {@code defaults}), each with its expression from
     * {@code props} or its default, and its settings.
     */
    public static List<Definition> definitions(List<String> ruleNames, Map<String, String> props,
                                               Map<String, String> defaults) {
        List<String> names = ruleNames.isEmpty() ? List.copyOf(defaults.keySet()) : ruleNames;
        List<Definition> definitions = new ArrayList<>(names.size());
        for (String name : names) {
            String when = props.getOrDefault(whenKey(name), defaults.get(name));
            Map<String, String> settings = new LinkedHashMap<>();
            String prefix = RULE_PREFIX + name + ".";
            props.forEach((key, value) -> {
                if (key.startsWith(prefix) && !key.equals(whenKey(name))) {
                    settings.put(key.substring(prefix.length()), value);
                }
            });
            definitions.add(new Definition(name, when, Map.copyOf(settings)));
        }
        return List.copyOf(definitions);
    }

    /**
     * Compiles every rule; the errors by config key ({@code rule.<name>.when}), empty when all compile. What the
     * connector's {@code validate} returns to Connect's REST API.
     */
    public static Map<String, String> errors(List<Definition> definitions, RuleCompiler compiler) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (Definition definition : definitions) {
            try {
                compiler.compile(definition.name(), definition.when());
            } catch (RuleCompiler.InvalidRuleException e) {
                errors.put(whenKey(definition.name()), e.getMessage());
            }
        }
        return errors;
    }

    /** Compiles every rule, in order. */
    public static List<Rule> compile(List<Definition> definitions, RuleCompiler compiler) {
        return definitions.stream().map(d -> compiler.compile(d.name(), d.when())).toList();
    }
}
