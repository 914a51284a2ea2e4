package dev.shipstream.streams;

import dev.shipstream.streams.errors.BoundedThreadReplacement;
import dev.shipstream.testsupport.KafkaPlatform;
import dev.shipstream.testsupport.KafkaPlatformExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link StreamsHealth} over a real Kafka Streams client on a real KRaft broker: live and ready while it runs; not
 * ready from the moment a stream thread dies, while it is replaced; not live once the client is in ERROR.
 */
@ExtendWith(KafkaPlatformExtension.class)
class StreamsHealthIT {

    private static final Duration BOUND = Duration.ofSeconds(90);

    @TempDir
    Path stateDir;

    /** Kills its stream thread on every record. */
    private static final class Dying implements Processor<String, String, Void, Void> {
        @Override
        public void process(Record<String, String> record) {
            throw new AssertionError("simulated death of a stream thread on " + record.value());
        }
    }

    @Test
    void readinessFailsWhenAThreadDiesAndLivenessFailsInError(KafkaPlatform platform) throws Exception {
        String input = platform.uniqueName("health-in");
        platform.createTopic(input, 1);
        Topology topology = new Topology();
        topology.addSource("in", Serdes.String().deserializer(), Serdes.String().deserializer(), input);
        // An Error escapes every exception handler and kills the stream thread, as an OutOfMemoryError would.
        topology.addProcessor("die", Dying::new, "in");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, platform.uniqueName("health-it"));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        // The replacement waits for the dead thread's group member to time out: the broker's minimum, not 45 s.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);

        List<Boolean> readyWhenTheThreadDied = new CopyOnWriteArrayList<>();
        try (KafkaStreams streams = new KafkaStreams(topology, props);
             KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()),
                     new StringSerializer(), new StringSerializer())) {
            StreamsHealth health = StreamsHealth.of(streams, 1, Clock.systemUTC(), Duration.ofSeconds(10));
            streams.setStateListener(health::onStateChange);
            BoundedThreadReplacement replacement = new BoundedThreadReplacement(1, Duration.ofMinutes(10),
                    Clock.systemUTC());
            streams.setUncaughtExceptionHandler(health.reportingDeaths(exception -> {
                readyWhenTheThreadDied.add(health.ready());
                return replacement.handle(exception);
            }));
            assertThat(health.live()).isTrue();
            assertThat(health.ready()).isFalse();

            streams.start();
            await().atMost(BOUND).until(health::ready);
            assertThat(health.live()).isTrue();

            // The record kills the thread, its replacement dies on it again, and the client shuts down.
            producer.send(new ProducerRecord<>(input, "k", "poison")).get();
            await().atMost(BOUND).until(() -> streams.state() == KafkaStreams.State.ERROR);

            assertThat(readyWhenTheThreadDied).containsExactly(false, false);
            assertThat(health.live()).isFalse();
            assertThat(health.ready()).isFalse();
        }
    }
}
