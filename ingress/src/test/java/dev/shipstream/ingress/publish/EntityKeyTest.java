package dev.shipstream.ingress.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shipstream.ingress.Seeds;
import dev.shipstream.ingress.WebhookSource;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class EntityKeyTest {

    private static String key(WebhookSource source, String json) {
        return EntityKey.of(source, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void keysBuildUploadSeedByItsInstance() {
        assertThat(EntityKey.of(WebhookSource.APP_STORE_CONNECT, Seeds.bytes("asc-build-upload-complete.json")))
                .isEqualTo("asc:buildUploads:xxx-xx-xx-xx-xxx");
    }

    @Test
    void keysAppStoreVersionSeedByItsInstance() {
        assertThat(EntityKey.of(WebhookSource.APP_STORE_CONNECT, Seeds.bytes("asc-app-store-version-state.json")))
                .isEqualTo("asc:appStoreVersions:xxx-xx-xx-xx-xxx");
    }

    @Test
    void keysPingSeedByNotificationTypeAndId() {
        assertThat(EntityKey.of(WebhookSource.APP_STORE_CONNECT, Seeds.bytes("asc-ping.json")))
                .isEqualTo("asc:webhookPingCreated:65726e27-cb79-47f2-a3e4-c8ced9f356e8");
    }

    @Test
    void keysBackgroundAssetEventWhoseInstanceHasNoDataWrapper() {
        String body = """
                {"data":{"type":"backgroundAssetVersionStateUpdated","id":"4734e219-9977-470c-824a-59053380b7cd",
                 "attributes":{"timestamp":"2025-12-05T14:30:45Z","newState":"FAILED","oldState":"PROCESSING"},
                 "relationships":{"instance":{"id":"7012050b-e2a4-4a2c-bb98-f2b30cfdfaaf",
                   "type":"backgroundAssetVersions",
                   "links":{"self":"https://api.appstoreconnect.apple.com/v1/backgroundAssetVersions/7012050b"}}}}}
                """;
        assertThat(key(WebhookSource.APP_STORE_CONNECT, body))
                .isEqualTo("asc:backgroundAssetVersions:7012050b-e2a4-4a2c-bb98-f2b30cfdfaaf");
    }

    @Test
    void keysInstanceBeforeMarketplaceAppWhateverTheirOrder() {
        String body = """
                {"data":{"type":"alternativeDistributionPackageAvailableUpdated","id":"da44",
                 "relationships":{"marketplaceApp":{"data":{"type":"apps","id":"10738627177"}},
                   "instance":{"data":{"type":"alternativeDistributionPackages","id":"2d2c0995"}}}}}
                """;
        assertThat(key(WebhookSource.APP_STORE_CONNECT, body)).isEqualTo("asc:alternativeDistributionPackages:2d2c0995");
    }

    @Test
    void keysTerritoryAvailabilityWithoutInstanceByMarketplaceApp() {
        String body = """
                {"data":{"type":"alternativeDistributionTerritoryAvailabilityUpdated","id":"e1","version":1,
                 "attributes":{"available":true,"territories":["DNK"],"appId":"10795428705"},
                 "relationships":{"marketplaceApp":{"data":{"type":"apps","id":"10738627177"},
                   "links":{"self":"https://api-appstoreconnect.itunes.apple.com/v1/apps/10738627177"}}}}}
                """;
        assertThat(key(WebhookSource.APP_STORE_CONNECT, body)).isEqualTo("asc:apps:10738627177");
    }

    @Test
    void ignoresDataObjectsNestedElsewhere() {
        String body = """
                {"meta":{"data":{"type":"x","id":"y"}},
                 "data":{"type":"buildUploadStateUpdated","id":"e","attributes":{"data":{"type":"no","id":"no"}},
                  "relationships":{"instance":{"data":{"type":"buildUploads","id":"b1"}}}}}
                """;
        assertThat(key(WebhookSource.APP_STORE_CONNECT, body)).isEqualTo("asc:buildUploads:b1");
    }

    @Test
    void keysEasBuildSeedAsBuild() {
        assertThat(EntityKey.of(WebhookSource.EAS, Seeds.bytes("eas-build.json")))
                .isEqualTo("eas:build:147a3212-49fd-446f-b4e3-a6519acf264a");
    }

    @Test
    void keysEasSubmitSeedAsSubmission() {
        assertThat(EntityKey.of(WebhookSource.EAS, Seeds.bytes("eas-submit.json")))
                .isEqualTo("eas:submit:0374430d-7776-44ad-be7d-8513629adc54");
    }

    @Test
    void easBodyThatIsNeitherBuildNorSubmissionIsUnparsed() {
        assertThat(key(WebhookSource.EAS, "{\"id\":\"abc\",\"status\":\"finished\"}")).startsWith("unparsed:");
    }

    @Test
    void keysAppflowSeedsByTopLevelIdNotNestedIds() {
        assertThat(EntityKey.of(WebhookSource.APPFLOW, Seeds.bytes("appflow-package-build.json")))
                .isEqualTo("appflow:build:2216322b-35be-4af2-aaad-2b4e57354f88");
        assertThat(EntityKey.of(WebhookSource.APPFLOW, Seeds.bytes("appflow-deploy-build.json")))
                .isEqualTo("appflow:build:2216322b-35be-4af2-aaad-2b4e57354f88");
    }

    @Test
    void keysUnparseableBodyBySha256() {
        // FIPS 180-2's test vector: SHA-256("abc").
        assertThat(key(WebhookSource.APP_STORE_CONNECT, "abc"))
                .isEqualTo("unparsed:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void truncatedOrTrailingGarbageBodiesAreUnparsed() {
        String valid = new String(Seeds.bytes("asc-ping.json"), StandardCharsets.UTF_8);
        assertThat(key(WebhookSource.APP_STORE_CONNECT, valid.substring(0, valid.length() - 3))).startsWith("unparsed:");
        assertThat(key(WebhookSource.APP_STORE_CONNECT, valid + "{}")).startsWith("unparsed:");
    }

    @Test
    void duplicateFieldNamesAreUnparsedBecauseTheEntityIsAmbiguous() {
        assertThat(key(WebhookSource.APPFLOW, "{\"id\":\"a\",\"id\":\"b\"}")).startsWith("unparsed:");
    }

    @Test
    void emptyOrNonObjectBodiesAreUnparsed() {
        assertThat(key(WebhookSource.APPFLOW, "")).startsWith("unparsed:");
        assertThat(key(WebhookSource.APPFLOW, "[{\"id\":\"a\"}]")).startsWith("unparsed:");
        assertThat(key(WebhookSource.APP_STORE_CONNECT, "{\"data\":{\"type\":\"x\"}}")).startsWith("unparsed:");
    }

    @Property
    void anyBytesYieldAKeyOfTheSourceOrUnparsed(@ForAll byte[] body, @ForAll WebhookSource source) {
        String key = EntityKey.of(source, body);
        assertThat(key).satisfiesAnyOf(
                k -> assertThat(k).isEqualTo(EntityKey.unparsed(body)),
                k -> assertThat(k).startsWith(source.keyPrefix() + ":"));
    }

    @Property
    void anyIdRoundTripsThroughAnAppflowBody(@ForAll String id) throws Exception {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("automation", Map.of("id", 777));
        payload.put("id", id);
        payload.put("buildInfo", Map.of("id", 778));
        String key = key(WebhookSource.APPFLOW, new ObjectMapper().writeValueAsString(payload));
        assertThat(key).isEqualTo(id.isBlank()
                ? EntityKey.unparsed(new ObjectMapper().writeValueAsBytes(payload))
                : "appflow:build:" + id);
    }
}
