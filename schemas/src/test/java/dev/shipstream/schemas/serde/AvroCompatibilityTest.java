package dev.shipstream.schemas.serde;

import static dev.shipstream.schemas.serde.TestSchemas.PING_V1;
import static dev.shipstream.schemas.serde.TestSchemas.PING_V2_COUNT_AS_STRING;
import static dev.shipstream.schemas.serde.TestSchemas.PING_V2_OPTIONAL_NOTE;
import static dev.shipstream.schemas.serde.TestSchemas.PING_V2_REQUIRED_HOST;
import static dev.shipstream.schemas.serde.TestSchemas.PING_V2_WITHOUT_COUNT;
import static dev.shipstream.schemas.serde.TestSchemas.PING_V3_COUNT_AS_STRING_WITH_DEFAULT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class AvroCompatibilityTest {

    private static boolean compatible(CompatibilityLevel level, String candidate, String... existing) {
        List<Schema> schemas = java.util.Arrays.stream(existing).map(TestSchemas::parse).toList();
        return AvroCompatibility.isCompatible(level, TestSchemas.parse(candidate), schemas);
    }

    @ParameterizedTest
    @EnumSource(CompatibilityLevel.class)
    void acceptsAnyFirstSchema(CompatibilityLevel level) {
        assertThat(compatible(level, PING_V2_COUNT_AS_STRING)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(CompatibilityLevel.class)
    void acceptsTheSameSchemaAgain(CompatibilityLevel level) {
        assertThat(compatible(level, PING_V1, PING_V1)).isTrue();
    }

    @ParameterizedTest(name = "{0}: optional {1}, required {2}, removed {3}, retyped {4}")
    @CsvSource({
            // level,          add optional field, add required field, remove required field, change type
            "NONE,             true,               true,               true,                  true",
            "BACKWARD,         true,               false,              true,                  false",
            "FORWARD,          true,               true,               false,                 false",
            "FULL,             true,               false,              false,                 false",
            "BACKWARD_TRANSITIVE, true,            false,              true,                  false",
            "FORWARD_TRANSITIVE,  true,            true,               false,                 false",
            "FULL_TRANSITIVE,     true,            false,              false,                 false",
    })
    void decidesEachEvolutionPerLevel(CompatibilityLevel level, boolean optional, boolean required,
                                      boolean removed, boolean retyped) {
        assertThat(compatible(level, PING_V2_OPTIONAL_NOTE, PING_V1)).isEqualTo(optional);
        assertThat(compatible(level, PING_V2_REQUIRED_HOST, PING_V1)).isEqualTo(required);
        assertThat(compatible(level, PING_V2_WITHOUT_COUNT, PING_V1)).isEqualTo(removed);
        assertThat(compatible(level, PING_V2_COUNT_AS_STRING, PING_V1)).isEqualTo(retyped);
    }

    @Test
    void backwardChecksOnlyTheNewestSchemaButTransitiveChecksAll() {
        // Reads data without count (the newest) but not version 1's int count.
        assertThat(compatible(CompatibilityLevel.BACKWARD, PING_V3_COUNT_AS_STRING_WITH_DEFAULT,
                PING_V1, PING_V2_WITHOUT_COUNT)).isTrue();
        assertThat(compatible(CompatibilityLevel.BACKWARD_TRANSITIVE, PING_V3_COUNT_AS_STRING_WITH_DEFAULT,
                PING_V1, PING_V2_WITHOUT_COUNT)).isFalse();
    }

    @Test
    void forwardChecksOnlyTheNewestSchemaButTransitiveChecksAll() {
        // The newest reads data without count; version 1 needs a count it has no default for.
        assertThat(compatible(CompatibilityLevel.FORWARD, PING_V2_WITHOUT_COUNT,
                PING_V1, PING_V2_WITHOUT_COUNT)).isTrue();
        assertThat(compatible(CompatibilityLevel.FORWARD_TRANSITIVE, PING_V2_WITHOUT_COUNT,
                PING_V1, PING_V2_WITHOUT_COUNT)).isFalse();
        assertThat(compatible(CompatibilityLevel.FULL, PING_V2_WITHOUT_COUNT,
                PING_V1, PING_V2_WITHOUT_COUNT)).isTrue();
        assertThat(compatible(CompatibilityLevel.FULL_TRANSITIVE, PING_V2_WITHOUT_COUNT,
                PING_V1, PING_V2_WITHOUT_COUNT)).isFalse();
    }

    @Test
    void explainsWhichDirectionFailedAndWhere() {
        List<String> problems = AvroCompatibility.incompatibilities(CompatibilityLevel.FULL,
                TestSchemas.parse(PING_V2_REQUIRED_HOST), List.of(TestSchemas.parse(PING_V1)));

        assertThat(problems).singleElement().asString()
                .startsWith("READER_FIELD_MISSING_DEFAULT_VALUE")
                .contains("host")
                .endsWith("the new schema cannot read data written with version 1");
    }
}
