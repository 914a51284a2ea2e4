package dev.shipstream.streams.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.Source;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NormalizerProperties {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Normalizers NORMALIZERS = new Normalizers();

    /** One unknown field to add: to which object of the tree (index modulo their count), under what name, what. */
    record Addition(int objectIndex, String name, JsonNode value) {
    }

    @Property(tries = 500)
    void neverThrowsForArbitraryBytes(@ForAll Source source, @ForAll @Size(max = 512) byte[] body) {
        assertWellFormedOutcome(NORMALIZERS.normalize(Payloads.raw(source, body)));
    }

    @Property(tries = 500)
    void neverThrowsForJsonLikeText(@ForAll Source source, @ForAll("jsonLike") String body) {
        assertWellFormedOutcome(NORMALIZERS.normalize(Payloads.raw(source, body)));
    }

    @Property(tries = 300)
    void neverThrowsForDamagedFixtures(@ForAll("fixtures") String path, @ForAll @IntRange(max = 4000) int cut,
                                       @ForAll byte replacement, @ForAll @IntRange(max = 4000) int at) {
        byte[] bytes = Payloads.bytes(path);
        byte[] damaged = Arrays.copyOf(bytes, Math.min(cut, bytes.length));
        if (damaged.length > 0) {
            damaged[at % damaged.length] = replacement;
        }
        assertWellFormedOutcome(NORMALIZERS.normalize(Payloads.raw(Payloads.all().get(path), damaged)));
    }

    @Property(tries = 300)
    void unknownFieldsAnywhereChangeNothing(@ForAll("fixtures") String path,
                                            @ForAll("additions") List<Addition> additions) throws IOException {
        Source source = Payloads.all().get(path);
        DeliveryEvent original = Payloads.event(source, path);
        JsonNode tree = MAPPER.readTree(Payloads.bytes(path));
        List<ObjectNode> objects = new ArrayList<>();
        collectObjects(tree, objects);
        for (Addition addition : additions) {
            ObjectNode target = objects.get(addition.objectIndex() % objects.size());
            target.set(addition.name(), addition.value());
        }

        DeliveryEvent extended = Payloads.eventOf(NORMALIZERS.normalize(
                Payloads.raw(source, MAPPER.writeValueAsBytes(tree))));

        assertThat(extended).isEqualTo(original);
    }

    @Provide
    Arbitrary<String> fixtures() {
        return Arbitraries.of(List.copyOf(Payloads.all().keySet()));
    }

    @Provide
    Arbitrary<List<Addition>> additions() {
        Arbitrary<String> names = Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12)
                .map(s -> "zz_" + s);
        Arbitrary<Addition> addition = Combinators.combine(
                Arbitraries.integers().between(0, 1000), names, values()).as(Addition::new);
        return addition.list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<String> jsonLike() {
        // Tokens of the providers' payloads, so random sequences often parse and reach the field-reading code.
        return Arbitraries.of("{", "}", "[", "]", ":", ",", "\"data\"", "\"type\"", "\"id\"", "\"status\"",
                        "\"state\"", "\"attributes\"", "\"relationships\"", "\"instance\"", "\"links\"",
                        "\"self\"", "\"timestamp\"", "\"newValue\"", "\"artifacts\"", "\"submissionInfo\"",
                        "\"buildInfo\"", "\"finished\"", "\"metrics\"", "\"buildEndTimestamp\"",
                        "\"webhookPingCreated\"", "\"2025-12-26T15:47:38.472168681Z\"", "\"x\"", "1", "-1.5e3",
                        "99999999999999999999999", "null", "true", "\"\"")
                .list().ofMaxSize(60)
                .map(tokens -> String.join("", tokens))
                .edgeCases(c -> c.add("{\"data\":{\"type\":\"webhookPingCreated\",\"id\":\"p\"}}"));
    }

    private static Arbitrary<JsonNode> values() {
        // The decoy repeats the field names the normalisers look for, nested where they must not be read.
        ObjectNode decoy = NODES.objectNode()
                .put("id", "decoy-id").put("type", "decoy-type").put("status", "decoy").put("state", "decoy")
                .put("newValue", "DECOY").put("newState", "DECOY").put("timestamp", "2001-01-01T00:00:00Z");
        decoy.set("data", NODES.objectNode().put("type", "decoys").put("id", "d"));
        ArrayNode array = NODES.arrayNode().add(1).add("two").add(decoy.deepCopy());
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20).map(NODES::textNode),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.doubles().map(NODES::numberNode),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.just(NODES.nullNode()),
                Arbitraries.just(decoy).map(JsonNode::deepCopy),
                Arbitraries.just(array).map(JsonNode::deepCopy));
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> into) {
        if (node.isObject()) {
            into.add((ObjectNode) node);
            node.properties().forEach(field -> collectObjects(field.getValue(), into));
        } else if (node.isArray()) {
            node.forEach(child -> collectObjects(child, into));
        }
    }

    private static void assertWellFormedOutcome(Normalization outcome) {
        assertThat(outcome).isNotNull();
        if (outcome instanceof Normalization.Unparseable unparseable) {
            assertThat(unparseable.reason()).isNotBlank().hasSizeLessThan(120);
        } else {
            DeliveryEvent event = ((Normalization.Normalized) outcome).event();
            assertThat(event.getEntityKey()).isNotBlank();
            assertThat(event.getEventId()).isNotBlank();
        }
    }
}
