package dev.shipstream.streams;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.shipstream.schemas.DeadLetter;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.serde.AvroSerializer;
import dev.shipstream.testsupport.KafkaPlatform;
import dev.shipstream.testsupport.KafkaPlatformExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.shipstream.streams.RawWebhookFixtures.consumer;
import static dev.shipstream.streams.RawWebhookFixtures.producer;
import static dev.shipstream.streams.RawWebhookFixtures.rawSerializer;
import static dev.shipstream.streams.RawWebhookFixtures.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The streams app on a real KRaft broker, reading the development registry through a WireMock proxy whose first
 * schema fetches answer 503, more than the registry client's own retries absorb: the valid webhooks still come out
 * on the events topic, each once, and nothing is dead-lettered.
 *
 * <p>Stream threads die on purpose here (that is how a record is retried), so Awaitility is told not to fail on
 * uncaught exceptions of other threads.
 */
@ExtendWith(KafkaPlatformExtension.class)
class RegistryOutageIT {

    private static final List<String> FIXTURES = List.of(
            "asc/buildUploadStateUpdated-failed.json",
            "eas/build-errored.json",
            "appflow/deploy-success.json");
    // The app's client tries a request 4 times (3 retries): 8 failures make two fetches fail, two thread restarts.
    private static final int FAILED_FETCHES = 8;
    private static final Duration BOUND = Duration.ofSeconds(120);

    @TempDir
    Path stateDir;

    @Test
    void validEventsComeOutAndNothingIsDeadLetteredWhenTheRegistryIsBrieflyUnavailable(KafkaPlatform platform)
            throws Exception {
        WireMockServer registry = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
        registry.start();
        try {
            failFirstSchemaFetches(registry, platform.schemaRegistryUrl());
            run(platform, registry);
        } finally {
            registry.stop();
        }
    }

    private void run(KafkaPlatform platform, WireMockServer registry) throws Exception {
        String raw = platform.uniqueName("raw");
        String events = platform.uniqueName("events");
        String dead = platform.uniqueName("dead");
        platform.createTopic(raw, 1);
        platform.createTopic(events, 1);
        platform.createTopic(dead, 1);
        StreamsSettings settings = new StreamsSettings(platform.bootstrapServers(), registry.baseUrl(),
                platform.uniqueName("streams-outage-it"), stateDir, Duration.ofDays(7), Duration.ofMillis(100), raw,
                events, dead, 1, 1, "127.0.0.1", 0);

        // A replaced stream thread's partitions move once the dead member's session has timed out; a short session
        // keeps the test short (the default, 45 s, is what paces the retries in production).
        Map<String, Object> overrides = Map.of(
                StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000,
                StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_000);

        try (StreamsApp app = StreamsApp.start(settings, Map.of(), overrides);
             KafkaProducer<String, byte[]> producer = producer(platform);
             KafkaConsumer<String, DeliveryEvent> eventConsumer = consumer(platform, events);
             KafkaConsumer<String, DeadLetter> deadConsumer = consumer(platform, dead);
             AvroSerializer<RawWebhook> serializer = rawSerializer(platform)) {
            await().dontCatchUncaughtExceptions().atMost(BOUND).until(() -> app.state() == KafkaStreams.State.RUNNING);
            for (String fixture : FIXTURES) {
                send(producer, serializer, raw, fixture);
            }

            List<DeliveryEvent> out = new ArrayList<>();
            await().dontCatchUncaughtExceptions().atMost(BOUND).untilAsserted(() -> {
                eventConsumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
                assertThat(out).hasSizeGreaterThanOrEqualTo(FIXTURES.size());
            });
            List<DeadLetter> letters = new ArrayList<>();
            await().dontCatchUncaughtExceptions().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> {
                        eventConsumer.poll(Duration.ofMillis(100)).forEach(r -> out.add(r.value()));
                        deadConsumer.poll(Duration.ofMillis(100)).forEach(r -> letters.add(r.value()));
                        assertThat(out).hasSize(FIXTURES.size());
                        assertThat(letters).isEmpty();
                    });
            assertThat(out).extracting(DeliveryEvent::getEntityKey)
                    .containsExactlyInAnyOrderElementsOf(FIXTURES.stream().map(RawWebhookFixtures::key).toList());
            // The outage really happened: every failing answer was served, and more fetches followed it.
            registry.verify(com.github.tomakehurst.wiremock.client.WireMock.moreThan(FAILED_FETCHES),
                    getRequestedFor(urlPathMatching("/schemas/ids/.*")));
            assertThat(app.meterRegistry().find("shipstream.streams.deadletters").counters())
                    .allSatisfy(counter -> assertThat(counter.count()).isZero());
            await().dontCatchUncaughtExceptions().atMost(BOUND).until(() -> app.state() == KafkaStreams.State.RUNNING);
        }
    }

    /** Answers the first {@value #FAILED_FETCHES} schema fetches with 503, then proxies everything. */
    private static void failFirstSchemaFetches(WireMockServer registry, String realRegistry) {
        for (int i = 0; i < FAILED_FETCHES; i++) {
            registry.stubFor(get(urlPathMatching("/schemas/ids/.*")).atPriority(1)
                    .inScenario("outage")
                    .whenScenarioStateIs(i == 0 ? STARTED : "failed-" + i)
                    .willSetStateTo("failed-" + (i + 1))
                    .willReturn(aResponse().withStatus(503)
                            .withHeader("Content-Type", "application/vnd.schemaregistry.v1+json")
                            .withBody("{\"error_code\": 50003, \"message\": \"registry restarting\"}")));
        }
        registry.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(realRegistry)));
    }
}
