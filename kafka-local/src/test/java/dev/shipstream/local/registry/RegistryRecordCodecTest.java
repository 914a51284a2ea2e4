package dev.shipstream.local.registry;

import dev.shipstream.local.registry.RegistryRecord.CompatibilityChanged;
import dev.shipstream.local.registry.RegistryRecord.SchemaRegistered;
import dev.shipstream.local.registry.RegistryRecord.SubjectDeleted;
import dev.shipstream.schemas.serde.CompatibilityLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryRecordCodecTest {

    static List<RegistryRecord> records() {
        return List.of(
                new SchemaRegistered("orders-value", 3, 7, TestSchemas.ORDER_ID),
                new CompatibilityChanged(null, CompatibilityLevel.FULL_TRANSITIVE),
                new CompatibilityChanged("orders-value", CompatibilityLevel.NONE),
                new CompatibilityChanged("orders-value", null),
                new SubjectDeleted("orders-value", 4));
    }

    @ParameterizedTest
    @MethodSource("records")
    void decodesWhatItEncodes(RegistryRecord record) {
        assertThat(RegistryRecordCodec.decode(RegistryRecordCodec.key(record), RegistryRecordCodec.value(record)))
                .contains(record);
    }

    @Test
    void writesTheDocumentedKeysWithAFixedFieldOrder() {
        assertThat(utf8(RegistryRecordCodec.key(new SchemaRegistered("s", 2, 5, "\"string\""))))
                .isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"s\",\"version\":2,\"id\":5}");
        assertThat(utf8(RegistryRecordCodec.key(new CompatibilityChanged(null, CompatibilityLevel.FULL))))
                .isEqualTo("{\"keytype\":\"CONFIG\"}");
        assertThat(utf8(RegistryRecordCodec.value(new SubjectDeleted("s", 2))))
                .isEqualTo("{\"subject\":\"s\",\"version\":2}");
    }

    @Test
    void removingASubjectLevelIsATombstone() {
        assertThat(RegistryRecordCodec.value(new CompatibilityChanged("s", null))).isNull();
    }

    @Test
    void skipsKeyTypesItDoesNotKnow() {
        assertThat(RegistryRecordCodec.decode(bytes("{\"keytype\":\"NOOP\",\"magic\":0}"), null)).isEmpty();
    }

    @Test
    void rejectsMalformedRecordsWithTheReason() {
        assertThatThrownBy(() -> RegistryRecordCodec.decode(bytes("not json"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key");
        assertThatThrownBy(() -> RegistryRecordCodec.decode(bytes("{\"keytype\":\"SCHEMA\"}"),
                bytes("{\"subject\":\"s\",\"version\":\"one\",\"id\":1,\"schema\":\"x\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version");
        assertThatThrownBy(() -> RegistryRecordCodec.decode(bytes("{\"keytype\":\"CONFIG\"}"),
                bytes("{\"compatibilityLevel\":\"SIDEWAYS\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SIDEWAYS");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
