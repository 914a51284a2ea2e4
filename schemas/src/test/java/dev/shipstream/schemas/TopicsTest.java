package dev.shipstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void catalogueNamesThePipelineTopicsOnce() {
        assertThat(Topics.all()).extracting(TopicDescriptor::name)
                .containsExactly("shipstream.webhooks.raw", "shipstream.events", "shipstream.deadletter",
                        "shipstream.review-cycles", "shipstream.delivery-metrics")
                .doesNotHaveDuplicates();
    }

    @Test
    void subjectsFollowTopicNameStrategy() {
        assertThat(Topics.EVENTS.valueSubject()).isEqualTo("shipstream.events-value");
        assertThat(Topics.EVENTS.keySubject()).isEqualTo("shipstream.events-key");
    }

    @Test
    void topicConfigsCarryCleanupPolicyAndRetention() {
        assertThat(Topics.WEBHOOKS_RAW.topicConfigs())
                .containsEntry("cleanup.policy", "delete")
                .containsEntry("retention.ms", Long.toString(Duration.ofDays(30).toMillis()));
        TopicDescriptor<String, String> forever = new TopicDescriptor<>("t", String.class, String.class,
                TopicDescriptor.CleanupPolicy.COMPACT, null, 1, "d");
        assertThat(forever.topicConfigs()).containsEntry("cleanup.policy", "compact").containsEntry("retention.ms", "-1");
    }

    @Test
    void everyCatalogueTopicCarriesTheProductionDurability() {
        assertThat(Topics.all()).allSatisfy(topic -> {
            assertThat(topic.replicationFactor()).isEqualTo((short) 3);
            assertThat(topic.minInsyncReplicas()).isEqualTo(2);
            assertThat(topic.topicConfigs()).containsEntry("min.insync.replicas", "2");
        });
    }

    @Test
    void capsDurabilityAtTheClusterSizeKeepingOneBrokerSpare() {
        TopicDescriptor<?, ?> topic = Topics.EVENTS;

        assertThat(topic.replicationFactorOn(1)).isEqualTo((short) 1);
        assertThat(topic.minInsyncReplicasOn(1)).isEqualTo(1);
        assertThat(topic.replicationFactorOn(2)).isEqualTo((short) 2);
        assertThat(topic.minInsyncReplicasOn(2)).isEqualTo(1);
        assertThat(topic.replicationFactorOn(3)).isEqualTo((short) 3);
        assertThat(topic.minInsyncReplicasOn(3)).isEqualTo(2);
        assertThat(topic.replicationFactorOn(5)).isEqualTo((short) 3);
        assertThat(topic.topicConfigsOn(1)).containsEntry("min.insync.replicas", "1")
                .containsEntry("retention.ms", topic.topicConfigs().get("retention.ms"));
    }

    @Test
    void rejectsMoreInSyncReplicasThanCopies() {
        assertThatThrownBy(() -> new TopicDescriptor<>("t", String.class, String.class,
                TopicDescriptor.CleanupPolicy.DELETE, null, 1, "d", (short) 2, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("topic t needs 1 <= min.insync.replicas <= replication factor, got 3 and 2");
    }

    @Test
    void rejectsATopicWithoutPartitions() {
        assertThatThrownBy(() -> new TopicDescriptor<>("t", String.class, String.class,
                TopicDescriptor.CleanupPolicy.DELETE, null, 0, "d"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("partitions must be at least 1 for topic t");
    }
}
