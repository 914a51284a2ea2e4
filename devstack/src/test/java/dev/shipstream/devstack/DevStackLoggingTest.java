package dev.shipstream.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationFactory;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ./shipstream dev}'s logging ({@code log4j2-devstack.xml}): the warnings a healthy stack prints on every start
 * or stop, as Kafka 4.3.1 words them, are dropped; any other warning of the same loggers still shows, and so does
 * one line per webhook request.
 */
class DevStackLoggingTest {

    private final List<String> shown = new CopyOnWriteArrayList<>();
    private LoggerContext context;

    @BeforeEach
    void loadTheDevstackConfiguration() throws Exception {
        context = new LoggerContext("devstack-logging-test");
        Configuration configuration = ConfigurationFactory.getInstance().getConfiguration(context,
                ConfigurationSource.fromUri(getClass().getResource("/log4j2-devstack.xml").toURI()));
        context.start(configuration);
        AbstractAppender capture = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                shown.add(event.getLoggerName() + " " + event.getMessage().getFormattedMessage());
            }
        };
        capture.start();
        context.getConfiguration().getRootLogger().addAppender(capture, null, null);
        context.updateLoggers();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void dropsTheKnownNoiseOfAHealthyStartAndStop() {
        warn("org.apache.kafka.controller.QuorumController", "[QuorumController id=1] Performing controller "
                + "activation. The metadata log appears to be empty. Appending 6 bootstrap record(s)");
        warn("kafka.server.DefaultAutoTopicCreationManager", "Auto topic creation failed for _schemas with error "
                + "'TOPIC_ALREADY_EXISTS': Topic '_schemas' already exists.");
        warn("org.apache.kafka.clients.NetworkClient", "[Consumer clientId=dev-schema-registry-reader, groupId=null] "
                + "The metadata response from the cluster reported a recoverable issue with correlation id 1 : "
                + "{_schemas=UNKNOWN_TOPIC_OR_PARTITION}");
        warn("org.apache.kafka.clients.NetworkClient", "[NodeToControllerChannelManager id=1 name=registration] "
                + "Attempting to close NetworkClient that has already been closed.");
        warn("org.apache.kafka.streams.StreamsConfig", "Processing exception handler is not enabled for the "
                + "GlobalThread. It's recommended to set `processing.exception.handler.global.enabled` to true.");
        warn("org.apache.kafka.connect.runtime.distributed.DistributedHerder", "[Worker clientId=connect-127.0.0.1:8083,"
                + " groupId=shipstream-connect] Catching up to assignment's config offset.");
        warn("org.apache.kafka.connect.runtime.distributed.WorkerCoordinator", "[Worker clientId=connect-127.0.0.1:8083,"
                + " groupId=shipstream-connect] Close timed out with 1 pending requests to coordinator, terminating "
                + "client connections");
        info("dev.shipstream.ingress.access", "01a22f5b 127.0.0.1 GET /health/ready 200 15B 2987us source=unknown "
                + "endpoint=unknown");

        assertThat(shown).isEmpty();
    }

    @Test
    void showsOtherWarningsOfTheSameLoggersAndEveryWebhookRequest() {
        warn("org.apache.kafka.clients.NetworkClient", "[Consumer clientId=c, groupId=g] Connection to node 1 "
                + "(/127.0.0.1:9092) could not be established. Node may not be available.");
        warn("kafka.server.DefaultAutoTopicCreationManager", "Auto topic creation failed for t with error "
                + "'POLICY_VIOLATION'");
        info("dev.shipstream.ingress.access", "01a22f5b 127.0.0.1 POST /webhooks/app-store-connect/default 200 61B "
                + "52967us source=app-store-connect endpoint=default");

        assertThat(shown).hasSize(3);
    }

    private void warn(String logger, String message) {
        context.getLogger(logger).warn(message);
    }

    private void info(String logger, String message) {
        context.getLogger(logger).info(message);
    }
}
