package dev.shipstream.connectors.jira;

import static dev.shipstream.connect.common.EventLabels.appLabel;
import static dev.shipstream.connect.common.EventLabels.stateChange;
import static dev.shipstream.connect.common.EventLabels.text;
import static dev.shipstream.connect.common.EventLabels.versionLabel;

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
}
