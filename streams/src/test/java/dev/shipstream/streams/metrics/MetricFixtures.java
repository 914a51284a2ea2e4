package dev.shipstream.streams.metrics;

import dev.shipstream.schemas.AuthScheme;
import dev.shipstream.schemas.Authentication;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Source;
import dev.shipstream.streams.normalize.Normalization;
import dev.shipstream.streams.normalize.Normalizers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The repository's webhook fixtures ({@code src/test/resources/payloads}) normalised as the pipeline would. */
final class MetricFixtures {

    static final Instant RECEIVED_AT = Instant.parse("2026-01-02T03:04:05.678Z");

    private MetricFixtures() {
    }

    static DeliveryEvent event(Source source, String path) {
        byte[] body;
        try (InputStream in = MetricFixtures.class.getResourceAsStream("/payloads/" + path)) {
            assertThat(in).as("fixture %s", path).isNotNull();
            body = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RawWebhook raw = RawWebhook.newBuilder()
                .setSource(source)
                .setEndpointId("default")
                .setReceivedAt(RECEIVED_AT)
                .setRequestId("req-metrics")
                .setBody(ByteBuffer.wrap(body))
                .setAuthentication(new Authentication(AuthScheme.HMAC_SHA256, "s1"))
                .build();
        Normalization normalization = new Normalizers().normalize(raw);
        assertThat(normalization).isInstanceOf(Normalization.Normalized.class);
        return ((Normalization.Normalized) normalization).event();
    }
}
