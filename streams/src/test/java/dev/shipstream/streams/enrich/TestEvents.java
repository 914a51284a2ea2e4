package dev.shipstream.streams.enrich;

import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.Enrichment;
import dev.shipstream.schemas.EnrichmentStatus;
import dev.shipstream.schemas.Entity;
import dev.shipstream.schemas.EventCategory;
import dev.shipstream.schemas.Links;
import dev.shipstream.schemas.Source;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Normalised events as the normalisers emit them, for the enrichment tests. */
final class TestEvents {

    static final Instant OCCURRED = Instant.parse("2025-12-12T17:05:26Z");

    private TestEvents() {
    }

    static String key(String entityType, String id) {
        return "asc:" + entityType + ":" + id;
    }

    static DeliveryEvent appVersion(String versionId, String eventId, String newState) {
        return asc(EventCategory.APP_VERSION_STATE, "appStoreVersionAppVersionStateUpdated", "appStoreVersions",
                versionId, eventId, newState);
    }

    static DeliveryEvent buildUpload(String uploadId, String eventId, String newState) {
        return asc(EventCategory.BUILD_UPLOAD_STATE, "buildUploadStateUpdated", "buildUploads", uploadId, eventId,
                newState);
    }

    static DeliveryEvent asc(EventCategory category, String eventType, String entityType, String entityId,
                             String eventId, String newState) {
        return DeliveryEvent.newBuilder()
                .setEventId(eventId)
                .setSource(Source.APP_STORE_CONNECT)
                .setEventType(eventType)
                .setCategory(category)
                .setEntity(new Entity(entityType, entityId))
                .setEntityKey(key(entityType, entityId))
                .setNewState(newState)
                .setOccurredAt(OCCURRED)
                .setReceivedAt(OCCURRED.plusMillis(250))
                .setLinks(new Links("https://api.appstoreconnect.apple.com/v1/" + entityType + "/" + entityId,
                        null, null))
                .setErrors(List.of())
                .setExtras(Map.of())
                .setEnrichment(new Enrichment(EnrichmentStatus.PENDING, null, null, 0))
                .build();
    }

    static DeliveryEvent easBuild(String id) {
        return DeliveryEvent.newBuilder()
                .setEventId(id + ":FINISHED")
                .setSource(Source.EAS)
                .setEventType("build")
                .setCategory(EventCategory.EAS_BUILD)
                .setEntity(new Entity("build", id))
                .setEntityKey("eas:build:" + id)
                .setNewState("FINISHED")
                .setOccurredAt(OCCURRED)
                .setReceivedAt(OCCURRED)
                .setLinks(new Links(null, null, null))
                .setErrors(List.of())
                .setExtras(Map.of("buildProfile", "production"))
                .setEnrichment(new Enrichment(EnrichmentStatus.NOT_APPLICABLE, null, null, 0))
                .build();
    }

    static DeliveryEvent backgroundAsset(String id) {
        return DeliveryEvent.newBuilder(asc(EventCategory.BACKGROUND_ASSET, "backgroundAssetVersionStateUpdated",
                        "backgroundAssetVersions", id, "ba-" + id, "FAILED"))
                .setEnrichment(new Enrichment(EnrichmentStatus.NOT_APPLICABLE, null, null, 0))
                .build();
    }
}
