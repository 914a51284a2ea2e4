package dev.shipstream.connectors.jira;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipstream.connect.common.DeliveryOutcome;

/**
 * The create action (a rejection, a failed build, a TestFlight crash): searches the project for the entity label
 * first ({@code labels = "shipstream-<hash>"}) and creates the issue only when none has it, so a retry after a lost
 * answer, a redelivery or a restart without the ledger never opens a second issue. Delivered with the issue's key
 * (new or found), which the task remembers for comment rules.
 *
 * <p>The one window left is Jira's search index: it is eventually consistent, so a retry within moments of a
 * create whose answer was lost may not see the new issue yet.
 */
final class JiraIssueCreation {

    private final JiraClient client;
    private final String project;

    JiraIssueCreation(JiraClient client, String project) {
        this.client = client;
        this.project = project;
    }

    /** Creates the issue of {@code fields} unless one with {@code entityLabel} exists. */
    DeliveryOutcome run(String entityLabel, ObjectNode fields) {
        try {
            JiraClient.Page existing = client.search(Jql.labelled(project, entityLabel), List.of("key"), 1, null);
            if (!existing.issues().isEmpty()) {
                return new DeliveryOutcome.Delivered(existing.issues().get(0).path("key").asText());
            }
            return new DeliveryOutcome.Delivered(client.createIssue(fields));
        } catch (JiraClient.Failed failed) {
            return failed.outcome();
        }
    }
}
