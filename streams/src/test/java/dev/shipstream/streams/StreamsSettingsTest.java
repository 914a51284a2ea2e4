package dev.shipstream.streams;

import dev.shipstream.schemas.Topics;
import dev.shipstream.streams.errors.DeadLetterMetrics;
import dev.shipstream.streams.errors.DeadLetterProcessingExceptionHandler;
import dev.shipstream.streams.errors.DeadLetters;
import dev.shipstream.streams.topology.PipelineSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamsSettingsTest {

    @Test
    void defaultsWithoutEnvironment() {
        StreamsSettings settings = StreamsSettings.fromEnvironment(Map.of());

        assertThat(settings.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(settings.schemaRegistryUrl()).isEqualTo("http://127.0.0.1:8081");
        assertThat(settings.applicationId()).isEqualTo("shipstream-streams");
        assertThat(settings.dedupRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(settings.commitInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(settings.rawTopic()).isEqualTo(Topics.WEBHOOKS_RAW.name());
        assertThat(settings.eventsTopic()).isEqualTo(Topics.EVENTS.name());
        assertThat(settings.deadLetterTopic()).isEqualTo(Topics.DEADLETTER.name());
        assertThat(settings.replicationFactor()).isEqualTo(1);
        assertThat(settings.httpHost()).isEqualTo("127.0.0.1");
        assertThat(settings.httpPort()).isEqualTo(8082);
        assertThat(settings.stateDir().getFileName()).hasToString("shipstream-streams");
    }

    @Test
    void readsEveryVariable() {
        StreamsSettings settings = StreamsSettings.fromEnvironment(Map.ofEntries(
                Map.entry(StreamsSettings.BOOTSTRAP_SERVERS_ENV, "kafka:9093"),
                Map.entry(StreamsSettings.SCHEMA_REGISTRY_URL_ENV, "http://registry:8081"),
                Map.entry(StreamsSettings.APPLICATION_ID_ENV, "app-2"),
                Map.entry(StreamsSettings.STATE_DIR_ENV, "/var/lib/streams"),
                Map.entry(StreamsSettings.DEDUP_RETENTION_MS_ENV, "3600000"),
                Map.entry(StreamsSettings.COMMIT_INTERVAL_MS_ENV, "50"),
                Map.entry(StreamsSettings.RAW_TOPIC_ENV, "raw"),
                Map.entry(StreamsSettings.EVENTS_TOPIC_ENV, "events"),
                Map.entry(StreamsSettings.DEADLETTER_TOPIC_ENV, "dead"),
                Map.entry(StreamsSettings.REPLICATION_FACTOR_ENV, "3"),
                Map.entry(StreamsSettings.STREAM_THREADS_ENV, "2"),
                Map.entry(StreamsSettings.HTTP_HOST_ENV, "0.0.0.0"),
                Map.entry(StreamsSettings.HTTP_PORT_ENV, "0")));

        assertThat(settings).isEqualTo(new StreamsSettings("kafka:9093", "http://registry:8081", "app-2",
                Path.of("/var/lib/streams"), Duration.ofHours(1), Duration.ofMillis(50), "raw", "events", "dead",
                3, 2, "0.0.0.0", 0));
        assertThat(settings.pipeline().dedupRetention()).isEqualTo(Duration.ofHours(1));
        assertThat(settings.pipeline().rawTopic()).isEqualTo("raw");
    }

    @Test
    void rejectsInvalidValuesNamingTheVariable() {
        assertThatThrownBy(() -> StreamsSettings.fromEnvironment(Map.of(StreamsSettings.HTTP_PORT_ENV, "eighty")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid value eighty for configuration SHIPSTREAM_STREAMS_PORT: Not a number of type INT");
        assertThatThrownBy(() -> StreamsSettings.fromEnvironment(Map.of(StreamsSettings.HTTP_PORT_ENV, "70000")))
                .hasMessage("Invalid value 70000 for configuration SHIPSTREAM_STREAMS_PORT: Value must be no more "
                        + "than 65535");
        assertThatThrownBy(() -> StreamsSettings.fromEnvironment(Map.of(StreamsSettings.DEDUP_RETENTION_MS_ENV, "0")))
                .hasMessage("Invalid value 0 for configuration SHIPSTREAM_STREAMS_DEDUP_RETENTION_MS: Value must be "
                        + "at least 1");
        assertThatThrownBy(() -> StreamsSettings.fromEnvironment(Map.of(StreamsSettings.APPLICATION_ID_ENV, "a b")))
                .hasMessage("Invalid value a b for configuration SHIPSTREAM_STREAMS_APPLICATION_ID: may contain only "
                        + "letters, digits, '.', '_' and '-'");
        assertThatThrownBy(() -> StreamsSettings.fromEnvironment(Map.of(StreamsSettings.EVENTS_TOPIC_ENV,
                Topics.WEBHOOKS_RAW.name()))).hasMessageContaining("must differ");
        assertThatThrownBy(() -> StreamsSettings.fromEnvironment(Map.of(StreamsSettings.REPLICATION_FACTOR_ENV, "0")))
                .hasMessage("Invalid value 0 for configuration SHIPSTREAM_STREAMS_REPLICATION_FACTOR: Value must be "
                        + "at least 1");
    }

    @Test
    void blankVariablesTakeTheirDefaultLikeUnsetOnes() {
        assertThat(StreamsSettings.fromEnvironment(Map.of(StreamsSettings.HTTP_PORT_ENV, " ",
                StreamsSettings.STATE_DIR_ENV, "", StreamsSettings.APPLICATION_ID_ENV, "\t")))
                .isEqualTo(StreamsSettings.fromEnvironment(Map.of()));
    }

    @Test
    void aLauncherBuildingTheSettingsDirectlyIsCheckedToo() {
        assertThatThrownBy(() -> new StreamsSettings("kafka:9093", "http://registry:8081", "a b", Path.of("/tmp"),
                Duration.ofHours(1), Duration.ofMillis(50), "raw", "events", "dead", 1, 1, "127.0.0.1", 0))
                .hasMessage("applicationId may contain only letters, digits, '.', '_' and '-', got a b");
    }

    @Test
    void streamsPropertiesAreExactlyOnceWithTheShipstreamHandlersWhateverTheOverrides() {
        StreamsSettings settings = StreamsSettings.fromEnvironment(Map.of());
        DeadLetters deadLetters = new DeadLetters("dead", "app", (topic, letter) -> new byte[0], new DeadLetterMetrics(new SimpleMeterRegistry()), Clock.systemUTC());

        Properties props = StreamsProperties.of(settings, deadLetters, Map.of(
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE,
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 250,
                "consumer.max.poll.records", 2000));

        assertThat(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(props.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(250);
        assertThat(props.get("consumer.max.poll.records")).isEqualTo(2000);
        assertThat(props.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("shipstream-streams");
        assertThat(props.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG))
                .isEqualTo(DeadLetterProcessingExceptionHandler.class);
        assertThat(props.get(DeadLetters.CONFIG)).isSameAs(deadLetters);
        new StreamsConfig(props);
    }

    @Test
    void theAdvertisedHostIsTheHttpHostUnlessSetAndBecomesApplicationServer() {
        assertThat(StreamsSettings.fromEnvironment(Map.of(StreamsSettings.HTTP_HOST_ENV, "10.0.0.7")).advertisedHost())
                .isEqualTo("10.0.0.7");
        StreamsSettings settings = StreamsSettings.fromEnvironment(Map.of(StreamsSettings.HTTP_HOST_ENV, "0.0.0.0",
                StreamsSettings.ADVERTISED_HOST_ENV, "streams-1.internal"));
        assertThat(settings.advertisedHost()).isEqualTo("streams-1.internal");
        DeadLetters deadLetters = new DeadLetters("dead", "app", (topic, letter) -> new byte[0],
                new DeadLetterMetrics(new SimpleMeterRegistry()), Clock.systemUTC());

        Properties props = StreamsProperties.of(settings, deadLetters,
                Map.of(StreamsConfig.APPLICATION_SERVER_CONFIG, "elsewhere:1"), "streams-1.internal:8082");

        assertThat(props.get(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo("streams-1.internal:8082");
    }

    @Test
    void theReviewGraceDefaultsToSevenDaysAndIsReadFromTheEnvironment() {
        assertThat(StreamsSettings.fromEnvironment(Map.of()).pipeline().reviewGrace()).isEqualTo(Duration.ofDays(7));

        StreamsSettings settings = StreamsSettings.fromEnvironment(
                Map.of(StreamsSettings.REVIEW_GRACE_MS_ENV, "3600000"));

        assertThat(settings.reviewGrace()).isEqualTo(Duration.ofHours(1));
        assertThat(settings.pipeline().reviewGrace()).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> StreamsSettings.fromEnvironment(Map.of(StreamsSettings.REVIEW_GRACE_MS_ENV, "-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid value -1 for configuration SHIPSTREAM_STREAMS_REVIEW_GRACE_MS: Value must be "
                        + "at least 0");
    }

    @Test
    void theAnalyticsTopicsDefaultToTheCatalogueAndAreReadFromTheEnvironment() {
        PipelineSettings defaults = StreamsSettings.fromEnvironment(Map.of()).pipeline();
        assertThat(defaults.reviewCyclesTopic()).isEqualTo(Topics.REVIEW_CYCLES.name());
        assertThat(defaults.deliveryMetricsTopic()).isEqualTo(Topics.DELIVERY_METRICS.name());

        StreamsSettings settings = StreamsSettings.fromEnvironment(Map.of(
                StreamsSettings.REVIEW_CYCLES_TOPIC_ENV, "team-a.review-cycles",
                StreamsSettings.DELIVERY_METRICS_TOPIC_ENV, "team-a.delivery-metrics"));

        assertThat(settings.pipeline().reviewCyclesTopic()).isEqualTo("team-a.review-cycles");
        assertThat(settings.pipeline().deliveryMetricsTopic()).isEqualTo("team-a.delivery-metrics");
        assertThatThrownBy(() -> StreamsSettings.fromEnvironment(Map.of(
                StreamsSettings.DELIVERY_METRICS_TOPIC_ENV, Topics.REVIEW_CYCLES.name())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("deliveryMetricsTopic must differ from the other topics, got shipstream.review-cycles");
    }
}
