package dev.shipstream.connectors.jira;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipstream.connect.common.DeliveryLedger;
import dev.shipstream.connect.common.DeliveryOutcome;

/**
 * The release action (use case 3): for version X of the project, every issue with {@code fixVersion = "X"} is
 * moved to done and commented, then the Jira version is marked released with the release date.
 *
 * <ol>
 *   <li>{@code GET /project/{key}/versions} finds version X (none: permanent, nothing changed).</li>
 *   <li>{@code POST /search/jql} pages through the issues ({@code nextPageToken}); the query does not depend on
 *   status, so moving issues does not shift the pages.</li>
 *   <li>Per issue: one whose status is already in the {@code done} category (and that this action did not move) is
 *   skipped; otherwise its transitions are read and the one named by the done status (the transition's name or its
 *   target status's name), or else the first leading to the {@code done} category, is taken: never a fixed id,
 *   since ids differ per workflow. Then the release comment is added.</li>
 *   <li>{@code PUT /version/{id}} with {@code released: true} unless it already is.</li>
 * </ol>
 *
 * <p>Re-running after a failure part way (a 429, a 409, a crash) does nothing twice: each issue's progress is kept
 * in the ledger under {@code <progress key>:<issue key>} ({@code transitioned}, then {@code commented}), and an
 * issue Jira already shows done is not touched again. An issue with no transition to done is reported (permanent,
 * naming it and its transitions) after the others are done, and the version is then left unreleased.
 */
final class JiraRelease {

    static final String TRANSITIONED = "transitioned";
    static final String COMMENTED = "commented";

    private final JiraClient client;
    private final DeliveryLedger ledger;
    private final String project;
    private final String doneStatus;
    private final int pageSize;

    /** {@code doneStatus} null: the first transition to the {@code done} status category. */
    JiraRelease(JiraClient client, DeliveryLedger ledger, String project, String doneStatus, int pageSize) {
        this.client = client;
        this.ledger = ledger;
        this.project = project;
        this.doneStatus = doneStatus;
        this.pageSize = pageSize;
    }

    /** Releases {@code version}; {@code progressKey} prefixes the per-issue ledger keys of this event and rule. */
    DeliveryOutcome run(String progressKey, String version, LocalDate releaseDate, ObjectNode comment) {
        try {
            Optional<JiraClient.Version> jiraVersion = client.versions(project).stream()
                    .filter(v -> v.name().equals(version)).findFirst();
            if (jiraVersion.isEmpty()) {
                return new DeliveryOutcome.Permanent("project " + project + " has no version '" + version + "'");
            }
            int moved = 0;
            int skipped = 0;
            List<String> stuck = new ArrayList<>();
            String pageToken = null;
            do {
                JiraClient.Page page = client.search(Jql.fixVersionIssues(project, version), List.of("status"),
                        pageSize, pageToken);
                for (JsonNode issue : page.issues()) {
                    switch (moveToDone(progressKey, issue, comment, stuck)) {
                        case MOVED -> moved++;
                        case SKIPPED -> skipped++;
                        case NO_TRANSITION -> { }
                    }
                }
                pageToken = page.nextPageToken();
            } while (pageToken != null);
            if (!stuck.isEmpty()) {
                return new DeliveryOutcome.Permanent("no transition to " + target() + " for " + String.join(", ", stuck)
                        + " (moved " + moved + "); version " + version + " left unreleased");
            }
            if (!jiraVersion.get().released()) {
                client.release(jiraVersion.get().id(), releaseDate);
            }
            return new DeliveryOutcome.Delivered("moved " + moved + ", skipped " + skipped + ", released "
                    + version);
        } catch (JiraClient.Failed failed) {
            return failed.outcome();
        }
    }

    private enum Step { MOVED, SKIPPED, NO_TRANSITION }

    private Step moveToDone(String progressKey, JsonNode issue, ObjectNode comment, List<String> stuck) {
        String key = issue.path("key").asText();
        String progressOf = progressKey + ":" + key;
        String progress = ledger.lookup(progressOf).orElse(null);
        if (COMMENTED.equals(progress)) {
            return Step.MOVED;
        }
        if (progress == null) {
            String category = issue.path("fields").path("status").path("statusCategory").path("key").asText();
            if ("done".equals(category)) {
                return Step.SKIPPED;
            }
            List<JiraClient.Transition> transitions = client.transitions(key);
            Optional<JiraClient.Transition> toDone = doneTransition(transitions, doneStatus);
            if (toDone.isEmpty()) {
                stuck.add(key + " (transitions: " + String.join(", ",
                        transitions.stream().map(t -> t.name() + " → " + t.toName()).toList()) + ")");
                return Step.NO_TRANSITION;
            }
            client.transition(key, toDone.get().id());
            ledger.record(progressOf, TRANSITIONED);
        }
        client.comment(key, comment);
        ledger.record(progressOf, COMMENTED);
        return Step.MOVED;
    }

    /**
     * The transition to take: the one whose name or target status is {@code doneStatus} (case-insensitive), or, with
     * none configured, the first whose target status is in the {@code done} category.
     */
    static Optional<JiraClient.Transition> doneTransition(List<JiraClient.Transition> transitions, String doneStatus) {
        if (doneStatus != null) {
            return transitions.stream()
                    .filter(t -> t.name().equalsIgnoreCase(doneStatus) || t.toName().equalsIgnoreCase(doneStatus))
                    .findFirst();
        }
        return transitions.stream().filter(t -> "done".equals(t.toCategory())).findFirst();
    }

    private String target() {
        return doneStatus != null ? "'" + doneStatus + "'" : "a status of category done";
    }
}
