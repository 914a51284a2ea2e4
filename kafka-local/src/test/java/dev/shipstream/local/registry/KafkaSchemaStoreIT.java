package dev.shipstream.local.registry;

import dev.shipstream.local.LocalKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.shipstream.local.registry.TestSchemas.ID_AS_LONG;
import static dev.shipstream.local.registry.TestSchemas.ORDER_ID;
import static dev.shipstream.local.registry.TestSchemas.WITH_OPTIONAL_NOTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The registry on a real single-node Kafka broker: durable across restarts, convergent across instances. */
class KafkaSchemaStoreIT {

    @TempDir
    static Path dataDir;

    private static LocalKafkaBroker broker;

    private final List<DevSchemaRegistry> registries = new ArrayList<>();

    @BeforeAll
    static void startBroker() {
        broker = LocalKafkaBroker.builder().dataDir(dataDir).listenerPort(0).build().start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @AfterEach
    void closeRegistries() {
        registries.forEach(DevSchemaRegistry::close);
    }

    private RegistryHttp startRegistry(String topic) {
        DevSchemaRegistry registry = DevSchemaRegistry.builder()
                .port(0)
                .bootstrapServers(broker.bootstrapServers())
                .topic(topic)
                .build();
        registries.add(registry);
        return new RegistryHttp(registry.start().baseUrl());
    }

    @Test
    void aRestartedRegistryServesTheSameIdsVersionsAndConfig() throws Exception {
        RegistryHttp first = startRegistry("_schemas_restart");
        int orderV1 = first.registerOk("orders-value", ORDER_ID);
        int orderV2 = first.registerOk("orders-value", WITH_OPTIONAL_NOTE);
        int shipment = first.registerOk("shipments-value", ORDER_ID);
        first.setLevel("/config", "FULL");
        first.setLevel("/config/orders-value", "NONE");
        first.delete("/subjects/shipments-value");
        registries.get(0).close();

        RegistryHttp restarted = startRegistry("_schemas_restart");

        assertThat(restarted.get("/subjects").body()).isEqualTo("[\"orders-value\"]");
        assertThat(restarted.get("/subjects/orders-value/versions").body()).isEqualTo("[1,2]");
        assertThat(restarted.get("/subjects/orders-value/versions/1").json().get("id").asInt()).isEqualTo(orderV1);
        assertThat(restarted.get("/subjects/orders-value/versions/2").json().get("id").asInt()).isEqualTo(orderV2);
        assertThat(shipment).isEqualTo(orderV1);
        assertThat(restarted.get("/schemas/ids/" + orderV2).json().get("schema").asText()).contains("note");
        assertThat(restarted.get("/config").json().get("compatibilityLevel").asText()).isEqualTo("FULL");
        assertThat(restarted.get("/config/orders-value").json().get("compatibilityLevel").asText())
                .isEqualTo("NONE");
        assertThat(restarted.registerOk("orders-value", ID_AS_LONG)).isEqualTo(orderV2 + 1);
        assertThat(restarted.registerOk("shipments-value", ORDER_ID)).isEqualTo(orderV1);
        assertThat(restarted.get("/subjects/shipments-value/versions").body()).isEqualTo("[2]");
        assertTopicIsCompactedWithOnePartition("_schemas_restart");
    }

    @Test
    void twoRegistriesOnOneTopicConverge() {
        RegistryHttp left = startRegistry("_schemas_converge");
        RegistryHttp right = startRegistry("_schemas_converge");

        int id = left.registerOk("orders-value", ORDER_ID);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(right.get("/schemas/ids/" + id).status()).isEqualTo(200));
        int next = right.registerOk("orders-value", WITH_OPTIONAL_NOTE);
        right.setLevel("/config/orders-value", "FORWARD");
        assertThat(next).isEqualTo(id + 1);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(left.get("/subjects/orders-value/versions").body()).isEqualTo("[1,2]");
            assertThat(left.get("/config/orders-value").json().get("compatibilityLevel").asText())
                    .isEqualTo("FORWARD");
        });
    }

    private static void assertTopicIsCompactedWithOnePartition(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(topic);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(Set.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);

            assertThat(description.partitions()).hasSize(1);
            assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
        }
    }
}
