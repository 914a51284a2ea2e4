package dev.shipstream.local.registry;

import dev.shipstream.local.registry.RegistryRecord.CompatibilityChanged;
import dev.shipstream.local.registry.RegistryRecord.SchemaRegistered;
import dev.shipstream.local.registry.RegistryRecord.SubjectDeleted;
import dev.shipstream.schemas.serde.CompatibilityLevel;
import dev.shipstream.schemas.serde.RegisteredSchema;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import static dev.shipstream.local.registry.TestSchemas.ID_AS_LONG;
import static dev.shipstream.local.registry.TestSchemas.ORDER_ID;
import static dev.shipstream.local.registry.TestSchemas.ORDER_ID_REFORMATTED;
import static dev.shipstream.local.registry.TestSchemas.WITH_OPTIONAL_NOTE;
import static org.assertj.core.api.Assertions.assertThat;

class RegistryStateTest {

    private final RegistryState state = new RegistryState();

    @Test
    void firstRegistrationOfASubjectVersionWinsWhenTwoInstancesRaced() {
        state.accept(new SchemaRegistered("orders-value", 1, 1, ORDER_ID));
        state.accept(new SchemaRegistered("orders-value", 1, 2, WITH_OPTIONAL_NOTE));

        assertThat(state.liveVersions("orders-value")).extracting(RegisteredSchema::id).containsExactly(1);
        assertThat(state.schema(2)).isEmpty();
        assertThat(state.maxId()).isEqualTo(1);
    }

    @Test
    void anIdIsNeverBoundToASecondSchema() {
        state.accept(new SchemaRegistered("orders-value", 1, 1, ORDER_ID));
        state.accept(new SchemaRegistered("shipments-value", 1, 1, ID_AS_LONG));

        assertThat(state.liveVersions("shipments-value")).isEmpty();
        assertThat(state.schema(1)).get().extracting(RegistryState.StoredSchema::text).isEqualTo(ORDER_ID);
    }

    @Test
    void aSchemaIsNeverGivenASecondId() {
        state.accept(new SchemaRegistered("orders-value", 1, 1, ORDER_ID));
        state.accept(new SchemaRegistered("archive-value", 1, 2, ORDER_ID_REFORMATTED));

        assertThat(state.liveVersions("archive-value")).isEmpty();
        assertThat(state.idOf(RegistryState.canonical(new Schema.Parser().parse(ORDER_ID))))
                .hasValue(1);
    }

    @Test
    void theSameSchemaUnderAnotherSubjectSharesItsId() {
        state.accept(new SchemaRegistered("orders-value", 1, 1, ORDER_ID));
        state.accept(new SchemaRegistered("archive-value", 1, 1, ORDER_ID));

        assertThat(state.subjects()).containsExactly("archive-value", "orders-value");
        assertThat(state.liveVersions("archive-value")).extracting(RegisteredSchema::id).containsExactly(1);
    }

    @Test
    void aDeletedSubjectKeepsItsVersionNumbersAndIds() {
        state.accept(new SchemaRegistered("orders-value", 1, 1, ORDER_ID));
        state.accept(new SchemaRegistered("orders-value", 2, 2, WITH_OPTIONAL_NOTE));
        state.accept(new SubjectDeleted("orders-value", 2));

        assertThat(state.subjects()).isEmpty();
        assertThat(state.liveVersions("orders-value")).isEmpty();
        assertThat(state.maxVersion("orders-value")).isEqualTo(2);
        assertThat(state.schema(2)).isPresent();

        state.accept(new SchemaRegistered("orders-value", 3, 1, ORDER_ID));
        assertThat(state.liveVersions("orders-value")).extracting(RegisteredSchema::version).containsExactly(3);
    }

    @Test
    void unparseableSchemaInTheLogIsIgnored() {
        state.accept(new SchemaRegistered("orders-value", 1, 1, "{not avro"));

        assertThat(state.subjects()).isEmpty();
        assertThat(state.maxId()).isZero();
    }

    @Test
    void levelsFollowTheLastChangeAndARemovedSubjectLevelFallsBackToGlobal() {
        state.accept(new CompatibilityChanged(null, CompatibilityLevel.FULL));
        state.accept(new CompatibilityChanged("orders-value", CompatibilityLevel.NONE));
        assertThat(state.effectiveLevel("orders-value")).isEqualTo(CompatibilityLevel.NONE);
        assertThat(state.effectiveLevel("other-value")).isEqualTo(CompatibilityLevel.FULL);

        state.accept(new CompatibilityChanged("orders-value", null));

        assertThat(state.subjectLevel("orders-value")).isEmpty();
        assertThat(state.effectiveLevel("orders-value")).isEqualTo(CompatibilityLevel.FULL);
    }
}
