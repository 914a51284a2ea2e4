package dev.shipstream.ingress.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipstream.ingress.Seeds;
import dev.shipstream.ingress.WebhookSource;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The ingress's keys of the seed payloads; the rule itself is specified by {@code EntityKeysTest} in schemas. */
class EntityKeyTest {

    @Test
    void keysAppStoreConnectSeedsByInstanceOrNotification() {
        assertThat(EntityKey.of(WebhookSource.APP_STORE_CONNECT, Seeds.bytes("asc-build-upload-complete.json")))
                .isEqualTo("asc:buildUploads:xxx-xx-xx-xx-xxx");
        assertThat(EntityKey.of(WebhookSource.APP_STORE_CONNECT, Seeds.bytes("asc-app-store-version-state.json")))
                .isEqualTo("asc:appStoreVersions:xxx-xx-xx-xx-xxx");
        assertThat(EntityKey.of(WebhookSource.APP_STORE_CONNECT, Seeds.bytes("asc-ping.json")))
                .isEqualTo("asc:webhookPingCreated:65726e27-cb79-47f2-a3e4-c8ced9f356e8");
    }

    @Test
    void keysEasSeedsAsBuildAndSubmission() {
        assertThat(EntityKey.of(WebhookSource.EAS, Seeds.bytes("eas-build.json")))
                .isEqualTo("eas:build:147a3212-49fd-446f-b4e3-a6519acf264a");
        assertThat(EntityKey.of(WebhookSource.EAS, Seeds.bytes("eas-submit.json")))
                .isEqualTo("eas:submit:0374430d-7776-44ad-be7d-8513629adc54");
    }

    @Test
    void keysAppflowSeedsByTopLevelId() {
        assertThat(EntityKey.of(WebhookSource.APPFLOW, Seeds.bytes("appflow-package-build.json")))
                .isEqualTo("appflow:build:2216322b-35be-4af2-aaad-2b4e57354f88");
        assertThat(EntityKey.of(WebhookSource.APPFLOW, Seeds.bytes("appflow-deploy-build.json")))
                .isEqualTo("appflow:build:2216322b-35be-4af2-aaad-2b4e57354f88");
    }

    @Test
    void recordKeyOfASignedBodyWithCarriageReturnAndLineFeedInItsIdHasNeither() {
        byte[] body = "{\"data\":{\"type\":\"webhookPingCreated\",\"id\":\"evil\\r\\nX-Evil: 1\"}}"
                .getBytes(StandardCharsets.UTF_8);

        assertThat(EntityKey.of(WebhookSource.APP_STORE_CONNECT, body))
                .isEqualTo("asc:webhookPingCreated:evil%0D%0AX-Evil%3A%201")
                .doesNotContain("\r", "\n", " ");
    }
}
