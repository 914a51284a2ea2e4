package dev.shipstream.connectors.jira;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the Jira templates and the issue description read: every event field (as {@code EventFields} gives them),
 * plus {@code rule}, {@code appLabel} (name, else bundle id, else app id, else the entity key),
 * {@code versionLabel} ({@code 2.3.0 (1045)}, either part alone, or empty), {@code stateChange}
 * ({@code IN_REVIEW → REJECTED}) and {@code headline} (what happened, e.g. {@code App Review: REJECTED},
 * {@code TestFlight crash}). Pure.
 */
final class JiraView {

    private JiraView() {
    }

    static Map<String, Object> of(Map<String, Object> fields, String rule) {
        Map<String, Object> view = new LinkedHashMap<>(fields);
        view.put("rule", rule);
        view.put("appLabel", appLabel(fields));
        view.put("versionLabel", versionLabel(fields));
        view.put("stateChange", stateChange(fields));
        view.put("headline", headline(fields));
        return view;
    }

    static String appLabel(Map<String, Object> fields) {
        if (fields.get("app") instanceof Map<?, ?> app) {
            for (String key : new String[] {"name", "bundleId", "id"}) {
                if (app.get(key) instanceof String s && !s.isBlank()) {
                    return s;
                }
            }
        }
        return String.valueOf(fields.get("entityKey"));
    }

    static String versionLabel(Map<String, Object> fields) {
        String version = text(fields.get("versionString"));
        String build = text(fields.get("buildNumber"));
        if (version != null && build != null) {
            return version + " (" + build + ")";
        }
        if (version != null) {
            return version;
        }
        return build != null ? "build " + build : "";
    }

    static String stateChange(Map<String, Object> fields) {
        String before = text(fields.get("previousState"));
        String after = text(fields.get("newState"));
        if (after == null) {
            return "";
        }
        return before == null ? after : before + " → " + after;
    }

    static String headline(Map<String, Object> fields) {
        String state = text(fields.get("newState"));
        String category = String.valueOf(fields.get("category"));
        return switch (category) {
            case "APP_VERSION_STATE" -> "App Store version " + state;
            case "BUILD_UPLOAD_STATE" -> "build upload " + state;
            case "TESTFLIGHT_BUILD_STATE" -> "TestFlight build " + state;
            case "TESTFLIGHT_FEEDBACK" -> String.valueOf(fields.get("eventType")).toLowerCase(Locale.ROOT)
                    .contains("crash") ? "TestFlight crash" : "TestFlight feedback";
            case "EAS_BUILD" -> "EAS build " + state;
            case "EAS_SUBMISSION" -> "EAS submission " + state;
            case "APPFLOW_BUILD" -> "Appflow build " + state;
            default -> fields.get("eventType") + (state == null ? "" : " " + state);
        };
    }

    static String text(Object value) {
        return value instanceof String s && !s.isBlank() ? s : null;
    }
}
