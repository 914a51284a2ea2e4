package dev.shipstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class AvroSerdeConfigTest {

    @Test
    void usesConfluentDefaults() {
        AvroSerdeConfig config = new AvroSerdeConfig(Map.of());

        assertThat(config.schemaRegistryUrls()).isEmpty();
        assertThat(config.autoRegisterSchemas()).isTrue();
        assertThat(config.useLatestVersion()).isFalse();
        assertThat(config.specificAvroReader()).isFalse();
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(config.maxRetries()).isEqualTo(3);
        assertThat(config.retryBackoff()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.retryBackoffMax()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.cacheCapacity()).isEqualTo(1000);
        assertThat(config.latestCacheTtl()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void parsesStringValuesAsAProducerPropertiesFileGivesThem() {
        AvroSerdeConfig config = new AvroSerdeConfig(Map.of(
                "schema.registry.url", " http://a:8081 , https://b:8081/ ",
                "auto.register.schemas", "false",
                "use.latest.version", "true",
                "specific.avro.reader", "true",
                "schema.registry.request.timeout.ms", "250",
                "schema.registry.max.retries", "0",
                "bootstrap.servers", "ignored:9092"));

        assertThat(config.schemaRegistryUrls()).containsExactly("http://a:8081", "https://b:8081/");
        assertThat(config.autoRegisterSchemas()).isFalse();
        assertThat(config.useLatestVersion()).isTrue();
        assertThat(config.specificAvroReader()).isTrue();
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.maxRetries()).isZero();
        assertThat(config.mockScope()).isEmpty();
    }

    @Test
    void recognisesAMockScope() {
        assertThat(new AvroSerdeConfig(Map.of("schema.registry.url", "mock://streams-test")).mockScope())
                .contains("streams-test");
    }

    @Test
    void rejectsInvalidValuesWithExactMessages() {
        assertInvalid(Map.of("schema.registry.url", "ftp://registry:8081"),
                "Invalid value [ftp://registry:8081] for configuration schema.registry.url: "
                        + "'ftp://registry:8081' must start with http://, https:// or (for tests) mock://");
        assertInvalid(Map.of("schema.registry.url", "registry:8081"),
                "Invalid value [registry:8081] for configuration schema.registry.url: "
                        + "'registry:8081' must start with http://, https:// or (for tests) mock://");
        assertInvalid(Map.of("schema.registry.url", "http://"),
                "Invalid value [http://] for configuration schema.registry.url: "
                        + "'http://' is not a valid URL: Expected authority");
        assertInvalid(Map.of("schema.registry.url", "http://registry:8081?x=1"),
                "Invalid value [http://registry:8081?x=1] for configuration schema.registry.url: "
                        + "'http://registry:8081?x=1' must not have a query or fragment");
        assertInvalid(Map.of("schema.registry.url", "mock://"),
                "Invalid value [mock://] for configuration schema.registry.url: "
                        + "mock:// needs a scope, e.g. mock://my-test");
        assertInvalid(Map.of("schema.registry.url", "mock://a,http://b:8081"),
                "Invalid value [mock://a, http://b:8081] for configuration schema.registry.url: "
                        + "a mock:// URL must be the only URL (one in-memory registry per scope)");
        assertInvalid(Map.of("auto.register.schemas", "yes"),
                "Invalid value yes for configuration auto.register.schemas: "
                        + "Expected value to be either true or false");
        assertInvalid(Map.of("schema.registry.request.timeout.ms", "0"),
                "Invalid value 0 for configuration schema.registry.request.timeout.ms: Value must be at least 1");
        assertInvalid(Map.of("schema.registry.max.retries", "11"),
                "Invalid value 11 for configuration schema.registry.max.retries: Value must be no more than 10");
        assertInvalid(Map.of("schema.registry.retry.backoff.ms", "500", "schema.registry.retry.backoff.max.ms", "100"),
                "Invalid value 100 for configuration schema.registry.retry.backoff.max.ms: "
                        + "must not be less than schema.registry.retry.backoff.ms (500)");
    }

    @Test
    void requiresAUrlOnlyWhenAClientIsToBeBuilt() {
        assertThatThrownBy(() -> SchemaRegistryClients.fromConfig(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Missing required configuration \"schema.registry.url\" which has no default value.");
    }

    @Test
    void buildsACachingHttpClientForHttpUrls() {
        try (SchemaRegistryClient client = SchemaRegistryClients.fromConfig(
                Map.of("schema.registry.url", "http://127.0.0.1:8081"))) {
            assertThat(client).isInstanceOf(CachingSchemaRegistryClient.class)
                    .hasToString("CachingSchemaRegistryClient(HttpSchemaRegistryClient[http://127.0.0.1:8081])");
        }
    }

    @Test
    void sharesOneInMemoryRegistryPerMockScopeUntilItIsDropped() {
        try {
            SchemaRegistryClient first = SchemaRegistryClients.fromConfig(Map.of("schema.registry.url", "mock://one"));
            first.register("t-value", TestSchemas.PING_V1);

            assertThat(SchemaRegistryClients.fromConfig(Map.of("schema.registry.url", "mock://one")))
                    .isSameAs(first);
            assertThat(SchemaRegistryClients.fromConfig(Map.of("schema.registry.url", "mock://two")).subjects())
                    .isEmpty();

            SchemaRegistryClients.dropMockScope("one");
            assertThat(SchemaRegistryClients.fromConfig(Map.of("schema.registry.url", "mock://one")).subjects())
                    .isEmpty();
        } finally {
            SchemaRegistryClients.dropMockScope("one");
            SchemaRegistryClients.dropMockScope("two");
        }
    }

    private static void assertInvalid(Map<String, ?> configs, String message) {
        assertThatThrownBy(() -> new AvroSerdeConfig(configs))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }
}
