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
 * Writes a lookup's outcome into an event. Pure: the input event is not modified. The result shares the input's
 * unchanged field values (strings, nested records, lists and maps, which nothing in the pipeline modifies once an
 * event is normalised) instead of deep-copying them as {@code DeliveryEvent.newBuilder(event)} would: that copy was
 * a visible share of the stream threads' time in profiles of {@code bench/streams.sh}. What the payload said wins over
 * nothing, and what the API said fills what the payload lacked; errors learnt from the API are marked {@code
 * ENRICHMENT} and replace any such errors of an earlier enrichment of the same event.
 */
final class EnrichedEvents {

    private EnrichedEvents() {
    }

    static DeliveryEvent enriched(DeliveryEvent event, EntityDetails details, long now, int attempts) {
        DeliveryEvent enriched = copyOf(event);
        if (details.versionString() != null) {
            enriched.setVersionString(details.versionString());
        }
        if (details.buildNumber() != null) {
            enriched.setBuildNumber(details.buildNumber());
        }
        AppRef app = event.getApp();
        String appId = app != null && app.getId() != null ? app.getId() : details.appId();
        String name = details.appName() != null ? details.appName() : app != null ? app.getName() : null;
        String bundleId = details.bundleId() != null ? details.bundleId() : app != null ? app.getBundleId() : null;
        if (appId != null || name != null || bundleId != null) {
            enriched.setApp(new AppRef(appId, name, bundleId));
        }
        if (event.getPlatform() == null && details.platform() != null) {
            enriched.setPlatform(platform(details.platform()));
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
        enriched.setErrors(errors);
        Map<String, String> extras = new LinkedHashMap<>(event.getExtras());
        extras.putAll(details.extras());
        enriched.setExtras(extras);
        enriched.setEnrichment(new Enrichment(EnrichmentStatus.ENRICHED, null, Instant.ofEpochMilli(now), attempts));
        return enriched;
    }

    /** A copy of the event with these extras added. */
    static DeliveryEvent withExtras(DeliveryEvent event, Map<String, String> more) {
        DeliveryEvent copy = copyOf(event);
        Map<String, String> extras = new LinkedHashMap<>(event.getExtras());
        extras.putAll(more);
        copy.setExtras(extras);
        return copy;
    }

    static DeliveryEvent withStatus(DeliveryEvent event, EnrichmentStatus status, String reason, long now,
                                    int attempts) {
        DeliveryEvent copy = copyOf(event);
        copy.setEnrichment(new Enrichment(status, reason, Instant.ofEpochMilli(now), attempts));
        return copy;
    }

    /** A new event with the same field values as {@code event} (a shallow copy). */
    private static DeliveryEvent copyOf(DeliveryEvent event) {
        DeliveryEvent copy = new DeliveryEvent();
        int fields = DeliveryEvent.getClassSchema().getFields().size();
        for (int i = 0; i < fields; i++) {
            copy.put(i, event.get(i));
        }
        return copy;
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
