package dev.shipstream.connectors.jira;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds an Atlassian Document Format document ({@code {"type":"doc","version":1,"content":[...]}}), the rich text
 * Jira's v3 API takes for descriptions and comments. Values are set as JSON strings by Jackson, so event data is
 * never markup. Keeps ADF's rules: a {@code text} node is never empty (empty values are left out), links are only
 * http(s) (anything else stays plain text), and each text is cut to {@link #MAX_TEXT} characters so one crash log
 * cannot exceed Jira's 32,767-character field limit.
 */
public final class JiraDocument {

    static final int MAX_TEXT = 8_000;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectNode doc = NODES.objectNode();
    private final ArrayNode content;

    private JiraDocument() {
        doc.put("type", "doc").put("version", 1);
        content = doc.putArray("content");
    }

    public static JiraDocument create() {
        return new JiraDocument();
    }

    /** One paragraph per block of text separated by a blank line; single line breaks become hard breaks. */
    public JiraDocument text(String text) {
        if (isEmpty(text)) {
            return this;
        }
        for (String block : text.strip().split("\\n\\s*\\n")) {
            ArrayNode inline = paragraph();
            String[] lines = block.split("\\n");
            for (int i = 0; i < lines.length; i++) {
                if (i > 0) {
                    inline.addObject().put("type", "hardBreak");
                }
                addText(inline, lines[i], null);
            }
        }
        return this;
    }

    /** A paragraph {@code <label>: <value>} with the label in bold; nothing when the value is empty. */
    public JiraDocument field(String label, String value) {
        if (isEmpty(value)) {
            return this;
        }
        ArrayNode inline = paragraph();
        addText(inline, label + ": ", "strong");
        addText(inline, value, null);
        return this;
    }

    /** A code block (e.g. a crash log); nothing when empty. */
    public JiraDocument code(String text) {
        if (isEmpty(text)) {
            return this;
        }
        ObjectNode block = content.addObject().put("type", "codeBlock");
        block.putObject("attrs").put("language", "text");
        block.putArray("content").addObject().put("type", "text").put("text", cut(text));
        return this;
    }

    /** A paragraph with a link; plain text when {@code href} is not http(s); nothing when it is empty. */
    public JiraDocument link(String label, String href) {
        if (isEmpty(href)) {
            return this;
        }
        ArrayNode inline = paragraph();
        ObjectNode text = inline.addObject().put("type", "text").put("text", cut(label + ": " + href));
        if (href.startsWith("https://") || href.startsWith("http://")) {
            text.put("text", cut(label));
            text.putArray("marks").addObject().put("type", "link").putObject("attrs").put("href", href);
        }
        return this;
    }

    /** A bullet list with one item per non-empty entry; nothing when all are empty. */
    public JiraDocument bullets(Iterable<String> items) {
        ArrayNode list = null;
        for (String item : items) {
            if (isEmpty(item)) {
                continue;
            }
            if (list == null) {
                list = content.addObject().put("type", "bulletList").putArray("content");
            }
            ArrayNode inline = list.addObject().put("type", "listItem").putArray("content")
                    .addObject().put("type", "paragraph").putArray("content");
            addText(inline, item, null);
        }
        return this;
    }

    /** The document; a document with no content gets one paragraph saying so (ADF needs a non-empty text). */
    public ObjectNode build() {
        if (content.isEmpty()) {
            text("(no details)");
        }
        return doc.deepCopy();
    }

    private ArrayNode paragraph() {
        return content.addObject().put("type", "paragraph").putArray("content");
    }

    private static void addText(ArrayNode inline, String text, String mark) {
        if (isEmpty(text)) {
            return;
        }
        ObjectNode node = inline.addObject().put("type", "text").put("text", cut(text));
        if (mark != null) {
            node.putArray("marks").addObject().put("type", mark);
        }
    }

    private static boolean isEmpty(String text) {
        return text == null || text.isBlank();
    }

    private static String cut(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }
}
