package dev.shipstream.schemas.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.shipstream.schemas.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link EntityKeys} refuses a body with a field name repeated within any one object, wherever that object is (in
 * the entity's path or in a skipped value, in small objects and in objects of many names), exactly as Jackson's
 * {@code STRICT_DUPLICATE_DETECTION} does: the oracle here, and the guard for any faster scan of the body (a scan
 * with its own list of names per object was tried and measured no faster, see docs/benchmarks.md).
 */
class EntityKeysDuplicateProperties {

    private static final JsonMapper STRICT =
            JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    @Property(tries = 300)
    void aBodyIsUnparsedExactlyWhenJacksonFindsADuplicateName(@ForAll("values") String extra) {
        for (String json : List.of(
                "{\"data\":{\"type\":\"t\",\"id\":\"1\",\"attributes\":" + extra + "}}",
                "{\"x\":" + extra + ",\"data\":{\"type\":\"t\",\"relationships\":{\"instance\":{\"data\":"
                        + "{\"type\":\"v\",\"id\":\"2\",\"e\":" + extra + "}}},\"id\":\"1\"}}")) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            String key = EntityKeys.keyOf(Source.APP_STORE_CONNECT, body);
            if (hasDuplicate(json)) {
                assertThat(key).as(json).isEqualTo(EntityKeys.unparsed(body));
            } else {
                assertThat(key).as(json).startsWith("asc:");
            }
        }
    }

    @Example
    void aDuplicateAfterManyNamesIsFoundAndManyDistinctNamesAreNot() {
        String many = java.util.stream.IntStream.range(0, 40).mapToObj(i -> "\"n" + i + "\":" + i)
                .collect(Collectors.joining(","));
        assertThat(key("{\"data\":{\"type\":\"t\",\"id\":\"1\",\"attributes\":{" + many + "}}}"))
                .isEqualTo("asc:t:1");
        assertThat(key("{\"data\":{\"type\":\"t\",\"id\":\"1\",\"attributes\":{" + many + ",\"n3\":0}}}"))
                .startsWith("unparsed:");
        // The names of an inner object do not clash with its outer object's, before or after either has many.
        assertThat(key("{\"data\":{\"type\":\"t\",\"attributes\":{" + many + ",\"o\":{\"type\":1," + many
                + "}},\"id\":\"1\"}}")).isEqualTo("asc:t:1");
        assertThat(key("{\"data\":{\"type\":\"t\",\"id\":\"1\",\"type\":\"u\"}}")).startsWith("unparsed:");
        assertThat(key("{\"data\":{\"type\":\"t\",\"id\":\"1\"},\"z\":[{\"a\":1},{\"a\":1,\"a\":2}]}"))
                .startsWith("unparsed:");
    }

    private static String key(String json) {
        return EntityKeys.keyOf(Source.APP_STORE_CONNECT, json.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean hasDuplicate(String json) {
        try {
            STRICT.readTree(json);
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.recursive(this::scalar, this::container, 0, 4);
    }

    private Arbitrary<String> scalar() {
        return Arbitraries.of("1", "\"s\"", "true", "null", "[]", "{}", "2.5");
    }

    private Arbitrary<String> container(Arbitrary<String> inner) {
        // Names from a small alphabet, so that objects repeat a name often but not always, up to beyond 16 names.
        Arbitrary<String> names = Arbitraries.strings().withChars("abc").ofMinLength(1).ofMaxLength(3);
        Arbitrary<String> object = names.flatMap(name -> inner.map(value -> "\"" + name + "\":" + value))
                .list().ofMaxSize(24).map(members -> "{" + String.join(",", members) + "}");
        Arbitrary<String> array = inner.list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]");
        return Arbitraries.oneOf(object, object, array);
    }
}
