package dev.shipstream.schemas.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shipstream.schemas.Entity;
import dev.shipstream.schemas.Source;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EntityKeysTest {

    private static String key(Source source, String json) {
        return EntityKeys.keyOf(source, json.getBytes(StandardCharsets.UTF_8));
    }

    // The three shapes on which the ingress's and the streams app's parsers used to disagree.

    @Test
    void keysAppflowPayloadWithOnlyBuildInfoIdByThatId() {
        assertThat(key(Source.APPFLOW, "{\"state\":\"success\",\"buildInfo\":{\"id\":777,\"state\":\"success\"}}"))
                .isEqualTo("appflow:build:777");
    }

    @Test
    void keysEasPayloadWithBuildAndSubmitSignsByTheStrongestSign() {
        assertThat(key(Source.EAS, """
                {"id":"s1","artifacts":{},"metadata":{},"submissionDetailsPageUrl":"https://expo.dev/s1"}"""))
                .isEqualTo("eas:submit:s1");
        assertThat(key(Source.EAS, "{\"id\":\"b1\",\"turtleBuildId\":\"t\",\"buildDetailsPageUrl\":\"u\"}"))
                .isEqualTo("eas:build:b1");
        assertThat(key(Source.EAS, "{\"id\":\"s2\",\"metrics\":{},\"turtleBuildId\":\"t\"}"))
                .isEqualTo("eas:submit:s2");
    }

    @Test
    void keysEasPayloadWithMetadataButNoBuildProfileAsBuild() {
        assertThat(key(Source.EAS, "{\"id\":\"b2\",\"status\":\"finished\",\"metadata\":{\"appName\":\"x\"}}"))
                .isEqualTo("eas:build:b2");
    }

    @Test
    void percentEncodesCarriageReturnAndLineFeedInAnAppStoreConnectId() {
        String body = "{\"data\":{\"type\":\"webhookPingCreated\",\"id\":\"evil\\r\\nX-Evil: 1\"}}";

        assertThat(key(Source.APP_STORE_CONNECT, body)).isEqualTo("asc:webhookPingCreated:evil%0D%0AX-Evil%3A%201");
        assertThat(EntityKeys.entityOf(Source.APP_STORE_CONNECT, body.getBytes(StandardCharsets.UTF_8)))
                .contains(new Entity("webhookPingCreated", "evil\r\nX-Evil: 1"));
    }

    @Test
    void encodesTheSeparatorInsideATypeSoKeysOfDifferentEntitiesDiffer() {
        assertThat(EntityKeys.key(Source.APP_STORE_CONNECT, new Entity("a:b", "c")))
                .isNotEqualTo(EntityKeys.key(Source.APP_STORE_CONNECT, new Entity("a", "b:c")))
                .isEqualTo("asc:a%3Ab:c");
    }

    @Test
    void keysAppStoreConnectInstanceWithAndWithoutDataWrapper() {
        assertThat(key(Source.APP_STORE_CONNECT, """
                {"data":{"type":"t","id":"e","relationships":{"instance":{"data":{"type":"buildUploads","id":"1"}}}}}"""))
                .isEqualTo("asc:buildUploads:1");
        assertThat(key(Source.APP_STORE_CONNECT, """
                {"data":{"type":"t","id":"e","relationships":{"instance":{"type":"backgroundAssetVersions","id":"2"}}}}"""))
                .isEqualTo("asc:backgroundAssetVersions:2");
        assertThat(key(Source.APP_STORE_CONNECT, "{\"data\":{\"type\":\"webhookPingCreated\",\"id\":\"3\"}}"))
                .isEqualTo("asc:webhookPingCreated:3");
    }

    @Test
    void keysInstanceBeforeMarketplaceAppWhateverTheirOrder() {
        String body = """
                {"data":{"type":"alternativeDistributionPackageAvailableUpdated","id":"da44",
                 "relationships":{"marketplaceApp":{"data":{"type":"apps","id":"10738627177"}},
                   "instance":{"data":{"type":"alternativeDistributionPackages","id":"2d2c0995"}}}}}
                """;
        assertThat(key(Source.APP_STORE_CONNECT, body)).isEqualTo("asc:alternativeDistributionPackages:2d2c0995");
    }

    @Test
    void keysTerritoryAvailabilityWithoutInstanceByMarketplaceApp() {
        String body = """
                {"data":{"type":"alternativeDistributionTerritoryAvailabilityUpdated","id":"e1","version":1,
                 "attributes":{"available":true,"territories":["DNK"],"appId":"10795428705"},
                 "relationships":{"marketplaceApp":{"data":{"type":"apps","id":"10738627177"}}}}}
                """;
        assertThat(key(Source.APP_STORE_CONNECT, body)).isEqualTo("asc:apps:10738627177");
    }

    @Test
    void ignoresDataObjectsNestedElsewhere() {
        String body = """
                {"meta":{"data":{"type":"x","id":"y"}},
                 "data":{"type":"buildUploadStateUpdated","id":"e","attributes":{"data":{"type":"no","id":"no"}},
                  "relationships":{"instance":{"data":{"type":"buildUploads","id":"b1"}}}}}
                """;
        assertThat(key(Source.APP_STORE_CONNECT, body)).isEqualTo("asc:buildUploads:b1");
    }

    @Test
    void keysAppflowByTopLevelIdBeforeBuildInfoAndNeverByAutomationId() {
        assertThat(key(Source.APPFLOW, "{\"automation\":{\"id\":5},\"id\":\"u-1\",\"buildInfo\":{\"id\":7}}"))
                .isEqualTo("appflow:build:u-1");
        assertThat(key(Source.APPFLOW, "{\"automation\":{\"id\":5},\"state\":\"success\"}")).startsWith("unparsed:");
    }

    @Test
    void easBodyThatIsNeitherBuildNorSubmissionIsUnparsed() {
        assertThat(key(Source.EAS, "{\"id\":\"abc\",\"status\":\"finished\"}")).startsWith("unparsed:");
    }

    @Test
    void keysUnparseableBodyBySha256() {
        // FIPS 180-2's test vector: SHA-256("abc").
        assertThat(key(Source.APP_STORE_CONNECT, "abc"))
                .isEqualTo("unparsed:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void truncatedTrailingGarbageDuplicateAndNonObjectBodiesAreUnparsed() {
        String valid = "{\"data\":{\"type\":\"webhookPingCreated\",\"id\":\"3\"}}";
        assertThat(key(Source.APP_STORE_CONNECT, valid.substring(0, valid.length() - 2))).startsWith("unparsed:");
        assertThat(key(Source.APP_STORE_CONNECT, valid + "{}")).startsWith("unparsed:");
        assertThat(key(Source.APPFLOW, "{\"id\":\"a\",\"id\":\"b\"}")).startsWith("unparsed:");
        assertThat(key(Source.APPFLOW, "")).startsWith("unparsed:");
        assertThat(key(Source.APPFLOW, "[{\"id\":\"a\"}]")).startsWith("unparsed:");
        assertThat(key(Source.APP_STORE_CONNECT, "{\"data\":{\"type\":\"x\"}}")).startsWith("unparsed:");
    }

    @Test
    void onlyStringsAndIntegersAreIds() {
        assertThat(key(Source.APPFLOW, "{\"id\":true}")).startsWith("unparsed:");
        assertThat(key(Source.APPFLOW, "{\"id\":1.5}")).startsWith("unparsed:");
        assertThat(key(Source.APPFLOW, "{\"id\":\"  \"}")).startsWith("unparsed:");
        assertThat(key(Source.APPFLOW, "{\"id\":42}")).isEqualTo("appflow:build:42");
    }

    @Test
    void unknownOrMissingSourceHasNoEntity() {
        assertThat(EntityKeys.entityOf(Source.UNKNOWN, "{\"id\":\"x\",\"artifacts\":{}}".getBytes())).isEmpty();
        assertThat(EntityKeys.entityOf(null, new byte[0])).isEmpty();
        assertThatThrownBy(() -> EntityKeys.prefix(Source.UNKNOWN)).isInstanceOf(IllegalArgumentException.class);
    }
}
