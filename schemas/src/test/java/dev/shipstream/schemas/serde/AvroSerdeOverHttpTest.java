package dev.shipstream.schemas.serde;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okForContentType;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.shipstream.schemas.DeadLetter;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The serde against a registry spoken to over HTTP: WireMock on loopback, or a closed loopback port. */
class AvroSerdeOverHttpTest {

    private static final String TOPIC = "shipstream.deadletter";
    private static final String CONTENT_TYPE = HttpSchemaRegistryClient.CONTENT_TYPE;
    private static final String SCHEMA_JSON = new com.fasterxml.jackson.databind.node.TextNode(
            DeadLetter.getClassSchema().toString()).toString();

    @RegisterExtension
    static WireMockExtension registry = WireMockExtension.newInstance()
            .options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort())
            .build();

    private static Map<String, Object> configs(String url, Object... more) {
        Map<String, Object> configs = new HashMap<>();
        configs.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, url);
        configs.put(AvroSerdeConfig.MAX_RETRIES_CONFIG, 2);
        configs.put(AvroSerdeConfig.RETRY_BACKOFF_MS_CONFIG, 20);
        configs.put(AvroSerdeConfig.CONNECT_TIMEOUT_MS_CONFIG, 1_000);
        configs.put(AvroSerdeConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        for (int i = 0; i < more.length; i += 2) {
            configs.put((String) more[i], more[i + 1]);
        }
        return configs;
    }

    @Test
    void registersOnceAndFetchesOnceForManyRecords() {
        registry.stubFor(post("/subjects/" + TOPIC + "-value/versions")
                .willReturn(okForContentType(CONTENT_TYPE, "{\"id\": 21}")));
        registry.stubFor(get("/schemas/ids/21")
                .willReturn(okForContentType(CONTENT_TYPE, "{\"schema\": " + SCHEMA_JSON + "}")));
        Map<String, Object> configs = configs(registry.baseUrl(), AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true);

        try (AvroSerializer<DeadLetter> serializer = new AvroSerializer<>();
             AvroDeserializer<DeadLetter> deserializer = new AvroDeserializer<>()) {
            serializer.configure(configs, false);
            deserializer.configure(configs, false);
            for (int i = 0; i < 50; i++) {
                byte[] bytes = serializer.serialize(TOPIC, AvroSerdeTest.deadLetter());
                assertThat(WireFormat.schemaId(bytes)).isEqualTo(21);
                assertThat(deserializer.deserialize(TOPIC, bytes)).isEqualTo(AvroSerdeTest.deadLetter());
            }
        }

        registry.verify(1, postRequestedFor(urlEqualTo("/subjects/" + TOPIC + "-value/versions"))
                .withRequestBody(equalToJson("{\"schema\": " + SCHEMA_JSON + "}")));
        registry.verify(1, getRequestedFor(urlEqualTo("/schemas/ids/21")));
        assertThat(registry.getAllServeEvents()).hasSize(2);
    }

    @Test
    void looksTheSchemaUpWhenAutoRegisterIsOff() {
        registry.stubFor(post("/subjects/" + TOPIC + "-value").willReturn(okForContentType(CONTENT_TYPE,
                "{\"subject\": \"" + TOPIC + "-value\", \"version\": 4, \"id\": 33, \"schema\": " + SCHEMA_JSON + "}")));

        try (AvroSerializer<DeadLetter> serializer = new AvroSerializer<>()) {
            serializer.configure(configs(registry.baseUrl(), AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, "false"),
                    false);
            for (int i = 0; i < 10; i++) {
                assertThat(WireFormat.schemaId(serializer.serialize(TOPIC, AvroSerdeTest.deadLetter()))).isEqualTo(33);
            }
        }

        registry.verify(1, postRequestedFor(urlEqualTo("/subjects/" + TOPIC + "-value")));
        registry.verify(0, postRequestedFor(urlEqualTo("/subjects/" + TOPIC + "-value/versions")));
    }

    @Test
    void failsWithinBoundedTimeWhenTheRegistryIsUnreachable() throws IOException {
        String closed = "http://127.0.0.1:" + HttpSchemaRegistryClientTest.closedPort();

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try (AvroSerializer<DeadLetter> serializer = new AvroSerializer<>()) {
                serializer.configure(configs(closed), false);
                assertThatThrownBy(() -> serializer.serialize(TOPIC, AvroSerdeTest.deadLetter()))
                        .isInstanceOf(SerializationException.class)
                        .hasMessageStartingWith("Could not register the value schema dev.shipstream.schemas.DeadLetter "
                                + "under subject 'shipstream.deadletter-value' for topic 'shipstream.deadletter': "
                                + "Schema registry unreachable: POST /subjects/shipstream.deadletter-value/versions "
                                + "failed 3 times, last at " + closed + " (could not connect: java.net.ConnectException")
                        .hasCauseInstanceOf(SchemaRegistryException.class);
            }
        });
    }

    @Test
    void failsToReadWithinBoundedTimeWhenTheRegistryIsUnreachable() throws IOException {
        String closed = "http://127.0.0.1:" + HttpSchemaRegistryClientTest.closedPort();

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try (AvroDeserializer<Object> deserializer = new AvroDeserializer<>()) {
                deserializer.configure(configs(closed), true);
                assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {0, 0, 0, 0, 5, 0}))
                        .isInstanceOf(SerializationException.class)
                        .hasMessageStartingWith("Could not fetch schema id 5 of a key from topic "
                                + "'shipstream.deadletter': Schema registry unreachable: GET /schemas/ids/5 failed");
            }
        });
    }

    @Test
    void saysWhenTheRegistryDoesNotKnowTheId() {
        registry.stubFor(get("/schemas/ids/404").willReturn(okForContentType(CONTENT_TYPE,
                "{\"error_code\": 40403, \"message\": \"Schema 404 not found\"}").withStatus(404)));

        try (AvroDeserializer<Object> deserializer = new AvroDeserializer<>()) {
            deserializer.configure(configs(registry.baseUrl()), false);
            assertThatThrownBy(() -> deserializer.deserialize(TOPIC, new byte[] {0, 0, 0, 1, (byte) 0x94, 0}))
                    .isInstanceOf(SerializationException.class)
                    .hasMessage("Schema id 404 of a value from topic 'shipstream.deadletter' was not found in the "
                            + "schema registry: Schema registry at " + registry.baseUrl() + " answered 404 (error code "
                            + "40403) to GET /schemas/ids/404: Schema 404 not found");
        }
    }
}
