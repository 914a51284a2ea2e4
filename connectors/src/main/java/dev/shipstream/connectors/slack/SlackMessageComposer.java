package dev.shipstream.connectors.slack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipstream.connect.common.EventLabels;

/**
 * Builds the Block Kit message for one event: a {@code header} with the rendered title, a {@code section} with the
 * rendered body, a {@code section} of fields (app, version and build, state change, source and platform), the
 * reasons ({@code errors}: ITMS codes and messages from enrichment, rejection reasons), for TestFlight feedback the
 * screenshot links and the crash log excerpt, buttons for the links, and a {@code context} line with the event id
 * and time. Stays within Slack's limits by construction: at most 8 blocks (limit 50), header ≤ 150 characters,
 * section text ≤ 3,000, field ≤ 2,000, fallback {@code text} ≤ 4,000; longer values are cut with an ellipsis.
 */
public final class SlackMessageComposer {

    static final int MAX_BLOCKS = 50;
    static final int MAX_HEADER = 150;
    static final int MAX_SECTION = 3_000;
    static final int MAX_FIELD = 2_000;
    static final int MAX_TEXT = 4_000;
    static final int MAX_BUTTON_URL = 3_000;
    static final int MAX_SCREENSHOTS = 5;

    private static final ObjectMapper JSON = new ObjectMapper();

    private SlackMessageComposer() {
    }

    /**
     * The {@code chat.postMessage} (or webhook) body. {@code channel} and {@code threadTs} may be null (webhook, first
     * message of a thread).
     */
    public static ObjectNode compose(String title, String body, Map<String, Object> view, String channel,
                                     String threadTs) {
        ObjectNode message = JSON.createObjectNode();
        if (channel != null) {
            message.put("channel", channel);
        }
        if (threadTs != null) {
            message.put("thread_ts", threadTs);
        }
        String stateChange = (String) view.get("stateChange");
        String fallback = stateChange == null || stateChange.isEmpty() || title.contains(stateChange)
                ? title : title + " (" + stateChange + ")";
        message.put("text", cut(fallback, MAX_TEXT));
        message.put("unfurl_links", false);
        ArrayNode blocks = message.putArray("blocks");

        blocks.addObject().put("type", "header")
                .putObject("text").put("type", "plain_text").put("text", cut(nonEmpty(title), MAX_HEADER));
        if (!body.isBlank()) {
            section(blocks, body);
        }
        ArrayNode fields = JSON.createArrayNode();
        field(fields, "App", (String) view.get("appLabel"));
        field(fields, "Version", (String) view.get("versionLabel"));
        field(fields, "State", stateChange);
        field(fields, "Source", join((String) view.get("source"), (String) view.get("platform"),
                (String) view.get("eventType")));
        if (!fields.isEmpty()) {
            blocks.addObject().put("type", "section").set("fields", fields);
        }
        String reasons = reasons(view);
        if (!reasons.isEmpty()) {
            section(blocks, "*Reason*\n" + reasons);
        }
        Map<?, ?> extras = view.get("extras") instanceof Map<?, ?> m ? m : Map.of();
        String screenshots = screenshots(extras.get("screenshotUrls"));
        if (!screenshots.isEmpty()) {
            section(blocks, "*Screenshots*\n" + screenshots);
        }
        if (extras.get("crashLog") instanceof String crash && !crash.isBlank()) {
            String fence = "```";
            String heading = "*Crash log*" + ("true".equals(extras.get("crashLogTruncated")) ? " (truncated)" : "")
                    + "\n";
            int room = MAX_SECTION - heading.length() - 2 * fence.length() - 1;
            section(blocks, heading + fence + cut(crash.replace("```", "'''"), room) + fence);
        }
        ArrayNode buttons = buttons(view);
        if (!buttons.isEmpty()) {
            blocks.addObject().put("type", "actions").set("elements", buttons);
        }
        String context = "Event " + view.get("eventId") + " · " + view.get("occurredAt") + " · rule " + view.get("rule");
        blocks.addObject().put("type", "context").putArray("elements").addObject()
                .put("type", "mrkdwn").put("text", cut(SlackTemplates.escapeMrkdwn(context), MAX_SECTION));
        return message;
    }

    private static void section(ArrayNode blocks, String mrkdwn) {
        blocks.addObject().put("type", "section")
                .putObject("text").put("type", "mrkdwn").put("text", cut(mrkdwn, MAX_SECTION));
    }

    private static void field(ArrayNode fields, String label, String value) {
        if (value != null && !value.isBlank()) {
            fields.addObject().put("type", "mrkdwn")
                    .put("text", cut("*" + label + "*\n" + SlackTemplates.escapeMrkdwn(value), MAX_FIELD));
        }
    }

    private static String reasons(Map<String, Object> view) {
        List<String> lines = new ArrayList<>();
        if (view.get("errors") instanceof List<?> errors) {
            for (Object item : errors) {
                if (item instanceof Map<?, ?> error) {
                    String code = EventLabels.text(error.get("code"));
                    String message = EventLabels.text(error.get("message"));
                    lines.add("• " + (code != null ? "`" + SlackTemplates.escapeMrkdwn(code) + "` " : "")
                            + SlackTemplates.escapeMrkdwn(message == null ? "" : message));
                }
            }
        }
        if (view.get("extras") instanceof Map<?, ?> extras && extras.get("ascWarnings") instanceof String warnings) {
            warnings.lines().forEach(w -> lines.add("• " + SlackTemplates.escapeMrkdwn(w)));
        }
        return String.join("\n", lines);
    }

    private static String screenshots(Object urls) {
        if (!(urls instanceof String text) || text.isBlank()) {
            return "";
        }
        List<String> links = new ArrayList<>();
        int n = 0;
        for (String url : text.split("\n")) {
            if (isHttp(url) && n < MAX_SCREENSHOTS) {
                links.add("<" + url.strip().replace("|", "%7C").replace(">", "%3E") + "|Screenshot " + (++n) + ">");
            }
        }
        return String.join("  ", links);
    }

    private static ArrayNode buttons(Map<String, Object> view) {
        ArrayNode buttons = JSON.createArrayNode();
        if ("APP_STORE_CONNECT".equals(view.get("source")) && view.get("app") instanceof Map<?, ?> app
                && app.get("id") instanceof String appId && appId.matches("[0-9]+")) {
            button(buttons, "App Store Connect", "https://appstoreconnect.apple.com/apps/" + appId, "asc");
        }
        if (view.get("links") instanceof Map<?, ?> links) {
            if (links.get("logs") instanceof String logs) {
                button(buttons, "Logs", logs, "logs");
            }
            if (links.get("details") instanceof String details && !details.contains("api.appstoreconnect.apple.com")) {
                button(buttons, "Details", details, "details");
            }
        }
        return buttons;
    }

    private static void button(ArrayNode buttons, String label, String url, String actionId) {
        if (isHttp(url) && url.length() <= MAX_BUTTON_URL) {
            ObjectNode button = buttons.addObject().put("type", "button").put("action_id", actionId).put("url", url);
            button.putObject("text").put("type", "plain_text").put("text", label);
        }
    }

    private static boolean isHttp(String url) {
        String u = url.strip();
        return u.startsWith("https://") || u.startsWith("http://");
    }

    private static String join(String... parts) {
        List<String> present = new ArrayList<>();
        for (String part : parts) {
            if (part != null && !part.isBlank()) {
                present.add(part);
            }
        }
        return String.join(" · ", present);
    }

    private static String nonEmpty(String title) {
        return title.isBlank() ? "Shipstream event" : title;
    }

    /** {@code text} cut to {@code max} characters, the last being an ellipsis when cut. */
    static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }
}
