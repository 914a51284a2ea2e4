package dev.shipstream.streams;

import dev.shipstream.schemas.TopicDurability;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs the streams application on its own: reads {@link StreamsSettings} and the enrichment settings from the
 * environment, starts {@link StreamsApp}, and closes it on SIGTERM/SIGINT. Exits with status 1 if the settings are
 * invalid or if Kafka Streams stops by itself (e.g. after too many failed stream threads), so a supervisor restarts
 * it.
 */
public final class StreamsMain {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsMain.class);
    private static final String LOG_CONFIG_PROPERTY = "log4j2.configurationFile";

    private StreamsMain() {
    }

    /**
     * Starts the application and blocks until it is shut down.
     *
     * @param args ignored; configuration comes from the environment
     * @throws InterruptedException if interrupted while running
     */
    public static void main(String[] args) throws InterruptedException {
        if (System.getProperty(LOG_CONFIG_PROPERTY) == null) {
            System.setProperty(LOG_CONFIG_PROPERTY, "shipstream-streams-log4j2.xml");
        }
        Map<String, String> env = System.getenv();
        StreamsSettings settings;
        try {
            settings = StreamsSettings.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            LOG.error("invalid configuration: {}", e.getMessage());
            System.exit(1);
            return;
        }
        StreamsApp app = StreamsApp.start(settings, env);
        TopicDurability.warnIfUnderReplicated(Map.of("bootstrap.servers", settings.bootstrapServers()),
                Duration.ofSeconds(10));
        CountDownLatch shutdown = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("shutting down");
            app.close();
            shutdown.countDown();
        }, "shipstream-streams-shutdown"));
        while (!shutdown.await(1, TimeUnit.SECONDS)) {
            KafkaStreams.State state = app.state();
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
                LOG.error("kafka streams stopped ({}); exiting", state);
                app.close();
                System.exit(1);
            }
        }
    }
}
