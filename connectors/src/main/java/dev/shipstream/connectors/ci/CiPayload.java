package dev.shipstream.connectors.ci;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a CI job is told about one event, in the two shapes the targets take: {@link #data()}, a JSON object for
 * targets that accept one (GitHub's {@code client_payload}, the Standard Webhooks body), and {@link #flat()}, string
 * values by snake_case name for targets that take only strings (workflow inputs, GitLab and Bitbucket variables).
 * Every value is copied from the event as data: nothing here ends up in a URL or a command line. Pure.
 */
public final class CiPayload {

    /** The flat names, in the order they are documented. */
    public static final List<String> FLAT_FIELDS = List.of("event_id", "rule", "source", "category", "app_id",
            "app_name", "bundle_id", "platform", "version", "build", "previous_state", "new_state", "occurred_at",
            "details_url", "logs_url", "artifact_url");

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ObjectNode data;
    private final Map<String, String> flat;

    private CiPayload(ObjectNode data, Map<String, String> flat) {
        this.data = data;
        this.flat = flat;
    }

    /** The payload of an event (its fields as {@code EventFields} gives them) for {@code rule}. */
    public static CiPayload of(String rule, Map<String, Object> fields) {
        Map<String, Object> app = map(fields.get("app"));
        Map<String, Object> links = map(fields.get("links"));
        Map<String, String> flat = new LinkedHashMap<>();
        flat.put("event_id", text(fields.get("eventId")));
        flat.put("rule", rule);
        flat.put("source", text(fields.get("source")));
        flat.put("category", text(fields.get("category")));
        flat.put("app_id", text(app.get("id")));
        flat.put("app_name", text(app.get("name")));
        flat.put("bundle_id", text(app.get("bundleId")));
        flat.put("platform", text(fields.get("platform")));
        flat.put("version", text(fields.get("versionString")));
        flat.put("build", text(fields.get("buildNumber")));
        flat.put("previous_state", text(fields.get("previousState")));
        flat.put("new_state", text(fields.get("newState")));
        flat.put("occurred_at", text(fields.get("occurredAt")));
        flat.put("details_url", text(links.get("details")));
        flat.put("logs_url", text(links.get("logs")));
        flat.put("artifact_url", text(links.get("artifact")));
        flat.values().removeIf(v -> v == null);

        // Nine top-level properties: GitHub allows ten in client_payload, which leaves one for a rule's extra.
        ObjectNode data = JSON.objectNode();
        data.put("eventId", flat.get("event_id"));
        data.put("rule", rule);
        data.put("source", flat.get("source"));
        ObjectNode appNode = data.putObject("app");
        appNode.put("id", flat.get("app_id"));
        appNode.put("name", flat.get("app_name"));
        appNode.put("bundleId", flat.get("bundle_id"));
        appNode.put("platform", flat.get("platform"));
        data.put("version", flat.get("version"));
        data.put("build", flat.get("build"));
        ObjectNode state = data.putObject("state");
        state.put("category", flat.get("category"));
        state.put("previous", flat.get("previous_state"));
        state.put("new", flat.get("new_state"));
        state.put("at", flat.get("occurred_at"));
        ObjectNode linkNode = data.putObject("links");
        linkNode.put("details", flat.get("details_url"));
        linkNode.put("logs", flat.get("logs_url"));
        linkNode.put("artifact", flat.get("artifact_url"));
        ArrayNode errors = data.putArray("errors");
        if (fields.get("errors") instanceof List<?> list) {
            for (Object item : list) {
                Map<String, Object> error = map(item);
                errors.addObject().put("code", text(error.get("code"))).put("message", text(error.get("message")));
            }
        }
        return new CiPayload(data, Map.copyOf(flat));
    }

    /** The payload as a JSON object; a copy, so callers may add to it. */
    public ObjectNode data() {
        return data.deepCopy();
    }

    /** The non-null values as strings by snake_case name. */
    public Map<String, String> flat() {
        return flat;
    }

    /** The JSON object with {@code extras} added as top-level string properties (they win over the event's). */
    public ObjectNode dataWith(Map<String, String> extras) {
        ObjectNode copy = data();
        extras.forEach(copy::put);
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
