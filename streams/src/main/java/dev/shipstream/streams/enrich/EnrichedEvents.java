package dev.shipstream.streams.enrich;

import dev.shipstream.schemas.AppRef;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.Enrichment;
import dev.shipstream.schemas.EnrichmentStatus;
import dev.shipstream.schemas.ErrorOrigin;
import dev.shipstream.schemas.EventError;
import dev.shipstream.schemas.Platform;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a lookup's outcome into an event. Pure: the input event is not modified. What the payload said wins over
 * nothing, and what the API said fills what the payload lacked; errors learnt from the API are marked {@code
 * ENRICHMENT} and replace any such errors of an earlier enrichment of the same event.
 */
final class EnrichedEvents {

    private EnrichedEvents() {
    }

    static DeliveryEvent enriched(DeliveryEvent event, EntityDetails details, long now, int attempts) {
        DeliveryEvent.Builder builder = DeliveryEvent.newBuilder(event);
        if (details.versionString() != null) {
            builder.setVersionString(details.versionString());
        }
        if (details.buildNumber() != null) {
            builder.setBuildNumber(details.buildNumber());
        }
        AppRef app = event.getApp();
        String appId = app != null && app.getId() != null ? app.getId() : details.appId();
        String name = details.appName() != null ? details.appName() : app != null ? app.getName() : null;
        String bundleId = details.bundleId() != null ? details.bundleId() : app != null ? app.getBundleId() : null;
        if (appId != null || name != null || bundleId != null) {
            builder.setApp(new AppRef(appId, name, bundleId));
        }
        if (event.getPlatform() == null && details.platform() != null) {
            builder.setPlatform(platform(details.platform()));
        }
        List<EventError> errors = new ArrayList<>();
        for (EventError error : event.getErrors()) {
            if (error.getOrigin() != ErrorOrigin.ENRICHMENT) {
                errors.add(error);
            }
        }
        for (EntityDetails.Problem problem : details.errors()) {
            errors.add(new EventError(problem.code(), problem.message(), ErrorOrigin.ENRICHMENT));
        }
        builder.setErrors(errors);
        Map<String, String> extras = new LinkedHashMap<>(event.getExtras());
        extras.putAll(details.extras());
        builder.setExtras(extras);
        builder.setEnrichment(new Enrichment(EnrichmentStatus.ENRICHED, null, Instant.ofEpochMilli(now), attempts));
        return builder.build();
    }

    static DeliveryEvent withStatus(DeliveryEvent event, EnrichmentStatus status, String reason, long now,
                                    int attempts) {
        return DeliveryEvent.newBuilder(event)
                .setEnrichment(new Enrichment(status, reason, Instant.ofEpochMilli(now), attempts))
                .build();
    }

    private static Platform platform(String value) {
        return switch (value) {
            case "IOS" -> Platform.IOS;
            case "MAC_OS" -> Platform.MAC_OS;
            case "TV_OS" -> Platform.TV_OS;
            case "VISION_OS" -> Platform.VISION_OS;
            case "WATCH_OS" -> Platform.WATCH_OS;
            default -> Platform.OTHER;
        };
    }
}
