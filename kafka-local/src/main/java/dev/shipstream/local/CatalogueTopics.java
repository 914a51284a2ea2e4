package dev.shipstream.local;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.shipstream.schemas.TopicDescriptor;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics of the catalogue that do not exist yet, with their partitions, cleanup policy, retention,
 * replication factor and {@code min.insync.replicas}. The durability values are the descriptor's capped at the
 * cluster's size ({@link TopicDescriptor#replicationFactorOn(int)}, {@link TopicDescriptor#minInsyncReplicasOn(int)}):
 * 1 and 1 on the single development broker, the production 3 and 2 on a cluster of three or more brokers. Existing
 * topics are left as they are, so running it on every start is safe.
 */
public final class CatalogueTopics {

    private CatalogueTopics() {
    }

    /**
     * Ensures every descriptor's topic exists.
     *
     * @param bootstrapServers the cluster
     * @param topics the descriptors
     * @return the names of the topics it created
     */
    public static List<String> ensure(String bootstrapServers, Collection<TopicDescriptor<?, ?>> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            int brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream()
                    .filter(topic -> !existing.contains(topic.name()))
                    .map(topic -> new NewTopic(topic.name(), topic.partitions(), topic.replicationFactorOn(brokers))
                            .configs(topic.topicConfigsOn(brokers)))
                    .toList();
            if (!missing.isEmpty()) {
                createToleratingRaces(admin, missing);
            }
            return missing.stream().map(NewTopic::name).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the catalogue's topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create the catalogue's topics on " + bootstrapServers, e);
        }
    }

    private static void createToleratingRaces(Admin admin, List<NewTopic> missing)
            throws InterruptedException, TimeoutException, ExecutionException {
        for (var result : admin.createTopics(missing).values().values()) {
            try {
                result.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // Another process (a second devstack, a test) created it between our listing and our request.
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }
}
