package dev.shipstream.streams.state;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's window stores are RocksDB window stores whose changelog offsets Kafka Streams checkpoints to a file
 * (which also exists for a store without segments), and every window or session store of the streams code comes from
 * {@link WindowStores}. That a clean restart then reuses the stores is shown on a real broker by
 * {@code CleanRestartIT}.
 */
class WindowStoresTest {

    @Test
    void buildsTheRocksDbWindowStoreWithTheSameSettings() {
        WindowBytesStoreSupplier rocksDb = Stores.persistentWindowStore("seen", Duration.ofDays(7), Duration.ofMillis(1),
                true);
        WindowBytesStoreSupplier ours = WindowStores.persistentWindowStore("seen", Duration.ofDays(7),
                Duration.ofMillis(1), true);

        assertThat(ours.name()).isEqualTo(rocksDb.name());
        assertThat(ours.metricsScope()).isEqualTo(rocksDb.metricsScope());
        assertThat(ours.segmentIntervalMs()).isEqualTo(rocksDb.segmentIntervalMs());
        assertThat(ours.windowSize()).isEqualTo(rocksDb.windowSize());
        assertThat(ours.retentionPeriod()).isEqualTo(rocksDb.retentionPeriod());
        assertThat(ours.retainDuplicates()).isTrue();
    }

    @Test
    @SuppressWarnings("deprecation")
    void leavesTheOffsetsToKafkaStreamsCheckpointFile() {
        WindowStore<Bytes, byte[]> store = WindowStores.persistentWindowStore("seen", Duration.ofDays(1),
                Duration.ofDays(1), false).get();
        WindowStore<Bytes, byte[]> rocksDb = Stores.persistentWindowStore("seen", Duration.ofDays(1),
                Duration.ofDays(1), false).get();

        // Kafka Streams wraps a persistent store that does not manage its offsets in its file checkpointing.
        assertThat(rocksDb.managesOffsets()).isTrue();
        assertThat(store.managesOffsets()).isFalse();
        assertThat(store.persistent()).isTrue();
        assertThat(store.committedOffset(new TopicPartition("changelog", 0))).isNull();
    }

    @Test
    void streamsCodeBuildsWindowAndSessionStoresOnlyThroughWindowStores() {
        noClasses().that().resideOutsideOfPackage("..streams.state..")
                .should().callMethodWhere(target(owner(equivalentTo(Stores.class)))
                        .and(target(nameMatching("persistent\\w*(Window|Session)Store"))))
                .because("a segmented store without segments loses its changelog offset (see WindowStores)")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dev.shipstream.streams"));
    }
}
