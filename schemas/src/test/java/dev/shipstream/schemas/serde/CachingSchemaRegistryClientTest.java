package dev.shipstream.schemas.serde;

import static dev.shipstream.schemas.serde.TestSchemas.PING_V1;
import static dev.shipstream.schemas.serde.TestSchemas.PING_V2_OPTIONAL_NOTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachingSchemaRegistryClientTest {

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final CountingRegistry counting = new CountingRegistry(registry);
    private final AtomicLong nanos = new AtomicLong();

    private CachingSchemaRegistryClient caching(int capacity, Duration latestTtl) {
        return new CachingSchemaRegistryClient(counting, capacity, latestTtl, nanos::get);
    }

    @Test
    void registersEachSchemaOncePerSubject() {
        CachingSchemaRegistryClient client = caching(10, Duration.ZERO);

        int id = client.register("a-value", PING_V1);
        for (int i = 0; i < 5; i++) {
            assertThat(client.register("a-value", PING_V1)).isEqualTo(id);
        }
        client.register("b-value", PING_V1);

        assertThat(counting.calls("register")).isEqualTo(2);
    }

    @Test
    void fetchesEachSchemaByIdOnce() {
        int id = registry.register("a-value", PING_V1);
        CachingSchemaRegistryClient client = caching(10, Duration.ZERO);

        for (int i = 0; i < 5; i++) {
            assertThat(client.schemaById(id)).isEqualTo(registry.schemaById(id));
        }

        assertThat(counting.calls("schemaById")).isEqualTo(1);
    }

    @Test
    void looksUpEachSchemaOncePerSubjectAndRemembersVersions() {
        registry.register("a-value", PING_V1);
        CachingSchemaRegistryClient client = caching(10, Duration.ZERO);

        RegisteredSchema found = client.lookup("a-value", PING_V1);
        assertThat(client.lookup("a-value", PING_V1)).isEqualTo(found);
        assertThat(client.version("a-value", 1)).isEqualTo(found);
        assertThat(client.version("a-value", 1)).isEqualTo(found);

        assertThat(counting.calls("lookup")).isEqualTo(1);
        assertThat(counting.calls("version")).isEqualTo(1);
    }

    @Test
    void doesNotCacheFailures() {
        CachingSchemaRegistryClient client = caching(10, Duration.ZERO);

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> client.schemaById(42)).isInstanceOf(SchemaRegistryException.class);
        }

        assertThat(counting.calls("schemaById")).isEqualTo(2);
    }

    @Test
    void passesAnUnavailableRegistryThroughUnchangedAndAsksAgainNextTime() {
        int id = registry.register("a-value", PING_V1);
        java.util.concurrent.atomic.AtomicInteger outages = new java.util.concurrent.atomic.AtomicInteger(1);
        SchemaRegistryClient flaky = new CountingRegistry(registry) {
            @Override
            public String schemaById(int schemaId) {
                if (outages.getAndDecrement() > 0) {
                    throw new SchemaRegistryUnavailableException("answered 503", 503, 50003);
                }
                return super.schemaById(schemaId);
            }
        };
        CachingSchemaRegistryClient client = new CachingSchemaRegistryClient(flaky, 10, Duration.ZERO, nanos::get);

        assertThatThrownBy(() -> client.schemaById(id)).isInstanceOf(SchemaRegistryUnavailableException.class);
        assertThat(client.schemaById(id)).isEqualTo(registry.schemaById(id));
    }

    @Test
    void keepsTheLatestVersionOnlyForItsTimeToLive() {
        registry.register("a-value", PING_V1);
        CachingSchemaRegistryClient client = caching(10, Duration.ofSeconds(5));

        assertThat(client.latest("a-value").version()).isEqualTo(1);
        registry.register("a-value", PING_V2_OPTIONAL_NOTE);
        nanos.addAndGet(Duration.ofSeconds(4).toNanos());
        assertThat(client.latest("a-value").version()).isEqualTo(1);
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(client.latest("a-value").version()).isEqualTo(2);

        assertThat(counting.calls("latest")).isEqualTo(2);
    }

    @Test
    void asksForTheLatestVersionEveryTimeWhenItsTimeToLiveIsZero() {
        registry.register("a-value", PING_V1);
        CachingSchemaRegistryClient client = caching(10, Duration.ZERO);

        client.latest("a-value");
        client.latest("a-value");

        assertThat(counting.calls("latest")).isEqualTo(2);
    }

    @Test
    void evictsTheLeastRecentlyUsedEntryBeyondItsCapacity() {
        int first = registry.register("a-value", PING_V1);
        int second = registry.register("b-value", PING_V2_OPTIONAL_NOTE);
        int third = registry.register("c-value", TestSchemas.PING_V2_COUNT_AS_STRING);
        CachingSchemaRegistryClient client = caching(2, Duration.ZERO);

        client.schemaById(first);
        client.schemaById(second);
        client.schemaById(first);
        client.schemaById(third);
        assertThat(counting.calls("schemaById")).isEqualTo(3);

        client.schemaById(first);
        assertThat(counting.calls("schemaById")).isEqualTo(3);
        client.schemaById(second);
        assertThat(counting.calls("schemaById")).isEqualTo(4);
    }

    @Test
    void passesListsLevelsAndChecksThrough() {
        registry.register("a-value", PING_V1);
        CachingSchemaRegistryClient client = caching(10, Duration.ofMinutes(1));

        for (int i = 0; i < 2; i++) {
            client.versions("a-value");
            client.subjects();
            client.isCompatible("a-value", PING_V2_OPTIONAL_NOTE);
            client.compatibility("a-value");
            client.globalCompatibility();
        }
        client.setCompatibility("a-value", CompatibilityLevel.FULL);
        client.setGlobalCompatibility(CompatibilityLevel.NONE);
        client.close();

        assertThat(counting.calls("versions")).isEqualTo(2);
        assertThat(counting.calls("subjects")).isEqualTo(2);
        assertThat(counting.calls("isCompatible")).isEqualTo(2);
        assertThat(counting.calls("compatibility")).isEqualTo(2);
        assertThat(counting.calls("globalCompatibility")).isEqualTo(2);
        assertThat(registry.compatibility("a-value")).isEqualTo(CompatibilityLevel.FULL);
        assertThat(registry.globalCompatibility()).isEqualTo(CompatibilityLevel.NONE);
        assertThat(counting.calls("close")).isEqualTo(1);
    }
}
