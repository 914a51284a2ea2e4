package dev.shipstream.connect.common;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;

/**
 * Renders Mustache templates (mustache.java) over an event's fields. {@code {{field}}} is escaped with the target's
 * escaper (e.g. Slack mrkdwn's {@code & < >}), {@code {{{field}}}} is inserted as is; missing values render empty;
 * nested fields read with dots ({@code {{app.name}}}, {@code {{extras.feedbackComment}}}). A template is compiled
 * when it is created, so a syntax error shows when the connector starts, not on the first event.
 */
public final class TemplateRenderer {

    private final Mustache mustache;

    private TemplateRenderer(Mustache mustache) {
        this.mustache = mustache;
    }

    /**
     * Compiles a template.
     *
     * @throws IllegalArgumentException if the template does not compile (unclosed section, bad delimiter)
     */
    public static TemplateRenderer compile(String name, String template, UnaryOperator<String> escaper) {
        DefaultMustacheFactory factory = new DefaultMustacheFactory() {
            @Override
            public void encode(String value, Writer writer) {
                try {
                    writer.write(escaper.apply(value));
                } catch (IOException e) {
                    throw new MustacheException("Failed to encode value: " + value, e);
                }
            }
        };
        try {
            return new TemplateRenderer(factory.compile(new StringReader(template), name));
        } catch (MustacheException e) {
            throw new IllegalArgumentException(name + ": the template does not compile: " + e.getMessage(), e);
        }
    }

    /** The rendered text, with surrounding whitespace removed. */
    public String render(Map<String, Object> context) {
        StringWriter out = new StringWriter();
        try {
            mustache.execute(out, context).flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().strip();
    }
}
