import dev.shipstream.local.CatalogueTopics;
import dev.shipstream.local.LocalKafkaBroker;
import dev.shipstream.local.registry.DevSchemaRegistry;
import dev.shipstream.schemas.Topics;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

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
 * <registry-port> [<counters-file>]}. Prints {@code bench broker is ready} once both answer; stops on SIGTERM.
 *
 * <p>With a counters file, it writes there every {@value #COUNTERS_PERIOD_MS} ms how many produce requests the broker
 * has handled and how many records it has appended since it started ({@code produce_requests <n>} and
 * {@code records <n>}, one per line; Kafka's own meters {@code kafka.network:type=RequestMetrics,
 * name=RequestsPerSec,request=Produce} and {@code kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec}), so
 * that {@code bench/ingress.sh} can tell how many records each produce request carried while a server was measured,
 * whatever the server.
 */
public final class BenchBroker {

    private static final long COUNTERS_PERIOD_MS = 100;

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
        if (args.length > 3) {
            writeCounters(Path.of(args[3]));
        }
        System.out.println("bench broker is ready: kafka " + broker.bootstrapServers() + ", registry "
                + registry.baseUrl());
        stopped.await();
    }

    private static void writeCounters(Path file) {
        MBeanServer beans = ManagementFactory.getPlatformMBeanServer();
        Path next = file.resolveSibling(file.getFileName() + ".next");
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "bench-broker-counters");
            thread.setDaemon(true);
            return thread;
        });
        writer.scheduleAtFixedRate(() -> {
            try {
                String counters = "produce_requests " + count(beans,
                        "kafka.network:type=RequestMetrics,name=RequestsPerSec,request=Produce,*")
                        + "\nrecords " + count(beans, "kafka.server:type=BrokerTopicMetrics,name=MessagesInPerSec")
                        + "\n";
                Files.writeString(next, counters, StandardCharsets.UTF_8);
                Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException | JMException | RuntimeException e) {
                System.err.println("bench broker: counters not written: " + e);
            }
        }, 0, COUNTERS_PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /** The sum of the {@code Count} of every meter {@code pattern} names (the produce meter has one per version). */
    private static long count(MBeanServer beans, String pattern) throws JMException {
        long sum = 0;
        for (ObjectName name : beans.queryNames(new ObjectName(pattern), null)) {
            sum += ((Number) beans.getAttribute(name, "Count")).longValue();
        }
        return sum;
    }
}
