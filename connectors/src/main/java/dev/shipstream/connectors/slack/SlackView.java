package dev.shipstream.connectors.slack;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What templates and messages read: every event field (as {@code EventFields} gives them), plus labels derived
 * once here so no template repeats the fallbacks: {@code appLabel} (name, else bundle id, else app id, else the
 * entity key), {@code versionLabel} ({@code 2.3.0 (1045)}, either part alone, or empty), {@code stateChange}
 * ({@code PROCESSING → FAILED}), {@code feedbackKind} ({@code crash} or {@code screenshot feedback}) and
 * {@code rule}.
 */
final class SlackView {

    private SlackView() {
    }

    static Map<String, Object> of(Map<String, Object> fields, String rule) {
        Map<String, Object> view = new LinkedHashMap<>(fields);
        view.put("rule", rule);
        view.put("appLabel", appLabel(fields));
        view.put("versionLabel", versionLabel(fields));
        view.put("stateChange", stateChange(fields));
        String eventType = String.valueOf(fields.get("eventType"));
        view.put("feedbackKind", eventType.toLowerCase(java.util.Locale.ROOT).contains("crash")
                ? "crash" : "screenshot feedback");
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

    static String text(Object value) {
        return value instanceof String s && !s.isBlank() ? s : null;
    }
}
