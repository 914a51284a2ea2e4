package dev.shipstream.connectors.ci;

import java.util.List;
import java.util.Map;

import dev.shipstream.connect.common.EventFields;
import dev.shipstream.connectors.testing.TestEvents;
import dev.shipstream.schemas.Links;

/** Events and triggers the CI tests share. */
final class CiFixtures {

    private CiFixtures() {
    }

    /** Use case 1: a build upload that finished processing, with a details link. */
    static Map<String, Object> buildProcessed(String eventId) {
        return EventFields.of(TestEvents.struct(TestEvents.failedBuildUpload(eventId).setNewState("COMPLETE")
                .setErrors(List.of())
                .setLinks(Links.newBuilder().setDetails("https://appstoreconnect.apple.com/apps/1234567890").build())
                .build()));
    }

    static CiPayload payload(String eventId) {
        return CiPayload.of("build-processed", buildProcessed(eventId));
    }

    static CiTrigger dispatch(String eventType, Map<String, String> extras) {
        return new CiTrigger("build-processed", eventType, null, "main", null, List.of(), extras);
    }

    static CiTrigger workflow(String workflow, List<String> inputs, Map<String, String> extras) {
        return new CiTrigger("build-processed", "shipstream.build.processed", workflow, "release/2.3", null, inputs,
                extras);
    }
}
