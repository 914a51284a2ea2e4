package dev.shipstream.ingress;

import dev.shipstream.ingress.http.AccessLines;
import dev.shipstream.schemas.TopicDurability;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the ingress on its own: {@code java -jar ingress.jar [config.json]}. The configuration file comes from the
 * first argument or {@code SHIPSTREAM_INGRESS_CONFIG}; environment variables override it (see
 * {@link IngressConfigLoader}). On SIGTERM / Ctrl-C the server stops accepting, finishes in-flight requests, flushes
 * and closes the producer, then exits.
 */
public final class IngressMain {

    /** The shipped logging configuration, on the classpath. */
    static final String LOGGING_CONFIGURATION = "shipstream-ingress-log4j2.xml";

    private IngressMain() {
    }

    /** Entry point; exits with status 1 and a one-line reason if the configuration is invalid. */
    public static void main(String[] args) throws InterruptedException {
        boolean shippedLogging = configureLogging();
        Logger log = LoggerFactory.getLogger(IngressMain.class);
        Map<String, String> env = System.getenv();
        IngressConfig config;
        try {
            config = args.length > 0
                    ? IngressConfigLoader.load(Optional.of(Path.of(args[0])), env)
                    : IngressConfigLoader.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            log.error("invalid configuration: {}", e.getMessage());
            System.exit(1);
            return;
        }
        IngressServer server = IngressServer.start(config, Map.of(), accessLines(shippedLogging, config.accessLog()));
        // After the listener is up, on this thread: a slow or failed check delays no request and stops nothing.
        TopicDurability.warnIfUnderReplicated(adminConfig(config), Duration.ofSeconds(10));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down: finishing in-flight requests");
            try {
                server.close();
            } finally {
                stopped.countDown();
            }
        }, "ingress-shutdown"));
        stopped.await();
    }

    /**
     * Selects the shipped logging configuration unless {@code log4j2.configurationFile} is set; true if it did (the
     * access lines then have a writer of their own, see {@link AccessLines}). With an operator's configuration, which
     * may route the access logger through an asynchronous appender, a full queue drops an access line rather than
     * block the event loop that logs it (warnings and errors still wait), unless {@code log4j2.AsyncQueueFullPolicy}
     * is set. Must run before the first logger is created.
     */
    static boolean configureLogging() {
        if (System.getProperty("log4j2.AsyncQueueFullPolicy") == null) {
            System.setProperty("log4j2.AsyncQueueFullPolicy", "Discard");
            System.setProperty("log4j2.DiscardThreshold", "INFO");
        }
        if (System.getProperty("log4j2.configurationFile") != null) {
            return false;
        }
        System.setProperty("log4j2.configurationFile", LOGGING_CONFIGURATION);
        return true;
    }

    /**
     * Where the access lines go. With the shipped logging configuration they are written by a writer of their own,
     * without the logger's cost per batch; with an operator's configuration they go to the logger it configures. With
     * the access log off nothing is written, so no writer thread is started (it would wake every 100 ms to find
     * nothing).
     */
    static AccessLines accessLines(boolean shippedLogging, boolean accessLog) {
        return shippedLogging && accessLog ? AccessLines.stdout() : AccessLines.logger();
    }

    /** The producer's connection settings (bootstrap servers and security), for a short-lived admin client. */
    private static Map<String, Object> adminConfig(IngressConfig config) {
        Map<String, Object> admin = new HashMap<>();
        config.producerProperties().forEach((key, value) -> {
            if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                admin.put(key, value);
            }
        });
        admin.put("bootstrap.servers", config.bootstrapServers());
        return admin;
    }
}
