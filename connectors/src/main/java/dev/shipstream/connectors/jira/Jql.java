package dev.shipstream.connectors.jira;

/**
 * Builds JQL from values that come from events, always as quoted string literals: a version such as
 * {@code 2.3" OR project = "OTHER} stays one value and can never become part of the query. Inside a quoted JQL
 * string a double quote, a backslash, tab, newline and carriage return are written with a backslash escape; other
 * control characters as a backslash-u escape of four hex digits. Pure.
 */
public final class Jql {

    private Jql() {
    }

    /** {@code value} as a double-quoted JQL string literal. */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** {@code project = "<project>" AND fixVersion = "<version>"}. */
    public static String fixVersionIssues(String project, String version) {
        return "project = " + quote(project) + " AND fixVersion = " + quote(version) + " ORDER BY key ASC";
    }

    /** {@code project = "<project>" AND labels = "<label>"}, newest first. */
    public static String labelled(String project, String label) {
        return "project = " + quote(project) + " AND labels = " + quote(label) + " ORDER BY created DESC";
    }
}
