package dev.shipstream.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipstream.schemas.TopicDescriptor;
import dev.shipstream.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Keeps the topics docker-compose.yml creates equal to the catalogue, durability included. */
class ComposeTopicsTest {

    private static final Path COMPOSE = Path.of("..", "docker-compose.yml");

    @Test
    void composeCreatesEveryCatalogueTopicAsTheCatalogueSaysOnItsSingleBroker() throws IOException {
        String compose = Files.readString(COMPOSE);

        for (TopicDescriptor<?, ?> topic : Topics.all()) {
            assertThat(compose).as(topic.name()).contains("create " + topic.name() + " " + topic.partitions() + " "
                    + topic.topicConfigs().get("retention.ms") + "\n");
            assertThat(compose).contains("REPLICATION_FACTOR: ${SHIPSTREAM_TOPIC_REPLICATION_FACTOR:-"
                    + topic.replicationFactorOn(1) + "}");
            assertThat(compose).contains("MIN_INSYNC_REPLICAS: ${SHIPSTREAM_TOPIC_MIN_INSYNC_REPLICAS:-"
                    + topic.minInsyncReplicasOn(1) + "}");
        }
        assertThat(compose).contains("--replication-factor \"$$REPLICATION_FACTOR\"",
                "--config min.insync.replicas=\"$$MIN_INSYNC_REPLICAS\"");
    }
}
