package dev.shipstream.schemas.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shipstream.schemas.Source;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.NotBlank;

/**
 * Properties of the entity key over generated payloads of every source. The ingress and the streams app both call
 * {@link EntityKeys}, so "they agree" holds by construction; what is left to prove is that the key is total, safe,
 * deterministic and unique.
 */
class EntityKeysProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    // The alphabet every key is made of: a prefix, two separators and percent-encoded components.
    private static final String KEY_ALPHABET = "[A-Za-z0-9._~%:-]+";

    @Property
    void anyBytesYieldAKeyOfTheSourceOrUnparsed(@ForAll byte[] body, @ForAll("known") Source source) {
        String key = EntityKeys.keyOf(source, body);

        assertThat(key).matches(KEY_ALPHABET).satisfiesAnyOf(
                k -> assertThat(k).isEqualTo(EntityKeys.unparsed(body)),
                k -> assertThat(k).startsWith(EntityKeys.prefix(source) + ":"));
    }

    @Property
    void anyIdGivesASafeDeterministicKeyWithThreeComponents(@ForAll("known") Source source, @ForAll String id,
            @ForAll String type) throws Exception {
        byte[] body = payload(source, id, type);

        String key = EntityKeys.keyOf(source, body);

        assertThat(key).matches(KEY_ALPHABET).doesNotContainPattern("\\p{Cntrl}")
                .isEqualTo(EntityKeys.keyOf(source, body.clone()));
        if (!id.isBlank() && !type.isBlank()) {
            assertThat(key.split(":", -1)).hasSize(3);
        }
    }

    @Property
    void distinctIdsGiveDistinctKeys(@ForAll("known") Source source, @ForAll @NotBlank String a,
            @ForAll @NotBlank String b) throws Exception {
        Assume.that(!a.equals(b));

        assertThat(EntityKeys.keyOf(source, payload(source, a, "buildUploads")))
                .isNotEqualTo(EntityKeys.keyOf(source, payload(source, b, "buildUploads")));
    }

    @Property
    void distinctAppStoreConnectTypesGiveDistinctKeys(@ForAll @NotBlank String a, @ForAll @NotBlank String b)
            throws Exception {
        Assume.that(!a.equals(b));

        assertThat(EntityKeys.keyOf(Source.APP_STORE_CONNECT, payload(Source.APP_STORE_CONNECT, "1", a)))
                .isNotEqualTo(EntityKeys.keyOf(Source.APP_STORE_CONNECT, payload(Source.APP_STORE_CONNECT, "1", b)));
    }

    @Provide
    Arbitrary<Source> known() {
        return Arbitraries.of(Source.APP_STORE_CONNECT, Source.EAS, Source.APPFLOW);
    }

    /** A realistic payload of {@code source} about the entity {@code id} (and, for ASC, {@code type}). */
    private static byte[] payload(Source source, String id, String type) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        switch (source) {
            case APP_STORE_CONNECT -> body.put("data", Map.of(
                    "type", "buildUploadStateUpdated", "id", "e-1",
                    "attributes", Map.of("newState", "COMPLETE"),
                    "relationships", Map.of("instance", Map.of("data", Map.of("type", type, "id", id)))));
            case EAS -> {
                body.put("id", id);
                body.put("status", "finished");
                body.put("buildDetailsPageUrl", "https://expo.dev/builds/x");
                body.put("metadata", Map.of("buildProfile", "production"));
            }
            case APPFLOW -> {
                body.put("automation", Map.of("id", 777));
                body.put("id", id);
                body.put("buildInfo", Map.of("id", 778, "state", "success"));
            }
            default -> throw new IllegalArgumentException(source.name());
        }
        return JSON.writeValueAsBytes(body);
    }
}
