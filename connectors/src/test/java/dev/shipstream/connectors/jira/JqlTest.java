package dev.shipstream.connectors.jira;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import org.junit.jupiter.api.Test;

class JqlTest {

    @Test
    void quotesAndBackslashesAreEscapedInsideOneLiteral() {
        assertThat(Jql.quote("2.3\" OR project = \"OPS")).isEqualTo("\"2.3\\\" OR project = \\\"OPS\"");
        assertThat(Jql.quote("a\\b")).isEqualTo("\"a\\\\b\"");
        assertThat(Jql.quote("line\nbreak\u0001")).isEqualTo("\"line\\nbreak\\u0001\"");
    }

    @Test
    void fixVersionQueryNamesTheProjectAndTheVersionAsData() {
        assertThat(Jql.fixVersionIssues("MOB", "2.3.0"))
                .isEqualTo("project = \"MOB\" AND fixVersion = \"2.3.0\" ORDER BY key ASC");
    }

    /** Whatever the value, the literal is one JQL string that reads back as the value. */
    @Property
    void everyValueIsOneLiteralThatReadsBackAsItself(@ForAll String value) {
        assertReadsBack(value);
    }

    /** The same over ASCII only, where quotes, backslashes and control characters are dense. */
    @Property
    void everyAsciiValueIsOneLiteralThatReadsBackAsItself(@ForAll @CharRange(from = 0, to = 127) String value) {
        assertReadsBack(value);
    }

    private static void assertReadsBack(String value) {
        String literal = Jql.quote(value);
        assertThat(literal).startsWith("\"").endsWith("\"");
        assertThat(unquote(literal)).isEqualTo(value);
    }

    /** JQL's reading of a quoted string: ends at the first unescaped quote, which must be the last character. */
    private static String unquote(String literal) {
        StringBuilder out = new StringBuilder();
        int i = 1;
        while (true) {
            char c = literal.charAt(i);
            if (c == '"') {
                assertThat(i).as("the literal ends at its last character").isEqualTo(literal.length() - 1);
                return out.toString();
            }
            if (c == '\\') {
                char e = literal.charAt(++i);
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(literal.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                    default -> out.append(e);
                }
            } else {
                out.append(c);
            }
            i++;
        }
    }
}
