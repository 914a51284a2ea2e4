package dev.shipstream.connectors.jira;

import java.util.Locale;

/** What a rule does in Jira ({@code rule.<name>.action}). */
public enum JiraAction {
    /** Move the version's issues to done, comment them and release the Jira version. */
    RELEASE,
    /** Create an issue for the event's entity, once. */
    CREATE,
    /** Comment on the issue created for the same version or build. */
    COMMENT;

    /** The action named {@code text} (case-insensitive), or null. */
    static JiraAction parse(String text) {
        if (text == null) {
            return null;
        }
        for (JiraAction action : values()) {
            if (action.name().equalsIgnoreCase(text.strip())) {
                return action;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
