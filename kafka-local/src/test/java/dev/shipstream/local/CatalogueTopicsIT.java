package dev.shipstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipstream.schemas.TopicDescriptor;
import dev.shipstream.schemas.TopicDurability;
import dev.shipstream.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogueTopicsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    private LocalKafkaBroker broker;

    @BeforeEach
    void start() {
        broker = LocalKafkaBroker.builder().dataDir(dataDir).listenerPort(0).build().start();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void createsTheCatalogueWithDurabilityCappedAtTheSingleBroker() throws Exception {
        List<String> created = CatalogueTopics.ensure(broker.bootstrapServers(), Topics.all());

        assertThat(created).containsExactlyElementsOf(Topics.all().stream().map(TopicDescriptor::name).toList());
        try (Admin admin = admin()) {
            for (TopicDescriptor<?, ?> topic : Topics.all()) {
                TopicDescription description = admin.describeTopics(List.of(topic.name())).allTopicNames().get()
                        .get(topic.name());
                assertThat(description.partitions()).hasSize(topic.partitions())
                        .allSatisfy(p -> assertThat(p.replicas()).hasSize(1));
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.name());
                Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
                assertThat(config.get("min.insync.replicas").value()).as(topic.name()).isEqualTo("1");
                assertThat(config.get("retention.ms").value()).isEqualTo(topic.topicConfigs().get("retention.ms"));
            }
        }
        assertThat(CatalogueTopics.ensure(broker.bootstrapServers(), Topics.all())).isEmpty();
    }

    @Test
    void warnsAboutEveryCatalogueTopicStoredBelowItsProductionDurability() {
        CatalogueTopics.ensure(broker.bootstrapServers(), Topics.all());
        List<String> warnings = new ArrayList<>();

        TopicDurability.check(adminConfig(), Topics.all(), TIMEOUT, warnings::add);

        assertThat(warnings).hasSize(Topics.all().size()).allSatisfy(w -> assertThat(w)
                .contains("replication factor 1 (catalogue: 3)", "min.insync.replicas 1 (catalogue: 2)"));
        assertThat(warnings.get(0)).startsWith("topic shipstream.webhooks.raw is stored less durably");
    }

    @Test
    void saysNothingAboutTopicsStoredAsDurablyAsTheirDescriptorsAskOrMissing() {
        TopicDescriptor<String, String> singleCopy = new TopicDescriptor<>("single-copy", String.class, String.class,
                TopicDescriptor.CleanupPolicy.DELETE, Duration.ofDays(1), 1, "a topic promising one copy",
                (short) 1, 1);
        TopicDescriptor<String, String> missing = new TopicDescriptor<>("never-created", String.class, String.class,
                TopicDescriptor.CleanupPolicy.DELETE, Duration.ofDays(1), 1, "a topic nobody created");
        CatalogueTopics.ensure(broker.bootstrapServers(), List.of(singleCopy));
        List<String> warnings = new ArrayList<>();

        TopicDurability.check(adminConfig(), List.of(singleCopy, missing), TIMEOUT, warnings::add);

        assertThat(warnings).isEmpty();
    }

    @Test
    void aCheckThatCannotReachTheClusterIsAWarningNotAFailure() {
        broker.stop();
        List<String> warnings = new ArrayList<>();

        TopicDurability.check(adminConfig(), Topics.all(), Duration.ofSeconds(2), warnings::add);

        assertThat(warnings).singleElement().asString()
                .startsWith("could not check the replication of the catalogue's topics: ");
    }

    private Map<String, Object> adminConfig() {
        return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    }

    private Admin admin() {
        return Admin.create(adminConfig());
    }
}
