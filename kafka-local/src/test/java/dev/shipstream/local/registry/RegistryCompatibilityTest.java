package dev.shipstream.local.registry;

import dev.shipstream.schemas.serde.AvroCompatibility;
import dev.shipstream.schemas.serde.AvroCompatibility.Existing;
import dev.shipstream.schemas.serde.CompatibilityLevel;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static dev.shipstream.local.registry.TestSchemas.ID_AS_LONG;
import static dev.shipstream.local.registry.TestSchemas.ORDER_ID;
import static dev.shipstream.local.registry.TestSchemas.WITH_OPTIONAL_NOTE;
import static dev.shipstream.local.registry.TestSchemas.WITH_REQUIRED_AMOUNT;
import static org.assertj.core.api.Assertions.assertThat;

class RegistryCompatibilityTest {

    private static Schema parse(String schema) {
        return new Schema.Parser().parse(schema);
    }

    private static List<String> check(CompatibilityLevel level, String candidate, String... existingOldestFirst) {
        List<Existing> existing = new ArrayList<>();
        for (int i = 0; i < existingOldestFirst.length; i++) {
            existing.add(new Existing(i + 1, parse(existingOldestFirst[i])));
        }
        return AvroCompatibility.incompatibilitiesWith(level, parse(candidate), existing);
    }

    @ParameterizedTest
    @EnumSource(CompatibilityLevel.class)
    void anythingIsCompatibleWithASubjectWithoutVersions(CompatibilityLevel level) {
        assertThat(check(level, ID_AS_LONG)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(CompatibilityLevel.class)
    void aFieldWithDefaultIsCompatibleAtEveryLevel(CompatibilityLevel level) {
        assertThat(check(level, WITH_OPTIONAL_NOTE, ORDER_ID)).isEmpty();
    }

    @Test
    void noneAcceptsAChangedType() {
        assertThat(check(CompatibilityLevel.NONE, ID_AS_LONG, ORDER_ID)).isEmpty();
    }

    @Test
    void backwardRejectsARequiredFieldNamingItAndTheVersion() {
        List<String> problems = check(CompatibilityLevel.BACKWARD, WITH_REQUIRED_AMOUNT, ORDER_ID);

        assertThat(problems).singleElement().asString()
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE", "amount", "version 1");
    }

    @Test
    void forwardAcceptsARequiredFieldButRejectsDroppingOne() {
        assertThat(check(CompatibilityLevel.FORWARD, WITH_REQUIRED_AMOUNT, ORDER_ID)).isEmpty();
        assertThat(check(CompatibilityLevel.FORWARD, ORDER_ID, WITH_REQUIRED_AMOUNT)).singleElement().asString()
                .contains("amount", "version 1 cannot read");
    }

    @Test
    void fullRejectsWhatEitherDirectionRejects() {
        assertThat(check(CompatibilityLevel.FULL, WITH_REQUIRED_AMOUNT, ORDER_ID)).isNotEmpty();
        assertThat(check(CompatibilityLevel.FULL, ORDER_ID, WITH_REQUIRED_AMOUNT)).isNotEmpty();
        assertThat(check(CompatibilityLevel.FULL, ID_AS_LONG, ORDER_ID)).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void nonTransitiveLevelsCheckOnlyTheLatestVersion() {
        assertThat(check(CompatibilityLevel.BACKWARD, ORDER_ID, ID_AS_LONG, ORDER_ID)).isEmpty();
        assertThat(check(CompatibilityLevel.FORWARD, ORDER_ID, ID_AS_LONG, ORDER_ID)).isEmpty();
        assertThat(check(CompatibilityLevel.FULL, ORDER_ID, ID_AS_LONG, ORDER_ID)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = CompatibilityLevel.class, names = ".*_TRANSITIVE", mode = EnumSource.Mode.MATCH_ALL)
    void transitiveLevelsCheckEveryVersion(CompatibilityLevel level) {
        assertThat(check(level, ORDER_ID, ID_AS_LONG, ORDER_ID)).isNotEmpty()
                .allSatisfy(problem -> assertThat(problem).contains("version 1"));
    }
}
