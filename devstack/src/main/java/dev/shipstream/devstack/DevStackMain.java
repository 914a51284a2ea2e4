package dev.shipstream.devstack;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./shipstream dev}: starts the {@link DevStack}, prints the banner and how long the start took, and stops
 * everything cleanly on Ctrl-C or SIGTERM (through the JVM's shutdown hook).
 */
public final class DevStackMain {

    private DevStackMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        List<String> arguments = Arrays.asList(args);
        if (arguments.contains("--help") || arguments.contains("-h")) {
            System.out.println(DevStackOptions.USAGE);
            return;
        }
        DevStackOptions options;
        try {
            options = DevStackOptions.parse(arguments);
        } catch (IllegalArgumentException e) {
            System.err.println("shipstream dev: " + e.getMessage());
            System.err.println(DevStackOptions.USAGE);
            System.exit(2);
            return;
        }

        DevStack stack;
        try {
            stack = DevStack.start(options, System.getenv());
        } catch (FreePorts.PortInUseException e) {
            System.err.println("shipstream dev: " + e.getMessage());
            System.exit(1);
            return;
        } catch (RuntimeException e) {
            System.err.println("shipstream dev: could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("shipstream dev: stopping ...");
            stack.close();
            System.err.println("shipstream dev: stopped");
            stopped.countDown();
        }, "devstack-shutdown"));

        Duration sinceJvmStart = Duration.ofMillis(System.currentTimeMillis()
                - ManagementFactory.getRuntimeMXBean().getStartTime());
        System.out.print(stack.banner());
        System.out.printf("Ready %.1f s after the JVM started.%n", sinceJvmStart.toMillis() / 1000.0);
        System.out.flush();
        stopped.await();
    }
}
