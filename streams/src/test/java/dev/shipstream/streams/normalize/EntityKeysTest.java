package dev.shipstream.streams.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.Source;
import dev.shipstream.schemas.keys.EntityKeys;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The normalisers key every event as the ingress keys its raw record: both use {@link EntityKeys} from schemas, so a
 * raw record and its event stay on the same partition.
 */
class EntityKeysTest {

    @Test
    void normalisedEventIsKeyedAsTheIngressKeysItsRawRecordForEveryFixture() {
        for (Map.Entry<String, Source> fixture : Payloads.all().entrySet()) {
            DeliveryEvent event = Payloads.event(fixture.getValue(), fixture.getKey());

            assertThat(EntityKeys.keyOf(fixture.getValue(), Payloads.bytes(fixture.getKey())))
                    .as(fixture.getKey())
                    .isEqualTo(event.getEntityKey());
        }
    }

    @Test
    void normalisesTheShapesOnWhichTheTwoParsersDisagreedWithTheIngressKey() {
        Map<String, Source> shapes = Map.of(
                "{\"state\":\"success\",\"buildInfo\":{\"id\":777,\"state\":\"success\"}}", Source.APPFLOW,
                "{\"id\":\"s1\",\"status\":\"errored\",\"artifacts\":{},\"submissionDetailsPageUrl\":\"u\"}", Source.EAS,
                "{\"id\":\"b2\",\"status\":\"finished\",\"metadata\":{\"appName\":\"x\"}}", Source.EAS);
        for (Map.Entry<String, Source> shape : shapes.entrySet()) {
            byte[] body = shape.getKey().getBytes(StandardCharsets.UTF_8);

            DeliveryEvent event = Payloads.eventOf(Payloads.normalize(shape.getValue(), body));

            assertThat(event.getEntityKey()).as(shape.getKey()).isEqualTo(EntityKeys.keyOf(shape.getValue(), body));
        }
    }

    @Test
    void keyOfAnIdWithCarriageReturnAndLineFeedIsPercentEncoded() {
        byte[] body = "{\"data\":{\"type\":\"webhookPingCreated\",\"id\":\"evil\\r\\nX-Evil: 1\"}}"
                .getBytes(StandardCharsets.UTF_8);

        DeliveryEvent event = Payloads.eventOf(Payloads.normalize(Source.APP_STORE_CONNECT, body));

        assertThat(event.getEntityKey()).isEqualTo("asc:webhookPingCreated:evil%0D%0AX-Evil%3A%201");
        assertThat(event.getEntity().getId()).isEqualTo("evil\r\nX-Evil: 1");
    }
}
