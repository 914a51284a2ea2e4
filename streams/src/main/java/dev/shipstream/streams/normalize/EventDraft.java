package dev.shipstream.streams.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shipstream.schemas.AppRef;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.Enrichment;
import dev.shipstream.schemas.EnrichmentStatus;
import dev.shipstream.schemas.Entity;
import dev.shipstream.schemas.EventCategory;
import dev.shipstream.schemas.EventError;
import dev.shipstream.schemas.GitRef;
import dev.shipstream.schemas.Links;
import dev.shipstream.schemas.Platform;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Source;
import dev.shipstream.schemas.keys.EntityKeys;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The parts of a {@link DeliveryEvent} every normaliser fills the same way, gathered before the event is built.
 */
final class EventDraft {

    private final DeliveryEvent.Builder builder = DeliveryEvent.newBuilder();
    private final Instant receivedAt;
    private final List<EventError> errors = new ArrayList<>();
    private final Map<String, String> extras = new LinkedHashMap<>();
    private final Links links = new Links(null, null, null);

    EventDraft(RawWebhook raw, Source source, String eventId, String eventType, EventCategory category,
               Entity entity) {
        if (raw.getReceivedAt() == null) {
            throw new UnparseablePayloadException("receivedAt is missing");
        }
        // The schema stores milliseconds; truncating here keeps an event equal to itself after a round trip.
        this.receivedAt = raw.getReceivedAt().truncatedTo(ChronoUnit.MILLIS);
        builder.setEventId(eventId)
                .setSource(source)
                .setEventType(eventType)
                .setCategory(category)
                .setEntity(entity)
                .setEntityKey(EntityKeys.key(source, entity))
                .setReceivedAt(receivedAt)
                .setIngressRequestId(raw.getRequestId())
                .setEnrichment(new Enrichment(EnrichmentStatus.NOT_APPLICABLE, null, null, 0));
    }

    EventDraft states(Optional<String> previous, Optional<String> next) {
        builder.setPreviousState(previous.orElse(null)).setNewState(next.orElse(null));
        return this;
    }

    /** Uses the payload's time, or, when it had none, the receive time marked as an estimate. */
    EventDraft occurredAt(Optional<Instant> occurred) {
        builder.setOccurredAt(occurred.map(t -> t.truncatedTo(ChronoUnit.MILLIS)).orElse(receivedAt))
                .setOccurredAtEstimated(occurred.isEmpty());
        return this;
    }

    EventDraft app(Optional<String> id, Optional<String> name, Optional<String> bundleId) {
        if (id.isPresent() || name.isPresent() || bundleId.isPresent()) {
            builder.setApp(new AppRef(id.orElse(null), name.orElse(null), bundleId.orElse(null)));
        }
        return this;
    }

    EventDraft platform(Optional<Platform> platform) {
        builder.setPlatform(platform.orElse(null));
        return this;
    }

    EventDraft version(Optional<String> versionString, Optional<String> buildNumber) {
        builder.setVersionString(versionString.orElse(null)).setBuildNumber(buildNumber.orElse(null));
        return this;
    }

    EventDraft error(EventError error) {
        errors.add(error);
        return this;
    }

    EventDraft detailsLink(Optional<String> url) {
        links.setDetails(url.orElse(null));
        return this;
    }

    EventDraft logsLink(Optional<String> url) {
        links.setLogs(url.orElse(null));
        return this;
    }

    EventDraft artifactLink(Optional<String> url) {
        links.setArtifact(url.orElse(null));
        return this;
    }

    EventDraft git(Optional<String> commit, Optional<String> message, Optional<String> ref) {
        if (commit.isPresent() || message.isPresent() || ref.isPresent()) {
            builder.setGit(new GitRef(commit.orElse(null), message.orElse(null), ref.orElse(null)));
        }
        return this;
    }

    EventDraft extra(String key, Optional<String> value) {
        value.ifPresent(v -> extras.put(key, v));
        return this;
    }

    /** Puts a timestamp in its canonical UTC form, so every timestamp extra can be read with {@link Instant#parse}. */
    EventDraft extraTime(String key, Optional<Instant> value) {
        value.ifPresent(t -> extras.put(key, t.toString()));
        return this;
    }

    /** The first of several JSON values that holds a readable timestamp. */
    static Optional<Instant> firstTime(JsonNode... candidates) {
        for (JsonNode candidate : candidates) {
            Optional<Instant> parsed = Timestamps.fromJson(candidate);
            if (parsed.isPresent()) {
                return parsed;
            }
        }
        return Optional.empty();
    }

    EventDraft rawPayload(String json) {
        builder.setRawPayload(json);
        return this;
    }

    EventDraft enrichment(EnrichmentStatus status) {
        builder.setEnrichment(new Enrichment(status, null, null, 0));
        return this;
    }

    DeliveryEvent build() {
        if (!builder.hasOccurredAt()) {
            occurredAt(Optional.empty());
        }
        return builder.setErrors(errors).setExtras(extras).setLinks(links).build();
    }

    /** Maps a provider's platform name; anything unrecognised is OTHER rather than lost. */
    static Optional<Platform> platformNamed(Optional<String> name) {
        return name.map(n -> switch (n.strip().toLowerCase(Locale.ROOT)) {
            case "ios" -> Platform.IOS;
            case "android" -> Platform.ANDROID;
            case "web" -> Platform.WEB;
            case "macos", "mac_os" -> Platform.MAC_OS;
            case "tvos", "tv_os" -> Platform.TV_OS;
            case "visionos", "vision_os" -> Platform.VISION_OS;
            case "watchos", "watch_os" -> Platform.WATCH_OS;
            default -> Platform.OTHER;
        });
    }
}
