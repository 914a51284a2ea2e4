package dev.shipstream.ingress.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipstream.ingress.EndpointConfig;
import dev.shipstream.ingress.WebhookSource;
import dev.shipstream.ingress.verify.Verification;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.serde.WireFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;

/** The start-up warm-up runs the real webhook path of each source, and nothing it makes up could pass as a webhook. */
class WebhookPathWarmupTest {

    private static final List<WebhookEndpoint> ENDPOINTS =
            WebhookHandlerTest.config().endpoints().stream().map(WebhookEndpoint::of).toList();

    @Test
    void warmsEachConfiguredSourceOnceThroughItsFirstEndpoint() {
        assertThat(ENDPOINTS).extracting(WebhookEndpoint::source).containsExactly(WebhookSource.APP_STORE_CONNECT,
                WebhookSource.EAS, WebhookSource.APPFLOW, WebhookSource.APPFLOW);

        List<WebhookPathWarmup.Result> results = WebhookPathWarmup.run(ENDPOINTS);

        assertThat(results).extracting(WebhookPathWarmup.Result::source)
                .containsExactly(WebhookSource.APP_STORE_CONNECT, WebhookSource.EAS, WebhookSource.APPFLOW);
        assertThat(results).extracting(r -> r.record().getEndpointId()).containsOnly("default");
        assertThat(WebhookPathWarmup.run(List.of(ENDPOINTS.get(3)))).singleElement()
                .satisfies(r -> assertThat(r.record().getEndpointId()).isEqualTo("office-only"));
        assertThat(WebhookPathWarmup.run(List.of())).isEmpty();
    }

    @Test
    void theMadeUpCredentialsAreRejectedByEveryVerifier() {
        // The Appflow endpoint with an allow-list rejects the loopback address first; the others check the credential.
        assertThat(WebhookPathWarmup.run(ENDPOINTS)).extracting(WebhookPathWarmup.Result::verification)
                .containsExactly(new Verification.Rejected(Verification.RejectionReason.SIGNATURE_MISMATCH),
                        new Verification.Rejected(Verification.RejectionReason.SIGNATURE_MISMATCH),
                        new Verification.Rejected(Verification.RejectionReason.TOKEN_MISMATCH));
        assertThat(WebhookPathWarmup.run(List.of(ENDPOINTS.get(3)))).singleElement()
                .extracting(WebhookPathWarmup.Result::verification)
                .isEqualTo(new Verification.Rejected(Verification.RejectionReason.ADDRESS_NOT_ALLOWED));
    }

    @Test
    void keysAndEncodesTheSampleBodiesAsAWebhookWouldBe() throws IOException {
        List<WebhookPathWarmup.Result> results = WebhookPathWarmup.run(ENDPOINTS);

        // Each sample body reaches its source's key rule: none falls back to the key of an unparsed body.
        assertThat(results).extracting(WebhookPathWarmup.Result::key).containsExactly(
                "asc:appStoreVersions:warm-up", "eas:build:warm-up", "appflow:build:warm-up");
        SpecificDatumReader<RawWebhook> reader = new SpecificDatumReader<>(RawWebhook.class);
        for (WebhookPathWarmup.Result result : results) {
            byte[] value = result.value();
            assertThat(WireFormat.schemaId(value)).isZero();
            RawWebhook decoded = reader.read(null, DecoderFactory.get().binaryDecoder(value, WireFormat.HEADER_SIZE,
                    value.length - WireFormat.HEADER_SIZE, null));
            assertThat(decoded).isEqualTo(result.record());
            assertThat(StandardCharsets.UTF_8.decode(decoded.getBody()).toString())
                    .isEqualTo(WebhookPathWarmup.sampleBody(result.source()));
            assertThat(decoded.getSource()).isEqualTo(result.source().schemaSource());
            assertThat(decoded.getRequestId()).isEqualTo(WebhookPathWarmup.WARMUP_ID);
            assertThat(decoded.getHeaders()).containsEntry("content-type", "application/json");
        }
    }
}
