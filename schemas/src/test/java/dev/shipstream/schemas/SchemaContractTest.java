package dev.shipstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The build-time gate on Shipstream's public contracts. Every topic value schema must stay BACKWARD compatible with
 * each of its released forms ({@link ReleasedSchemas}, kept under
 * {@code src/main/resources/dev/shipstream/schemas/released/}), so a subscriber's data written with any released
 * schema stays readable; and every schema must keep the rules that let it evolve:
 * documented fields, optional fields as {@code ["null", T]} defaulting to null, enums with a default symbol.
 *
 * <p>To release a schema change: add the new form as the next {@code v<n>.avsc}; never edit or delete an old one.
 */
class SchemaContractTest {

    private static final List<Schema> TOPIC_VALUE_SCHEMAS =
            Topics.all().stream().map(topic -> schemaOf(topic.valueType())).toList();

    @TestFactory
    Stream<DynamicTest> currentSchemasReadEveryReleasedForm() {
        return TOPIC_VALUE_SCHEMAS.stream().flatMap(current -> releasedForms(current).stream()
                .map(released -> DynamicTest.dynamicTest(current.getName() + " reads " + released, () -> {
                    Schema writer = new Schema.Parser().parse(read(released));
                    var result = SchemaCompatibility.checkReaderWriterCompatibility(current, writer);
                    assertThat(result.getType())
                            .as("%s must read data written with %s: %s", current.getName(), released,
                                    result.getResult().getIncompatibilities())
                            .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
                })));
    }

    @TestFactory
    Stream<DynamicTest> newestReleasedFormIsTheCurrentSchema() {
        // A change to a contract is only done once it is released: otherwise the next change is checked against a
        // form older than what subscribers already hold.
        return TOPIC_VALUE_SCHEMAS.stream().map(current -> DynamicTest.dynamicTest(current.getName(), () -> {
            List<String> forms = releasedForms(current);
            assertThat(forms).isNotEmpty();
            String newest = forms.get(forms.size() - 1);
            assertThat(new Schema.Parser().parse(read(newest)))
                    .as("%s should be the current %s; release the change as the next v<n>.avsc", newest, current.getName())
                    .isEqualTo(current);
        }));
    }

    @Test
    void everyTopicValueSchemaHasAReleasedForm() {
        for (Schema schema : TOPIC_VALUE_SCHEMAS) {
            assertThat(releasedForms(schema)).as("released forms of %s", schema.getName()).isNotEmpty();
        }
    }

    @Test
    void everyFieldIsDocumented() {
        List<String> undocumented = new ArrayList<>();
        forEachRecord(record -> record.getFields().stream()
                .filter(field -> field.doc() == null || field.doc().isBlank())
                .forEach(field -> undocumented.add(record.getFullName() + "." + field.name())));
        assertThat(undocumented).isEmpty();
    }

    @Test
    void optionalFieldsAreNullFirstUnionsDefaultingToNull() {
        List<String> violations = new ArrayList<>();
        forEachRecord(record -> record.getFields().stream()
                .filter(field -> field.schema().isUnion())
                .forEach(field -> {
                    List<Schema> branches = field.schema().getTypes();
                    boolean nullFirstPair = branches.size() == 2 && branches.get(0).getType() == Schema.Type.NULL;
                    if (!nullFirstPair || !field.hasDefaultValue() || field.defaultVal() != org.apache.avro.JsonProperties.NULL_VALUE) {
                        violations.add(record.getFullName() + "." + field.name());
                    }
                }));
        assertThat(violations).isEmpty();
    }

    @Test
    void enumsHaveADefaultSymbolSoNewSymbolsDoNotBreakOldReaders() {
        List<String> withoutDefault = new ArrayList<>();
        forEachNamed(schema -> {
            if (schema.getType() == Schema.Type.ENUM && schema.getEnumDefault() == null) {
                withoutDefault.add(schema.getFullName());
            }
        });
        assertThat(withoutDefault).isEmpty();
    }

    @Test
    void recordsAreDocumented() {
        List<String> undocumented = new ArrayList<>();
        forEachNamed(schema -> {
            if (schema.getDoc() == null || schema.getDoc().isBlank()) {
                undocumented.add(schema.getFullName());
            }
        });
        assertThat(undocumented).isEmpty();
    }

    private static void forEachRecord(java.util.function.Consumer<Schema> action) {
        forEachNamed(schema -> {
            if (schema.getType() == Schema.Type.RECORD) {
                action.accept(schema);
            }
        });
    }

    private static void forEachNamed(java.util.function.Consumer<Schema> action) {
        Set<String> seen = new HashSet<>();
        TOPIC_VALUE_SCHEMAS.forEach(schema -> visit(schema, seen, action));
    }

    private static void visit(Schema schema, Set<String> seen, java.util.function.Consumer<Schema> action) {
        switch (schema.getType()) {
            case RECORD -> {
                if (seen.add(schema.getFullName())) {
                    action.accept(schema);
                    schema.getFields().forEach(field -> visit(field.schema(), seen, action));
                }
            }
            case ENUM, FIXED -> {
                if (seen.add(schema.getFullName())) {
                    action.accept(schema);
                }
            }
            case UNION -> schema.getTypes().forEach(branch -> visit(branch, seen, action));
            case ARRAY -> visit(schema.getElementType(), seen, action);
            case MAP -> visit(schema.getValueType(), seen, action);
            default -> { }
        }
    }

    private static Schema schemaOf(Class<?> type) {
        try {
            return (Schema) type.getField("SCHEMA$").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type + " is not a generated Avro record", e);
        }
    }

    private static List<String> releasedForms(Schema schema) {
        List<String> forms = new ArrayList<>();
        for (int version = 1; SchemaContractTest.class.getResource(ReleasedSchemas.resourceName(schema.getName(), version)) != null; version++) {
            forms.add(ReleasedSchemas.resourceName(schema.getName(), version));
        }
        return forms;
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = SchemaContractTest.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
