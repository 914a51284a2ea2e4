package dev.shipstream.schemas.serde;

import static dev.shipstream.schemas.serde.TestSchemas.PING_V1;
import static dev.shipstream.schemas.serde.TestSchemas.PING_V2_COUNT_AS_STRING;
import static dev.shipstream.schemas.serde.TestSchemas.PING_V2_OPTIONAL_NOTE;
import static dev.shipstream.schemas.serde.TestSchemas.PING_V2_REQUIRED_HOST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryClientTest {

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @Test
    void numbersIdsGloballyFromOneAndVersionsPerSubject() {
        assertThat(registry.register("a-value", PING_V1)).isEqualTo(1);
        assertThat(registry.register("a-value", PING_V2_OPTIONAL_NOTE)).isEqualTo(2);
        assertThat(registry.register("b-value", PING_V2_OPTIONAL_NOTE)).isEqualTo(2);

        assertThat(registry.versions("a-value")).containsExactly(1, 2);
        assertThat(registry.versions("b-value")).containsExactly(1);
        assertThat(registry.version("b-value", 1)).isEqualTo(new RegisteredSchema("b-value", 1, 2,
                TestSchemas.parse(PING_V2_OPTIONAL_NOTE).toString()));
        assertThat(registry.latest("a-value").version()).isEqualTo(2);
        assertThat(registry.subjects()).containsExactly("a-value", "b-value");
    }

    @Test
    void reusesTheIdAndVersionOfAnIdenticalSchemaWhateverItsFormatting() {
        int id = registry.register("a-value", PING_V1);
        String reformatted = TestSchemas.parse(PING_V1).toString();
        assertThat(reformatted).isNotEqualTo(PING_V1);

        assertThat(registry.register("a-value", reformatted)).isEqualTo(id);
        assertThat(registry.versions("a-value")).containsExactly(1);
        assertThat(registry.lookup("a-value", reformatted)).isEqualTo(registry.version("a-value", 1));
    }

    @Test
    void givesASchemaThatDiffersOnlyInADefaultItsOwnId() {
        registry.setGlobalCompatibility(CompatibilityLevel.NONE);
        int withoutDefault = registry.register("a-value", PING_V1);
        int withDefault = registry.register("a-value", PING_V1.replace("\"type\": \"int\"}",
                "\"type\": \"int\", \"default\": 0}"));

        assertThat(withDefault).isNotEqualTo(withoutDefault);
    }

    @Test
    void returnsTheSchemaTextById() {
        int id = registry.register("a-value", PING_V1);

        assertThat(TestSchemas.parse(registry.schemaById(id))).isEqualTo(TestSchemas.parse(PING_V1));
    }

    @Test
    void rejectsAnIncompatibleSchemaWith409UnderTheDefaultBackwardLevel() {
        registry.register("a-value", PING_V1);

        assertThat(registry.globalCompatibility()).isEqualTo(CompatibilityLevel.BACKWARD);
        assertThat(registry.isCompatible("a-value", PING_V2_REQUIRED_HOST)).isFalse();
        assertThatThrownBy(() -> registry.register("a-value", PING_V2_REQUIRED_HOST))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(409);
                    assertThat(e.isTransient()).isFalse();
                })
                .hasMessageContaining("incompatible with an earlier schema for subject \"a-value\"")
                .hasMessageContaining("BACKWARD")
                .hasMessageContaining("host");
        assertThat(registry.versions("a-value")).containsExactly(1);
    }

    @Test
    void appliesTheSubjectLevelBeforeTheGlobalOne() {
        registry.register("a-value", PING_V1);
        registry.register("b-value", PING_V1);
        registry.setCompatibility("a-value", CompatibilityLevel.FORWARD);

        assertThat(registry.compatibility("a-value")).isEqualTo(CompatibilityLevel.FORWARD);
        assertThat(registry.compatibility("b-value")).isEqualTo(CompatibilityLevel.BACKWARD);
        assertThat(registry.register("a-value", PING_V2_REQUIRED_HOST)).isPositive();
        assertThatThrownBy(() -> registry.register("b-value", PING_V2_REQUIRED_HOST))
                .isInstanceOf(SchemaRegistryException.class);

        registry.setGlobalCompatibility(CompatibilityLevel.NONE);
        assertThat(registry.register("b-value", PING_V2_COUNT_AS_STRING)).isPositive();
    }

    @Test
    void treatsASubjectWithoutVersionsAsCompatibleWithAnything() {
        assertThat(registry.isCompatible("new-value", PING_V2_COUNT_AS_STRING)).isTrue();
    }

    @Test
    void answersWithConfluentErrorCodes() {
        registry.register("a-value", PING_V1);

        assertError(() -> registry.latest("missing"), 404, 40401, "Subject 'missing' not found.");
        assertError(() -> registry.versions("missing"), 404, 40401, "Subject 'missing' not found.");
        assertError(() -> registry.lookup("missing", PING_V1), 404, 40401, "Subject 'missing' not found.");
        assertError(() -> registry.lookup("a-value", PING_V2_OPTIONAL_NOTE), 404, 40403, "Schema not found");
        assertError(() -> registry.version("a-value", 7), 404, 40402, "Version 7 not found.");
        assertError(() -> registry.schemaById(99), 404, 40403, "Schema 99 not found");
        assertError(() -> registry.register("a-value", "{\"type\": \"record\"}"), 422, 42201, "Invalid schema");
        assertError(() -> registry.register("a-value", "not json"), 422, 42201, "Invalid schema");
    }

    @Test
    void givesOneIdToOneSchemaRegisteredConcurrently() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> registrations = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String subject = "s" + (i % 5) + "-value";
                registrations.add(() -> registry.register(subject, PING_V1));
            }
            Set<Integer> ids = new HashSet<>();
            for (Future<Integer> id : pool.invokeAll(registrations)) {
                ids.add(id.get());
            }
            assertThat(ids).containsExactly(1);
            assertThat(registry.subjects()).hasSize(5);
            registry.subjects().forEach(subject -> assertThat(registry.versions(subject)).containsExactly(1));
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertError(Runnable call, int status, int code, String message) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(status);
                    assertThat(e.errorCode()).isEqualTo(code);
                })
                .hasMessageStartingWith(message);
    }
}
