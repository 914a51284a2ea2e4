package dev.shipstream.connectors.jira;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

import dev.shipstream.connect.common.EventLabels;

/**
 * The stable names that make issue creation idempotent and let later events find "the issue of this version":
 * <ul>
 *   <li>the <b>entity label</b> {@code shipstream-<hash of project, rule, entity key>}: one issue per rule and
 *   entity (a build upload, an App Store version, a feedback submission); create searches for it first, so a retry
 *   or a redelivery never opens a second issue, even without the ledger;</li>
 *   <li>the <b>subject</b>: the app and its version, else its build, else the entity; the <b>subject label</b>
 *   {@code shipstream-subject-<hash>} and the ledger key {@code jira-issue:<connector>:<project>:<subject>} lead a
 *   comment rule to the issue created for the same version or build.</li>
 * </ul>
 * Labels hold only a hash (Jira labels may not contain spaces, and event values stay out of the query). Pure.
 */
final class JiraSubjects {

    static final String LABEL_PREFIX = "shipstream-";

    private JiraSubjects() {
    }

    static String entityLabel(String project, String rule, Map<String, Object> fields) {
        return LABEL_PREFIX + hash(project + "\n" + rule + "\n" + fields.get("entityKey"));
    }

    static String subjectLabel(String project, Map<String, Object> fields) {
        return LABEL_PREFIX + "subject-" + hash(project + "\n" + subject(fields));
    }

    static String ledgerKey(String connector, String project, Map<String, Object> fields) {
        return "jira-issue:" + connector + ":" + project + ":" + subject(fields);
    }

    /** {@code <app id>:v<version>}, else {@code :b<build>}, else {@code :e<entity key>}. */
    static String subject(Map<String, Object> fields) {
        Object appId = fields.get("app") instanceof Map<?, ?> app ? app.get("id") : null;
        String version = EventLabels.text(fields.get("versionString"));
        String build = EventLabels.text(fields.get("buildNumber"));
        String of = version != null ? "v" + version : build != null ? "b" + build : "e" + fields.get("entityKey");
        return appId + ":" + of;
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
