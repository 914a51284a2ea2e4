import dev.shipstream.local.CatalogueTopics;
import dev.shipstream.local.LocalKafkaBroker;
import dev.shipstream.local.registry.DevSchemaRegistry;
import dev.shipstream.schemas.Topics;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The broker side of the benchmarks (not a test, not shipped): one local Kafka broker (the devstack's
 * {@link LocalKafkaBroker}, same settings) with the catalogue's topics, and the dev schema registry, and nothing
 * else. The full devstack also runs its own ingress and the streams app, and that streams app consumes, normalises
 * and transactionally re-publishes every record the ingress benchmark writes to the raw topic: it would compete for
 * the two cores with the process being measured, which is not the setting the targets describe (broker, server and
 * load generator).
 *
 * <p>Run as a single-file program with the devstack's classpath:
 * {@code java -cp "$(cat devstack/target/devstack.classpath)" bench/BenchBroker.java <data-dir> <kafka-port>
 * <registry-port>}. Prints {@code bench broker is ready} once both answer; stops on SIGTERM.
 */
public final class BenchBroker {

    public static void main(String[] args) throws InterruptedException {
        Path dataDir = Path.of(args[0]);
        int kafkaPort = Integer.parseInt(args[1]);
        int registryPort = Integer.parseInt(args[2]);
        LocalKafkaBroker broker = LocalKafkaBroker.builder().dataDir(dataDir).listenerPort(kafkaPort).build();
        broker.start();
        CatalogueTopics.ensure(broker.bootstrapServers(), Topics.all());
        DevSchemaRegistry registry = DevSchemaRegistry.builder()
                .bootstrapServers(broker.bootstrapServers())
                .port(registryPort)
                .build();
        registry.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (broker; registry) {
                stopped.countDown();
            }
        }, "bench-broker-shutdown"));
        System.out.println("bench broker is ready: kafka " + broker.bootstrapServers() + ", registry "
                + registry.baseUrl());
        stopped.await();
    }
}
