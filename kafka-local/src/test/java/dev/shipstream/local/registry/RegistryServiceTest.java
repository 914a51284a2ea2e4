package dev.shipstream.local.registry;

import dev.shipstream.local.registry.RegistryRecord.SchemaRegistered;
import dev.shipstream.schemas.serde.RegisteredSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static dev.shipstream.local.registry.TestSchemas.WITH_OPTIONAL_NOTE;
import static dev.shipstream.local.registry.TestSchemas.ORDER_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class RegistryServiceTest {

    private final InMemorySchemaStore log = new InMemorySchemaStore();
    private final InMemorySchemaStore otherInstance = log.sharingLog();

    @AfterEach
    void closeStores() {
        log.close();
        otherInstance.close();
    }

    @Test
    void retriesWithFreshIdAndVersionWhenAnotherInstanceWroteFirst() {
        otherInstance.start(record -> { }, Duration.ofSeconds(1));
        SchemaStore racing = new RacingStore(log, () ->
                otherInstance.append(new SchemaRegistered("orders-value", 1, 1, WITH_OPTIONAL_NOTE)).join());
        RegistryState state = new RegistryState();
        racing.start(state, Duration.ofSeconds(1));
        RegistryService service = new RegistryService(state, racing, Duration.ofSeconds(1));

        int id = service.register("orders-value", ORDER_ID, null);

        assertThat(id).isEqualTo(2);
        assertThat(state.liveVersions("orders-value")).extracting(RegisteredSchema::version, RegisteredSchema::id)
                .containsExactly(tuple(1, 1), tuple(2, 2));
        assertThat(log.records()).hasSize(3);
    }

    /** Lets another instance append once just before this instance's first append, as a race would. */
    private static final class RacingStore implements SchemaStore {
        private final SchemaStore delegate;
        private Runnable competitor;

        RacingStore(SchemaStore delegate, Runnable competitor) {
            this.delegate = delegate;
            this.competitor = competitor;
        }

        @Override
        public void start(Consumer<RegistryRecord> applier, Duration timeout) {
            delegate.start(applier, timeout);
        }

        @Override
        public CompletableFuture<Void> append(RegistryRecord record) {
            if (competitor != null) {
                competitor.run();
                competitor = null;
            }
            return delegate.append(record);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
