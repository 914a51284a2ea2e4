package dev.shipstream.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

class EnvironmentConfigTest {

    private static final String CANARY = "canary-secret-7f3a9c1e5b2d";

    private static final ConfigDef DEF = new ConfigDef()
            .define("SHIPSTREAM_T_HOST", Type.STRING, "127.0.0.1", Importance.HIGH, "host")
            .define("SHIPSTREAM_T_TIMEOUT_MS", Type.LONG, 2_000L, Range.atLeast(1), Importance.LOW, "timeout")
            .define("SHIPSTREAM_T_FILE", Type.STRING, null, Importance.LOW, "optional")
            .define("SHIPSTREAM_T_SECRET", Type.PASSWORD, null, (name, value) -> {
                if (value != null && ((Password) value).value().length() < 100) {
                    throw new ConfigException(name, value, "is too short");
                }
            }, Importance.HIGH, "secret");

    @Test
    void unsetAndBlankVariablesBothTakeTheDefault() {
        for (Map<String, String> env : List.of(Map.<String, String>of(),
                Map.of("SHIPSTREAM_T_HOST", "", "SHIPSTREAM_T_TIMEOUT_MS", "  ", "SHIPSTREAM_T_FILE", "\t\n"))) {
            EnvironmentConfig config = EnvironmentConfig.read(DEF, env);

            assertThat(config.getString("SHIPSTREAM_T_HOST")).isEqualTo("127.0.0.1");
            assertThat(config.getMillis("SHIPSTREAM_T_TIMEOUT_MS")).isEqualTo(Duration.ofSeconds(2));
            assertThat(config.getOptionalString("SHIPSTREAM_T_FILE")).isEmpty();
            assertThat(config.getOptionalPassword("SHIPSTREAM_T_SECRET")).isEmpty();
            assertThat(config.isSet("SHIPSTREAM_T_HOST")).isFalse();
        }
    }

    @Test
    void givenValuesAreTrimmedAndTyped() {
        EnvironmentConfig config = EnvironmentConfig.read(DEF, Map.of("SHIPSTREAM_T_HOST", " 0.0.0.0 ",
                "SHIPSTREAM_T_TIMEOUT_MS", "500\n", "UNRELATED", "x"));

        assertThat(config.getString("SHIPSTREAM_T_HOST")).isEqualTo("0.0.0.0");
        assertThat(config.getMillis("SHIPSTREAM_T_TIMEOUT_MS")).isEqualTo(Duration.ofMillis(500));
        assertThat(config.isSet("SHIPSTREAM_T_HOST")).isTrue();
        assertThat(config.isSet("SHIPSTREAM_T_FILE")).isFalse();
    }

    @Test
    void anInvalidValueFailsNamingTheVariableAndTheValue() {
        assertThatThrownBy(() -> EnvironmentConfig.read(DEF, Map.of("SHIPSTREAM_T_TIMEOUT_MS", "10m")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid value 10m for configuration SHIPSTREAM_T_TIMEOUT_MS: Not a number of type LONG");
        assertThatThrownBy(() -> EnvironmentConfig.read(DEF, Map.of("SHIPSTREAM_T_TIMEOUT_MS", "0")))
                .hasMessage("Invalid value 0 for configuration SHIPSTREAM_T_TIMEOUT_MS: Value must be at least 1");
    }

    @Test
    void aSecretIsNeverPrintedNeitherInAnErrorNorInToString() {
        assertThatThrownBy(() -> EnvironmentConfig.read(DEF, Map.of("SHIPSTREAM_T_SECRET", CANARY)))
                .hasMessage("Invalid value [hidden] for configuration SHIPSTREAM_T_SECRET: is too short");

        String strong = CANARY.repeat(5);
        EnvironmentConfig config = EnvironmentConfig.read(DEF, Map.of("SHIPSTREAM_T_SECRET", " " + strong + " "));

        assertThat(config.getOptionalPassword("SHIPSTREAM_T_SECRET")).get()
                .satisfies(p -> assertThat(p.value()).isEqualTo(strong))
                .hasToString("[hidden]");
        assertThat(config.toString()).doesNotContain(CANARY);
        assertThat(config.values().toString()).doesNotContain(CANARY);
    }
}
