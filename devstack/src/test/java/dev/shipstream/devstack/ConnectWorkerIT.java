package dev.shipstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.Topics;
import dev.shipstream.schemas.connect.AvroConverter;
import dev.shipstream.schemas.connect.ContractFixtures;
import dev.shipstream.schemas.serde.AvroSerializer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The devstack's Kafka Connect worker on the real local broker: its REST API, its internal topics, a connector
 * loaded in isolation from {@code plugin.path} (compiled by this test, on no classpath) and created over REST,
 * consuming Avro {@code DeliveryEvent}s that the project's converter turns into {@code Struct}s, and a restart that
 * keeps the connector and its committed offsets.
 */
class ConnectWorkerIT {

    private static final String PLUGIN_CONNECTOR = "dev.shipstream.devstack.testplugin.RecordingSinkConnector";
    private static final String PLUGIN_CLASS_LOADER = "org.apache.kafka.connect.runtime.isolation.PluginClassLoader";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;
    @TempDir
    Path work;

    private Path plugins;
    private Path output;

    @BeforeEach
    void packageTheTestPlugin() throws IOException {
        plugins = Files.createDirectories(work.resolve("plugins"));
        packageRecordingSink(plugins.resolve("recording-sink"), work.resolve("classes"));
        output = work.resolve("recorded.tsv");
    }

    private DevStack start() {
        return DevStack.start(new DevStackOptions(dataDir, false, 0, 0, 0, 0, 0, plugins), Map.of());
    }

    @Test
    void workerAnswersOnItsRestApiAndListsThePluginLoadedFromThePluginPath() {
        assertThatThrownBy(() -> Class.forName(PLUGIN_CONNECTOR))
                .as("the test plugin is only on plugin.path").isInstanceOf(ClassNotFoundException.class);
        ClassLoader contextLoader = Thread.currentThread().getContextClassLoader();
        try (DevStack stack = start()) {
            assertThat(Thread.currentThread().getContextClassLoader())
                    .as("Connect's start-up leaves the caller's context class loader as it was").isSameAs(contextLoader);
            assertThat(stack.banner()).contains("Kafka Connect", stack.connectUrl().toString(), plugins.toString());

            JsonNode root = getJson(stack, "/");
            assertThat(root.path("version").asText()).isEqualTo("4.3.1");
            assertThat(root.path("kafka_cluster_id").asText()).isNotBlank();

            JsonNode connectors = getJson(stack, "/connector-plugins");
            assertThat(connectors).anySatisfy(plugin -> {
                assertThat(plugin.path("class").asText()).isEqualTo(PLUGIN_CONNECTOR);
                assertThat(plugin.path("type").asText()).isEqualTo("sink");
                assertThat(plugin.path("version").asText()).isEqualTo("1.0-test");
            });
            JsonNode all = getJson(stack, "/connector-plugins?connectorsOnly=false");
            assertThat(all).anySatisfy(plugin -> {
                assertThat(plugin.path("class").asText()).isEqualTo(AvroConverter.class.getName());
                assertThat(plugin.path("type").asText()).isEqualTo("converter");
            });
        }
    }

    @Test
    void keepsItsConfigOffsetAndStatusTopicsCompactedOnTheLocalBroker() throws Exception {
        List<String> internal = List.of(ConnectWorker.CONFIG_TOPIC, ConnectWorker.OFFSET_TOPIC,
                ConnectWorker.STATUS_TOPIC);
        try (DevStack stack = start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            Map<String, TopicDescription> topics = admin.describeTopics(internal).allTopicNames().get();
            assertThat(topics.values()).allSatisfy(topic -> assertThat(topic.partitions())
                    .allSatisfy(partition -> assertThat(partition.replicas()).hasSize(1)));
            assertThat(topics.get(ConnectWorker.CONFIG_TOPIC).partitions()).hasSize(1);

            Map<ConfigResource, Config> configs = admin.describeConfigs(internal.stream()
                    .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList()).all().get();
            assertThat(configs.values()).hasSize(3).allSatisfy(config ->
                    assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact"));
        }
    }

    @Test
    void connectorCreatedOverRestReceivesAvroEventsAsStructsAndSurvivesARestart() {
        DeliveryEvent first = event("connect-it-1");
        DeliveryEvent second = event("connect-it-2");
        try (DevStack stack = start()) {
            HttpResponse<String> created = putConnector(stack, "recorder");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

            produce(stack, first, second);

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(recorded()).containsExactly(
                    first.getEntityKey() + "\tconnect-it-1\t" + PLUGIN_CLASS_LOADER,
                    second.getEntityKey() + "\tconnect-it-2\t" + PLUGIN_CLASS_LOADER));
            assertThat(getJson(stack, "/connectors/recorder/status").path("tasks").get(0).path("state").asText())
                    .isEqualTo("RUNNING");
        }

        DeliveryEvent third = event("connect-it-3");
        try (DevStack restarted = start()) {
            assertThat(getJson(restarted, "/connectors")).extracting(JsonNode::asText).containsExactly("recorder");
            produce(restarted, third);

            // The worker stopped before the broker, so the task committed its offsets: nothing is delivered twice.
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(recorded()).hasSize(3)
                    .last().asString().startsWith(third.getEntityKey() + "\tconnect-it-3\t"));
        }
    }

    @Test
    void connectorSecretsResolveFromShipstreamEnvironmentVariablesOnlyWhileRestShowsThePlaceholder() throws IOException {
        // SHIPSTREAM_CONNECT_IT_TOKEN is set for this JVM by the failsafe configuration in devstack/pom.xml.
        String placeholders = "token=${env:SHIPSTREAM_CONNECT_IT_TOKEN} path=${env:PATH}";
        try (DevStack stack = start()) {
            HttpResponse<String> created = putConnector(stack, "secretive", Map.of("echo", placeholders));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

            Path echo = Path.of(output + ".echo");
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(echo));
            assertThat(Files.readString(echo, StandardCharsets.UTF_8))
                    .isEqualTo("token=xoxb-connect-it-token path=${env:PATH}");
            assertThat(getJson(stack, "/connectors/secretive/config").path("echo").asText()).isEqualTo(placeholders);
            assertThat(getJson(stack, "/connectors/secretive/tasks").toString()).doesNotContain("xoxb-connect-it-token");
        }
    }

    @Test
    void aTakenConnectPortFailsTheStartNamingThePortAndStopsEverythingElse() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = Integer.toString(taken.getLocalPort());
            DevStackOptions options = new DevStackOptions(dataDir, false, 0, 0, 0, 0, taken.getLocalPort(), plugins);

            assertThatThrownBy(() -> DevStack.start(options, Map.of())).satisfies(e -> assertThat(
                    Stream.iterate(e, Objects::nonNull, Throwable::getCause).map(Throwable::getMessage))
                    .as("the failure or one of its causes names the port").anySatisfy(message ->
                            assertThat(message).contains(port)));
        }
        // Everything that had started was stopped: the data directory's lock is free and the stack starts again.
        try (DevStack stack = start()) {
            assertThat(getJson(stack, "/").path("version").asText()).isEqualTo("4.3.1");
        }
    }

    private static DeliveryEvent event(String eventId) {
        DeliveryEvent template = ContractFixtures.fullDeliveryEvent();
        return DeliveryEvent.newBuilder(template).setEventId(eventId).build();
    }

    private HttpResponse<String> putConnector(DevStack stack, String name) {
        return putConnector(stack, name, Map.of());
    }

    private HttpResponse<String> putConnector(DevStack stack, String name, Map<String, String> extra) {
        try {
            Map<String, String> settings = new HashMap<>(Map.of(
                    "connector.class", PLUGIN_CONNECTOR,
                    "tasks.max", "1",
                    "topics", Topics.EVENTS.name(),
                    "output.file", output.toString()));
            settings.putAll(extra);
            String config = JSON.writeValueAsString(settings);
            return HTTP.send(HttpRequest.newBuilder(URI.create(stack.connectUrl() + "/connectors/" + name + "/config"))
                    .header("content-type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(config)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static JsonNode getJson(DevStack stack, String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(stack.connectUrl() + path))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void produce(DevStack stack, DeliveryEvent... events) {
        AvroSerializer<DeliveryEvent> values = new AvroSerializer<>();
        values.configure(Map.of("schema.registry.url", stack.schemaRegistryUrl()), false);
        try (KafkaProducer<String, DeliveryEvent> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), values)) {
            for (DeliveryEvent event : events) {
                producer.send(new ProducerRecord<>(Topics.EVENTS.name(), event.getEntityKey(), event)).get();
            }
        } catch (Exception e) {
            throw new AssertionError("Producing to the devstack failed", e);
        }
    }

    private List<String> recorded() throws IOException {
        return Files.exists(output) ? Files.readAllLines(output, StandardCharsets.UTF_8) : List.of();
    }

    /**
     * Compiles the sink in {@code src/test/resources/recording-sink} and packages it as Connect expects a plugin:
     * a directory under {@code plugin.path} holding a jar with the classes and a ServiceLoader manifest.
     */
    private static void packageRecordingSink(Path pluginDir, Path classes) throws IOException {
        Path source = classes.resolveSibling("RecordingSinkConnector.java");
        try (InputStream in = ConnectWorkerIT.class.getResourceAsStream("/recording-sink/RecordingSinkConnector.java")) {
            Files.createDirectories(classes);
            Files.copy(in, source);
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int status = compiler.run(null, null, null, "--release", "17", "-proc:none",
                "-classpath", System.getProperty("java.class.path"), "-d", classes.toString(), source.toString());
        assertThat(status).as("compiling the test plugin").isZero();

        Files.createDirectories(pluginDir);
        try (OutputStream file = Files.newOutputStream(pluginDir.resolve("recording-sink.jar"));
             JarOutputStream jar = new JarOutputStream(file);
             Stream<Path> compiled = Files.walk(classes)) {
            List<Path> classFiles = compiled.filter(path -> path.toString().endsWith(".class")).toList();
            for (Path classFile : classFiles) {
                jar.putNextEntry(new JarEntry(classes.relativize(classFile).toString().replace('\\', '/')));
                jar.write(Files.readAllBytes(classFile));
                jar.closeEntry();
            }
            jar.putNextEntry(new JarEntry("META-INF/services/org.apache.kafka.connect.sink.SinkConnector"));
            jar.write((PLUGIN_CONNECTOR + "\n").getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
    }
}
