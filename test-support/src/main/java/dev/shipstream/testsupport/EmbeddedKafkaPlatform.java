package dev.shipstream.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import dev.shipstream.local.CatalogueTopics;
import dev.shipstream.local.LocalKafkaBroker;
import dev.shipstream.local.registry.DevSchemaRegistry;
import dev.shipstream.schemas.Topics;

/**
 * The default platform: the devstack's own single-node KRaft broker and development schema registry, inside the
 * test JVM, on free loopback ports, with data in a temporary directory deleted at the end. The catalogue's topics
 * exist from the start. {@link #stopBroker()} shuts the broker down for real; {@link #startBroker()} restarts it on
 * the same port and data.
 */
final class EmbeddedKafkaPlatform implements KafkaPlatform {

    private final Path dataDir;
    private final LocalKafkaBroker broker;
    private final DevSchemaRegistry registry;

    private EmbeddedKafkaPlatform(Path dataDir, LocalKafkaBroker broker, DevSchemaRegistry registry) {
        this.dataDir = dataDir;
        this.broker = broker;
        this.registry = registry;
    }

    static KafkaPlatform start() {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("shipstream-test-kafka");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a data directory for the test broker", e);
        }
        LocalKafkaBroker broker = LocalKafkaBroker.builder().dataDir(dataDir).listenerPort(0).build().start();
        CatalogueTopics.ensure(broker.bootstrapServers(), Topics.all());
        DevSchemaRegistry registry = DevSchemaRegistry.builder()
                .bootstrapServers(broker.bootstrapServers())
                .port(0)
                .build();
        registry.start();
        return new EmbeddedKafkaPlatform(dataDir, broker, registry);
    }

    @Override
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    @Override
    public String schemaRegistryUrl() {
        return registry.baseUrl();
    }

    @Override
    public void stopBroker() {
        broker.stop();
    }

    @Override
    public void startBroker() {
        broker.start();
    }

    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            broker.close();
            deleteRecursively(dataDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the test broker's data in " + dir, e);
        }
    }
}
