package dev.shipstream.streams.normalize;

import java.util.Arrays;

import dev.shipstream.ingress.WebhookSource;
import dev.shipstream.ingress.publish.EntityKey;

import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.Source;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EntityKeysTest {

    private static String key(Source source, String json) {
        return EntityKeys.keyOf(source, json.getBytes(StandardCharsets.UTF_8)).orElse("<none>");
    }

    @Test
    void keyFromBodyBytesMatchesTheNormalisedEventForEveryFixture() {
        for (Map.Entry<String, Source> fixture : Payloads.all().entrySet()) {
            DeliveryEvent event = Payloads.event(fixture.getValue(), fixture.getKey());

            assertThat(EntityKeys.keyOf(fixture.getValue(), Payloads.bytes(fixture.getKey())))
                    .as(fixture.getKey())
                    .contains(event.getEntityKey());
        }
    }

    @Test
    void ingressKeysEveryFixtureAsTheNormalisedEventIsKeyed() {
        // The raw record's key and the event's key must agree, or an entity's events would change partition.
        for (Map.Entry<String, Source> fixture : Payloads.all().entrySet()) {
            DeliveryEvent event = Payloads.event(fixture.getValue(), fixture.getKey());
            WebhookSource route = Arrays.stream(WebhookSource.values())
                    .filter(candidate -> candidate.schemaSource() == fixture.getValue()).findFirst().orElseThrow();

            assertThat(EntityKey.of(route, Payloads.bytes(fixture.getKey())))
                    .as(fixture.getKey())
                    .isEqualTo(event.getEntityKey());
        }
    }

    @Test
    void appStoreConnectVariants() {
        assertThat(key(Source.APP_STORE_CONNECT, """
                {"data":{"type":"t","id":"e","relationships":{"instance":{"data":{"type":"buildUploads","id":"1"}}}}}"""))
                .isEqualTo("asc:buildUploads:1");
        assertThat(key(Source.APP_STORE_CONNECT, """
                {"data":{"type":"t","id":"e","relationships":{"instance":{"type":"backgroundAssetVersions","id":"2"}}}}"""))
                .isEqualTo("asc:backgroundAssetVersions:2");
        assertThat(key(Source.APP_STORE_CONNECT, "{\"data\":{\"type\":\"webhookPingCreated\",\"id\":\"3\"}}"))
                .isEqualTo("asc:webhookPingCreated:3");
        assertThat(key(Source.APP_STORE_CONNECT, "{\"data\":{\"type\":\"webhookPingCreated\"}}")).isEqualTo("<none>");
    }

    @Test
    void easVariants() {
        assertThat(key(Source.EAS, "{\"id\":\"b\",\"artifacts\":{}}")).isEqualTo("eas:build:b");
        assertThat(key(Source.EAS, "{\"id\":\"s\",\"submissionInfo\":{}}")).isEqualTo("eas:submit:s");
        assertThat(key(Source.EAS, "{\"id\":\"s\",\"turtleBuildId\":\"b\"}")).isEqualTo("eas:submit:s");
        assertThat(key(Source.EAS, "{\"id\":\"x\"}")).isEqualTo("<none>");
    }

    @Test
    void appflowVariants() {
        assertThat(key(Source.APPFLOW, "{\"id\":\"u-1\",\"buildInfo\":{\"id\":7}}")).isEqualTo("appflow:build:u-1");
        assertThat(key(Source.APPFLOW, "{\"buildInfo\":{\"id\":7}}")).isEqualTo("appflow:build:7");
        assertThat(key(Source.APPFLOW, "{\"state\":\"success\"}")).isEqualTo("<none>");
    }

    @Test
    void unreadableBodiesAndUnknownSourcesHaveNoKey() {
        assertThat(key(Source.APP_STORE_CONNECT, "not json")).isEqualTo("<none>");
        assertThat(key(Source.EAS, "[]")).isEqualTo("<none>");
        assertThat(key(Source.UNKNOWN, "{\"id\":\"x\",\"artifacts\":{}}")).isEqualTo("<none>");
        assertThat(EntityKeys.keyOf(null, new byte[0])).isEmpty();
        assertThatThrownBy(() -> EntityKeys.prefix(Source.UNKNOWN)).isInstanceOf(IllegalArgumentException.class);
    }
}
