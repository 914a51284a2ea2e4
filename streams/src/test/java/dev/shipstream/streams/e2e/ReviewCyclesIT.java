package dev.shipstream.streams.e2e;

import dev.shipstream.schemas.Platform;
import dev.shipstream.schemas.ReviewCycle;
import dev.shipstream.schemas.ReviewOutcome;
import dev.shipstream.schemas.serde.AvroDeserializer;
import dev.shipstream.schemas.serde.AvroSerdeConfig;
import dev.shipstream.streams.enrich.EnrichmentSettings;
import dev.shipstream.streams.enrich.TestKeys;
import dev.shipstream.streams.e2e.FakeAppStoreConnect.Lookup;
import dev.shipstream.testsupport.KafkaPlatform;
import dev.shipstream.testsupport.KafkaPlatformExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Review cycles on the real broker and registry: signed App Store Connect webhooks of one version posted to the
 * real ingress come out of the real streams app (exactly-once) as {@link ReviewCycle}s on the test's own
 * review-cycle topic, read read_committed with the registry, carrying what the enrichment learnt about the version.
 */
@ExtendWith(KafkaPlatformExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ReviewCyclesIT {

    private static final Duration BOUND = Duration.ofSeconds(30);

    private Ingress ingress;
    private FakeAppStoreConnect api;
    private Path apiKeyFile;

    @BeforeAll
    void start(KafkaPlatform platform, @TempDir Path keyDir) throws Exception {
        apiKeyFile = TestKeys.writeP8(keyDir, TestKeys.p256());
        ingress = new Ingress(platform);
        api = new FakeAppStoreConnect();
    }

    @AfterAll
    void stop() {
        if (api != null) {
            api.close();
        }
        if (ingress != null) {
            ingress.close();
        }
    }

    @Test
    void aSubmissionReviewAndApprovalComeOutAsOneApprovedCycle(KafkaPlatform platform, @TempDir Path stateDir)
            throws Exception {
        String versionId = Webhooks.newId();
        String key = "asc:appStoreVersions:" + versionId;
        api.answer(Lookup.appStoreVersion(versionId),
                FakeAppStoreConnect.ok("app-store-version-with-app-and-build.json"));

        try (Pipeline pipeline = Pipeline.start(platform, stateDir, enrichment());
             KafkaConsumer<String, ReviewCycle> cycles = reader(platform, pipeline.reviewCyclesTopic())) {
            for (String fixture : List.of("waiting-for-review", "in-review", "pending-developer-release")) {
                HttpResponse<String> posted = ingress.postAppStoreConnect(Webhooks.appStoreConnect(
                        "asc/appStoreVersionAppVersionStateUpdated-" + fixture + ".json", Webhooks.newId(),
                        versionId));
                assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
            }

            List<ReviewCycle> read = new ArrayList<>();
            await("an APPROVED cycle of " + key).atMost(BOUND).pollInterval(Duration.ofMillis(10))
                    .until(() -> {
                        for (ConsumerRecord<String, ReviewCycle> record : cycles.poll(Duration.ofMillis(100))) {
                            if (key.equals(record.key())) {
                                read.add(record.value());
                            }
                        }
                        return read.stream().anyMatch(cycle -> cycle.getOutcome() == ReviewOutcome.APPROVED);
                    });

            ReviewCycle approved = read.get(read.size() - 1);
            assertThat(read).extracting(ReviewCycle::getCycle).containsOnly(1);
            assertThat(approved.getVersionId()).isEqualTo(versionId);
            assertThat(approved.getAppId()).isEqualTo("1234567890");
            assertThat(approved.getVersionString()).isEqualTo("1.101.0");
            assertThat(approved.getPlatform()).isEqualTo(Platform.IOS);
            assertThat(approved.getSubmittedAt()).isEqualTo("2025-12-18T03:41:21.179Z");
            assertThat(approved.getReviewStartedAt()).isEqualTo("2025-12-18T22:05:50.038Z");
            assertThat(approved.getDecidedAt()).isEqualTo("2025-12-18T22:34:18.785Z");
            assertThat(approved.getReviewMs()).isEqualTo(1_708_747L);
            assertThat(approved.getTotalMs()).isEqualTo(67_977_606L);
        }
    }

    private Map<String, String> enrichment() {
        Map<String, String> env = new HashMap<>();
        env.put(EnrichmentSettings.API_URL_ENV, api.baseUrl());
        env.put(EnrichmentSettings.KEY_ID_ENV, "E2EKEY1234");
        env.put(EnrichmentSettings.ISSUER_ID_ENV, "57246542-96fe-1a63-e053-0824d011072a");
        env.put(EnrichmentSettings.PRIVATE_KEY_FILE_ENV, apiKeyFile.toString());
        env.put(EnrichmentSettings.REQUEST_TIMEOUT_MS_ENV, "1000");
        env.put(EnrichmentSettings.PUNCTUATION_INTERVAL_MS_ENV, "100");
        return env;
    }

    private static KafkaConsumer<String, ReviewCycle> reader(KafkaPlatform platform, String topic) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, platform.uniqueName("review-cycles-reader"));
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, platform.schemaRegistryUrl());
        props.put(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true);
        AvroDeserializer<ReviewCycle> values = new AvroDeserializer<>();
        values.configure(props, false);
        KafkaConsumer<String, ReviewCycle> consumer = new KafkaConsumer<>(props, new StringDeserializer(), values);
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
