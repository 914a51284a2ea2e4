package dev.shipstream.connectors.jira;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipstream.connect.common.DeliveryOutcome;
import org.apache.kafka.common.config.types.Password;

/**
 * The calls of Jira Cloud's REST API v3 the sink makes, on {@link HttpClient} (injected, so tests point it at a
 * stub): the enhanced JQL search with {@code nextPageToken}, an issue's transitions, doing one, adding a comment,
 * a project's versions, releasing one, creating an issue. A call that does not succeed throws {@link Failed} with
 * its {@link JiraResponses classified} outcome (I/O errors and timeouts: retry), so an action reads as its happy
 * path and stops at the first failure. Values from events travel in JSON bodies or as encoded path segments, never
 * spliced into a URL. The credentials appear in no outcome, exception or log line.
 */
public final class JiraClient {

    static final String SEARCH = "rest/api/3/search/jql";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI base;
    private final Password authorization;
    private final Duration timeout;
    private final Clock clock;

    /** {@code base} ends with a slash; {@code authorization} is the whole header value (Basic or Bearer). */
    JiraClient(HttpClient http, URI base, Password authorization, Duration timeout, Clock clock) {
        this.http = http;
        this.base = base;
        this.authorization = authorization;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** A client with the configuration's site, credentials and timeout. */
    public static JiraClient of(HttpClient http, JiraSinkConfig config, Clock clock) {
        return new JiraClient(http, config.url(), authorization(config), config.requestTimeout(), clock);
    }

    /** {@code Basic base64(email:token)} or {@code Bearer token}, as a secret. */
    static Password authorization(JiraSinkConfig config) {
        if (config.bearerToken() != null) {
            return new Password("Bearer " + config.bearerToken().value());
        }
        String pair = config.email() + ":" + config.apiToken().value();
        return new Password("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }

    /** A call that did not succeed, with what it came to (retry or permanent). */
    public static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient DeliveryOutcome outcome;

        Failed(DeliveryOutcome outcome) {
            super(outcome.toString(), null, false, false);
            this.outcome = outcome;
        }

        public DeliveryOutcome outcome() {
            return outcome;
        }
    }

    /** One page of a search: the issues and the token of the next page (null on the last). */
    public record Page(List<JsonNode> issues, String nextPageToken) {
    }

    /** A transition an issue may take, with the status it leads to and that status's category key. */
    public record Transition(String id, String name, String toName, String toCategory) {
    }

    /** A project version. */
    public record Version(String id, String name, boolean released) {
    }

    /** {@code POST /rest/api/3/search/jql}: one page of issues matching {@code jql}, with {@code fields}. */
    public Page search(String jql, List<String> fields, int maxResults, String pageToken) {
        ObjectNode body = JSON.createObjectNode().put("jql", jql).put("maxResults", maxResults);
        fields.forEach(body.putArray("fields")::add);
        if (pageToken != null) {
            body.put("nextPageToken", pageToken);
        }
        JsonNode answer = call("POST", SEARCH, body);
        List<JsonNode> issues = new ArrayList<>();
        answer.path("issues").forEach(issues::add);
        String next = answer.path("nextPageToken").asText(null);
        boolean last = answer.path("isLast").asBoolean(next == null) || next == null || next.isEmpty();
        return new Page(issues, last ? null : next);
    }

    /** {@code GET /rest/api/3/issue/{key}/transitions}: the transitions available to the caller now. */
    public List<Transition> transitions(String issueKey) {
        JsonNode answer = call("GET", "rest/api/3/issue/" + segment(issueKey) + "/transitions", null);
        List<Transition> transitions = new ArrayList<>();
        answer.path("transitions").forEach(t -> transitions.add(new Transition(t.path("id").asText(),
                t.path("name").asText(), t.path("to").path("name").asText(),
                t.path("to").path("statusCategory").path("key").asText())));
        return transitions;
    }

    /** {@code POST /rest/api/3/issue/{key}/transitions} with {@code {"transition":{"id":...}}}; Jira answers 204. */
    public void transition(String issueKey, String transitionId) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("transition").put("id", transitionId);
        call("POST", "rest/api/3/issue/" + segment(issueKey) + "/transitions", body);
    }

    /** {@code POST /rest/api/3/issue/{key}/comment} with an ADF body; the new comment's id. */
    public String comment(String issueKey, ObjectNode document) {
        ObjectNode body = JSON.createObjectNode();
        body.set("body", document);
        return call("POST", "rest/api/3/issue/" + segment(issueKey) + "/comment", body).path("id").asText(null);
    }

    /** {@code GET /rest/api/3/project/{key}/versions}: every version of the project. */
    public List<Version> versions(String projectKey) {
        JsonNode answer = call("GET", "rest/api/3/project/" + segment(projectKey) + "/versions", null);
        List<Version> versions = new ArrayList<>();
        answer.forEach(v -> versions.add(new Version(v.path("id").asText(), v.path("name").asText(),
                v.path("released").asBoolean(false))));
        return versions;
    }

    /** {@code PUT /rest/api/3/version/{id}} with {@code released: true} and the release date. */
    public void release(String versionId, LocalDate releaseDate) {
        ObjectNode body = JSON.createObjectNode().put("released", true).put("releaseDate", releaseDate.toString());
        call("PUT", "rest/api/3/version/" + segment(versionId), body);
    }

    /** {@code POST /rest/api/3/issue} with {@code fields}; the new issue's key. */
    public String createIssue(ObjectNode fields) {
        ObjectNode body = JSON.createObjectNode();
        body.set("fields", fields);
        return call("POST", "rest/api/3/issue", body).path("key").asText();
    }

    /** The URL of {@code path} under the site, for dry-run lines. */
    URI url(String path) {
        return base.resolve(path);
    }

    private JsonNode call(String method, String path, ObjectNode body) {
        String what = method + " /" + path;
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("Authorization", authorization.value());
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Failed(new DeliveryOutcome.Retry(Duration.ZERO, false, what + ": I/O error talking to Jira: "
                    + e.getClass().getSimpleName()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed(new DeliveryOutcome.Retry(Duration.ZERO, false, what + ": interrupted"));
        }
        int status = response.statusCode();
        if (status < 200 || status >= 300) {
            throw new Failed(JiraResponses.classify(what, status, response.headers().firstValue("Retry-After"),
                    response.headers().firstValue("X-RateLimit-Reset"), response.body(), clock.instant()));
        }
        String text = response.body();
        if (text == null || text.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new Failed(new DeliveryOutcome.Retry(Duration.ZERO, false, what + ": HTTP " + status
                    + " with a body that is not JSON"));
        }
    }

    /** One path segment, percent-encoded (issue and project keys are plain, but they come from answers and config). */
    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
