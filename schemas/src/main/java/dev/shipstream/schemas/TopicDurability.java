package dev.shipstream.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares how the catalogue's topics are really stored with what their descriptors promise: a topic whose
 * replication factor or {@code min.insync.replicas} is below the descriptor's can lose acknowledged writes when a
 * broker fails. The ingress and the streams app run this once at start-up and log a WARN per shortfall; on a
 * single-broker development cluster the warning is expected (topics there are created with the values capped at the
 * cluster's size).
 *
 * <p>Reads only (Admin {@code describeTopics} and {@code describeConfigs}); a topic that does not exist is not a
 * shortfall here. Blocking: call it from a main or worker thread, never a Vert.x event loop.
 */
public final class TopicDurability {

    private static final Logger LOG = LoggerFactory.getLogger(TopicDurability.class);

    private TopicDurability() {
    }

    /**
     * The shortfalls of the given topics, one sentence each.
     *
     * @param admin a connected admin client
     * @param topics the descriptors to check
     * @param timeout the longest wait for each of the two admin calls
     * @return one message per topic stored less durably than its descriptor; empty if all are as promised
     * @throws ExecutionException if the cluster could not be described
     * @throws TimeoutException if it did not answer in time
     * @throws InterruptedException if interrupted while waiting
     */
    public static List<String> shortfalls(Admin admin, Collection<TopicDescriptor<?, ?>> topics, Duration timeout)
            throws ExecutionException, TimeoutException, InterruptedException {
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        Map<String, KafkaFuture<TopicDescription>> described = admin
                .describeTopics(topics.stream().map(TopicDescriptor::name).toList(),
                        new DescribeTopicsOptions().timeoutMs(timeoutMs))
                .topicNameValues();
        List<TopicDescriptor<?, ?>> existing = new ArrayList<>();
        List<Integer> factors = new ArrayList<>();
        for (TopicDescriptor<?, ?> topic : topics) {
            try {
                TopicDescription description = described.get(topic.name()).get(timeoutMs, TimeUnit.MILLISECONDS);
                existing.add(topic);
                factors.add(description.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
        }
        if (existing.isEmpty()) {
            return List.of();
        }
        List<ConfigResource> resources = existing.stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic.name())).toList();
        Map<ConfigResource, Config> configs = admin
                .describeConfigs(resources, new DescribeConfigsOptions().timeoutMs(timeoutMs))
                .all().get(timeoutMs, TimeUnit.MILLISECONDS);
        List<String> shortfalls = new ArrayList<>();
        for (int i = 0; i < existing.size(); i++) {
            TopicDescriptor<?, ?> topic = existing.get(i);
            ConfigEntry entry = configs.get(resources.get(i)).get(TopicDescriptor.MIN_INSYNC_REPLICAS_CONFIG);
            int minInsync = entry == null || entry.value() == null ? 1 : Integer.parseInt(entry.value());
            int factor = factors.get(i);
            if (factor < topic.replicationFactor() || minInsync < topic.minInsyncReplicas()) {
                shortfalls.add("topic " + topic.name() + " is stored less durably than the catalogue asks: "
                        + "replication factor " + factor + " (catalogue: " + topic.replicationFactor() + "), "
                        + "min.insync.replicas " + minInsync + " (catalogue: " + topic.minInsyncReplicas() + "); "
                        + "acknowledged writes can be lost when a broker fails. Expected on a single-broker "
                        + "development cluster; in production see docs/topics.md");
            }
        }
        return shortfalls;
    }

    /**
     * Checks the catalogue and logs a WARN per shortfall. Never throws: a check that cannot be made is itself a WARN,
     * and start-up goes on.
     *
     * @param adminConfig admin client configuration: {@code bootstrap.servers} and any security settings
     * @param timeout the longest wait for each admin call
     */
    public static void warnIfUnderReplicated(Map<String, Object> adminConfig, Duration timeout) {
        check(adminConfig, Topics.all(), timeout, LOG::warn);
    }

    /**
     * Checks {@code topics} and hands each shortfall, or the reason the check failed, to {@code warn}.
     *
     * @param adminConfig admin client configuration
     * @param topics the descriptors to check
     * @param timeout the longest wait for each admin call
     * @param warn receives one message per shortfall
     */
    public static void check(Map<String, Object> adminConfig, Collection<TopicDescriptor<?, ?>> topics,
            Duration timeout, Consumer<String> warn) {
        try (Admin admin = Admin.create(adminConfig)) {
            shortfalls(admin, topics, timeout).forEach(warn);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            warn.accept("could not check the replication of the catalogue's topics: interrupted");
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            warn.accept("could not check the replication of the catalogue's topics: " + cause);
        }
    }
}
