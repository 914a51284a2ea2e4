package dev.shipstream.connect.common;

import java.util.Map;

/**
 * The short labels every sink's messages use, read from an event's fields (as {@link EventFields} gives them), so a
 * Slack message and a Jira issue name an app, a version and a state change alike. Pure.
 */
public final class EventLabels {

    private EventLabels() {
    }

    /** The app's name, else its bundle id, else its id, else the event's entity key. */
    public static String appLabel(Map<String, Object> fields) {
        if (fields.get("app") instanceof Map<?, ?> app) {
            for (String key : new String[] {"name", "bundleId", "id"}) {
                if (app.get(key) instanceof String s && !s.isBlank()) {
                    return s;
                }
            }
        }
        return String.valueOf(fields.get("entityKey"));
    }

    /** {@code 2.3.0 (1045)}, the version or {@code build 1045} alone, or empty when neither is known. */
    public static String versionLabel(Map<String, Object> fields) {
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

    /** {@code IN_REVIEW → REJECTED}, the new state alone when the previous one is unknown, or empty. */
    public static String stateChange(Map<String, Object> fields) {
        String before = text(fields.get("previousState"));
        String after = text(fields.get("newState"));
        if (after == null) {
            return "";
        }
        return before == null ? after : before + " → " + after;
    }

    /** A non-blank string value, else null. */
    public static String text(Object value) {
        return value instanceof String s && !s.isBlank() ? s : null;
    }
}
