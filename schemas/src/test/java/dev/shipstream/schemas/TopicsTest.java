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
                        "shipstream.review-cycles")
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
    void rejectsATopicWithoutPartitions() {
        assertThatThrownBy(() -> new TopicDescriptor<>("t", String.class, String.class,
                TopicDescriptor.CleanupPolicy.DELETE, null, 0, "d"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("partitions must be at least 1 for topic t");
    }
}
