package dev.shipstream.streams.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.shipstream.schemas.AuthScheme;
import dev.shipstream.schemas.Authentication;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.EventCategory;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Source;
import dev.shipstream.streams.enrich.EnrichmentExtras;
import dev.shipstream.streams.enrich.EnrichmentStage;
import dev.shipstream.streams.topology.CloudEventsHeaders;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Keeps {@code docs/events.md} true: every example record in it is recomputed from the code and compared with the
 * document.
 *
 * <p>An example is a fenced {@code json} block preceded by {@code <!-- example: <dir>/<file>.json -->}. Its input is
 * the payload fixture {@code src/test/resources/payloads/<dir>/<file>.json}, or, when the document itself holds the
 * input (for the UNKNOWN category, which no real fixture can show), the fenced block preceded by
 * {@code <!-- example-input: <dir>/<file>.json -->}; its body is that block's text without the final newline. The
 * directory names the source ({@code asc}, {@code eas}, {@code appflow}).
 *
 * <p>Each input is wrapped as the ingress publishes it (fixed receive time and request id), normalised by
 * {@link Normalizers}, passed through the real not-configured enrichment stage (the last step that changes a value
 * when no App Store Connect API key is set), round-tripped through Avro binary, and rendered with the key and the
 * {@link CloudEventsHeaders} the topology adds. The rendering must equal the block character for character. On a
 * mismatch the expected rendering is written to {@code target/events-doc/<dir>/<file>.json}.
 *
 * <p>Also pinned: one example per {@link EventCategory}, and every extras key of {@link ExtraKeys} and
 * {@link EnrichmentExtras} named in the document.
 */
class EventVocabularyDocTest {

    /** The receive time of every example; also the record timestamp. */
    static final Instant RECEIVED_AT = Instant.parse("2026-01-02T03:04:05.678Z");
    /** The ingress request id of every example. */
    static final String REQUEST_ID = "req-7f3a";
    /** The stream thread's wall clock when the enrichment stage marks an event. */
    static final Instant ENRICHMENT_AT = Instant.parse("2026-01-02T03:04:05.731Z");

    private static final Path DOC = Path.of("..", "docs", "events.md");
    private static final Path OUT = Path.of("target", "events-doc");
    private static final Pattern EXAMPLE = Pattern.compile("^<!-- example: ([a-z]+/[A-Za-z0-9._-]+\\.json) -->$");
    private static final Pattern INPUT = Pattern.compile("^<!-- example-input: ([a-z]+/[A-Za-z0-9._-]+\\.json) -->$");

    @Test
    void everyExampleIsWhatTheCodeProduces() throws IOException {
        List<String> lines = Files.readAllLines(doc(), StandardCharsets.UTF_8);
        Map<String, String> inputs = blocks(lines, INPUT);
        Map<String, String> examples = blocks(lines, EXAMPLE);
        assertThat(examples).as("examples in %s", DOC).isNotEmpty();
        deleteRenderingsOfEarlierRuns();

        List<String> mismatches = new ArrayList<>();
        Map<EventCategory, List<String>> byCategory = new EnumMap<>(EventCategory.class);
        MockProcessorContext<String, DeliveryEvent> context = new MockProcessorContext<>();
        for (Map.Entry<String, String> example : examples.entrySet()) {
            String name = example.getKey();
            byte[] body = inputs.containsKey(name)
                    ? inputs.get(name).getBytes(StandardCharsets.UTF_8)
                    : fixture(name);
            DeliveryEvent event = published(sourceOf(name), body, context);
            byCategory.computeIfAbsent(event.getCategory(), c -> new ArrayList<>()).add(name);
            String expected = render(event);
            if (!expected.equals(example.getValue())) {
                Path out = OUT.resolve(name);
                Files.createDirectories(out.getParent());
                Files.writeString(out, expected + "\n", StandardCharsets.UTF_8);
                mismatches.add(name + " (the code's rendering is in " + out.toAbsolutePath() + ")");
            }
        }
        if (!mismatches.isEmpty()) {
            fail("docs/events.md differs from what the code produces for:\n  " + String.join("\n  ", mismatches)
                    + "\nCheck the change is intended, then copy each file into its block.");
        }
        for (EventCategory category : EventCategory.values()) {
            assertThat(byCategory.get(category)).as("examples of category %s", category).hasSize(1);
        }
    }

    @Test
    void everyExtrasKeyIsDocumented() throws IOException {
        String doc = Files.readString(doc(), StandardCharsets.UTF_8);
        List<String> missing = new ArrayList<>();
        for (Class<?> keys : List.of(ExtraKeys.class, EnrichmentExtras.class)) {
            for (Field field : keys.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (Modifier.isStatic(modifiers) && Modifier.isPublic(modifiers) && field.getType() == String.class) {
                    String key = (String) readStatic(field);
                    if (!doc.contains("`" + key + "`")) {
                        missing.add(keys.getSimpleName() + "." + field.getName() + " (`" + key + "`)");
                    }
                }
            }
        }
        assertThat(missing).as("extras keys not named in docs/events.md").isEmpty();
    }

    @Test
    void theRenderingFailsOnADifference() {
        // The comparison is worth something only if a changed field changes the rendering.
        DeliveryEvent event = published(Source.EAS, fixture("eas/build-errored.json"),
                new MockProcessorContext<>());
        DeliveryEvent changed = DeliveryEvent.newBuilder(event).setNewState("finished").build();
        assertThat(render(changed)).isNotEqualTo(render(event));
    }

    private static void deleteRenderingsOfEarlierRuns() throws IOException {
        if (Files.isDirectory(OUT)) {
            try (Stream<Path> files = Files.walk(OUT)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    private static Path doc() {
        assertThat(DOC).as("docs/events.md, relative to the streams module").exists();
        return DOC;
    }

    private static Object readStatic(Field field) {
        try {
            return field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fenced block after each marker, keyed by the marker's name, in document order. */
    private static Map<String, String> blocks(List<String> lines, Pattern marker) {
        Map<String, String> blocks = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = marker.matcher(lines.get(i).strip());
            if (!m.matches()) {
                continue;
            }
            int j = i + 1;
            while (j < lines.size() && lines.get(j).isBlank()) {
                j++;
            }
            assertThat(j < lines.size() && lines.get(j).strip().equals("```json"))
                    .as("line %d: a ```json block follows %s", i + 1, lines.get(i)).isTrue();
            List<String> block = new ArrayList<>();
            for (j++; j < lines.size() && !lines.get(j).strip().equals("```"); j++) {
                block.add(lines.get(j));
            }
            assertThat(j).as("line %d: the block after %s is closed", i + 1, lines.get(i)).isLessThan(lines.size());
            assertThat(blocks.put(m.group(1), String.join("\n", block)))
                    .as("%s is marked once", m.group(1)).isNull();
        }
        return blocks;
    }

    private static Source sourceOf(String name) {
        String dir = name.substring(0, name.indexOf('/'));
        return switch (dir) {
            case "asc" -> Source.APP_STORE_CONNECT;
            case "eas" -> Source.EAS;
            case "appflow" -> Source.APPFLOW;
            default -> throw new AssertionError("unknown source directory in " + name);
        };
    }

    private static byte[] fixture(String name) {
        try (InputStream in = EventVocabularyDocTest.class.getResourceAsStream("/payloads/" + name)) {
            assertThat(in).as("fixture payloads/%s", name).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The event as a subscriber reads it from a deployment without an App Store Connect API key. */
    private static DeliveryEvent published(Source source, byte[] body,
                                           MockProcessorContext<String, DeliveryEvent> context) {
        RawWebhook raw = RawWebhook.newBuilder()
                .setSource(source)
                .setEndpointId("default")
                .setReceivedAt(RECEIVED_AT)
                .setRequestId(REQUEST_ID)
                .setBody(ByteBuffer.wrap(body))
                .setAuthentication(new Authentication(AuthScheme.HMAC_SHA256, "s1"))
                .build();
        Normalization normalization = new Normalizers().normalize(raw);
        assertThat(normalization).isInstanceOf(Normalization.Normalized.class);
        DeliveryEvent normalized = ((Normalization.Normalized) normalization).event();

        Processor<String, DeliveryEvent, String, DeliveryEvent> stage =
                EnrichmentStage.notConfigured().processorSupplier().get();
        context.resetForwards();
        context.setCurrentSystemTimeMs(ENRICHMENT_AT.toEpochMilli());
        stage.init(context);
        stage.process(new Record<>(normalized.getEntityKey(), normalized, RECEIVED_AT.toEpochMilli()));
        assertThat(context.forwarded()).hasSize(1);
        DeliveryEvent out = context.forwarded().get(0).record().value();
        try {
            // What the subscriber decodes: the Avro binary form, so only what the schema carries survives.
            return DeliveryEvent.fromByteBuffer(out.toByteBuffer());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Key, CloudEvents headers and value of the published record, as the document shows them. */
    static String render(DeliveryEvent event) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode record = f.objectNode();
        record.put("key", event.getEntityKey());
        ObjectNode headers = record.putObject("headers");
        for (Header header : CloudEventsHeaders.of(event)) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        record.set("value", value(event.getSchema(), event));
        StringBuilder out = new StringBuilder();
        print(record, "", out);
        return out.toString();
    }

    /**
     * Avro data as plain JSON: unions unwrapped, enums as their symbols, timestamp-millis as ISO-8601 instants, map
     * keys sorted (a decoded Avro map has no order).
     */
    private static JsonNode value(Schema schema, Object datum) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (datum == null) {
            return f.nullNode();
        }
        switch (schema.getType()) {
            case UNION -> {
                for (Schema branch : schema.getTypes()) {
                    if (branch.getType() != Schema.Type.NULL) {
                        return value(branch, datum);
                    }
                }
                throw new AssertionError("union without a non-null branch: " + schema);
            }
            case RECORD -> {
                IndexedRecord r = (IndexedRecord) datum;
                ObjectNode node = f.objectNode();
                for (Schema.Field field : schema.getFields()) {
                    node.set(field.name(), value(field.schema(), r.get(field.pos())));
                }
                return node;
            }
            case ARRAY -> {
                ArrayNode node = f.arrayNode();
                for (Object item : (Collection<?>) datum) {
                    node.add(value(schema.getElementType(), item));
                }
                return node;
            }
            case MAP -> {
                ObjectNode node = f.objectNode();
                Map<String, Object> sorted = new TreeMap<>();
                ((Map<?, ?>) datum).forEach((k, v) -> sorted.put(k.toString(), v));
                sorted.forEach((k, v) -> node.set(k, value(schema.getValueType(), v)));
                return node;
            }
            case LONG -> {
                LogicalType logical = schema.getLogicalType();
                if (logical instanceof LogicalTypes.TimestampMillis) {
                    Instant instant = datum instanceof Instant i ? i : Instant.ofEpochMilli((Long) datum);
                    return f.textNode(instant.toString());
                }
                return f.numberNode((Long) datum);
            }
            case INT -> {
                return f.numberNode((Integer) datum);
            }
            case BOOLEAN -> {
                return f.booleanNode((Boolean) datum);
            }
            case STRING, ENUM -> {
                return f.textNode(datum.toString());
            }
            default -> throw new AssertionError("no rendering for " + schema.getType());
        }
    }

    /** Two-space indented JSON with {@code "name": value}; empty containers as {@code {}} and {@code []}. */
    private static void print(JsonNode node, String indent, StringBuilder out) {
        String inner = indent + "  ";
        if (node.isObject()) {
            if (node.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append("{\n");
            Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                out.append(inner).append(new TextNode(field.getKey())).append(": ");
                print(field.getValue(), inner, out);
                out.append(fields.hasNext() ? ",\n" : "\n");
            }
            out.append(indent).append('}');
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append("[\n");
            for (int i = 0; i < node.size(); i++) {
                out.append(inner);
                print(node.get(i), inner, out);
                out.append(i < node.size() - 1 ? ",\n" : "\n");
            }
            out.append(indent).append(']');
        } else {
            out.append(node);
        }
    }
}
