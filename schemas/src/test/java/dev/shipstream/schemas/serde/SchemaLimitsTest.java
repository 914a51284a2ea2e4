package dev.shipstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shipstream.schemas.DeadLetter;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.RawWebhook;
import java.time.Duration;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class SchemaLimitsTest {

    @Test
    void acceptsTheCatalogueSchemasAndRecursiveTypes() {
        for (Schema schema : new Schema[] {RawWebhook.getClassSchema(), DeliveryEvent.getClassSchema(),
                DeadLetter.getClassSchema()}) {
            assertThat(SchemaLimits.parse(schema.toString())).isEqualTo(schema);
        }
        assertThatCode(() -> SchemaLimits.parse("""
                {"type": "record", "name": "Node", "fields": [{"name": "next", "type": ["null", "Node"]}]}"""))
                .doesNotThrowAnyException();
    }

    @Test
    void acceptsUpToTheLimits() {
        assertThatCode(() -> SchemaLimits.parse(HostileSchemas.nestedArrays(SchemaLimits.MAX_NESTING_DEPTH)))
                .doesNotThrowAnyException();
        assertThatCode(() -> SchemaLimits.parse(HostileSchemas.manyEnums(SchemaLimits.MAX_NAMED_TYPES)))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesASchemaNestedDeeperThanTheLimit() {
        assertThatThrownBy(() -> SchemaLimits.parse(HostileSchemas.nestedArrays(SchemaLimits.MAX_NESTING_DEPTH + 1)))
                .isInstanceOf(SchemaParseException.class)
                .hasMessageContaining("nested deeper than 64 levels");
        // Shallow as JSON, deep as a schema: one record inside the next through their names.
        assertThatThrownBy(() -> SchemaLimits.parse(HostileSchemas.chainOfRecords(200)))
                .isInstanceOf(SchemaParseException.class)
                .hasMessageContaining("nested deeper than 64 levels");
    }

    @Test
    void refusesMoreNamedTypesThanTheLimitBeforeAvroParsesThem() {
        assertThatThrownBy(() -> SchemaLimits.parse(HostileSchemas.manyEnums(SchemaLimits.MAX_NAMED_TYPES + 1)))
                .isInstanceOf(SchemaParseException.class)
                .hasMessageContaining("more than 256 named types");
    }

    @Test
    void measuresDepthInLinearTimeWhereThereAreExponentiallyManyPaths() {
        String text = HostileSchemas.doublingRecords(SchemaLimits.MAX_NESTING_DEPTH - 1);

        Schema schema = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> SchemaLimits.parse(text));

        assertThat(schema.getTypes()).hasSize(SchemaLimits.MAX_NESTING_DEPTH - 1);
    }

    @Test
    void refusesTextThatIsNotJson() {
        assertThatThrownBy(() -> SchemaLimits.parse("{not json")).isInstanceOf(SchemaParseException.class);
    }
}
