package dev.shipstream.connectors.slack;

import static dev.shipstream.connect.common.EventLabels.appLabel;
import static dev.shipstream.connect.common.EventLabels.stateChange;
import static dev.shipstream.connect.common.EventLabels.text;
import static dev.shipstream.connect.common.EventLabels.versionLabel;

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
}
