package dev.shipstream.connectors.jira;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipstream.connect.common.DeliveryLedger;
import dev.shipstream.connect.common.DeliveryOutcome;

/**
 * The comment action: adds a comment to the issue created for the same version or build, found through the
 * ledger ({@code jira-issue:...}, written when the issue was created) or, failing that (another connector created
 * it, the ledger was lost), by the subject label, newest first. No such issue: nothing to comment on, delivered
 * with no id.
 */
final class JiraComment {

    private final JiraClient client;
    private final DeliveryLedger ledger;
    private final String project;

    JiraComment(JiraClient client, DeliveryLedger ledger, String project) {
        this.client = client;
        this.ledger = ledger;
        this.project = project;
    }

    DeliveryOutcome run(String ledgerKey, String subjectLabel, ObjectNode comment) {
        try {
            Optional<String> issue = ledger.lookup(ledgerKey);
            if (issue.isEmpty()) {
                JiraClient.Page found = client.search(Jql.labelled(project, subjectLabel), List.of("key"), 1, null);
                issue = found.issues().stream().map(i -> i.path("key").asText()).findFirst();
            }
            if (issue.isEmpty()) {
                return new DeliveryOutcome.Delivered(null);
            }
            client.comment(issue.get(), comment);
            return new DeliveryOutcome.Delivered(issue.get());
        } catch (JiraClient.Failed failed) {
            return failed.outcome();
        }
    }
}
