package dev.shipstream.streams.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.EnrichmentStatus;
import dev.shipstream.schemas.Entity;
import dev.shipstream.schemas.EventCategory;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Source;
import dev.shipstream.schemas.keys.EntityKeys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Normalises App Store Connect webhook notifications: the 12 {@code WebhookEventType}s and the test ping.
 *
 * <p>Reads {@code data.type} (the event type), {@code data.id} (the event id, used for deduplication),
 * {@code data.attributes} and {@code data.relationships}. Tolerates the documented quirks: the state attributes are
 * named {@code newValue}/{@code oldValue}, {@code newState}/{@code oldState} or
 * {@code newExternalBuildState}/{@code oldExternalBuildState} depending on the event type, and any of them may be
 * missing; {@code relationships.instance} comes with or without its {@code data} wrapper, or not at all; its
 * {@code links.self} may be missing, relative or on another host and is copied to {@code links.details} unchanged,
 * never fetched; {@code attributes.timestamp} has 0 to 9 fractional digits, {@code Z} or an offset, or is missing,
 * in which case the receive time is used and marked as estimated. An event type not known here is kept with category
 * {@code UNKNOWN} and its raw JSON, never dropped.
 *
 * <p>The webhook carries no version, build or reason: events the enricher will look up get enrichment status
 * {@code PENDING} (see {@link Normalizers#needsEnrichment(Source, EventCategory)}), the rest {@code NOT_APPLICABLE}.
 */
public final class AppStoreConnectNormalizer implements Normalizer {

    /** {@code data.type} of the test notification (community-observed; not in Apple's enum). */
    public static final String PING_EVENT_TYPE = "webhookPingCreated";

    private static final Map<String, EventCategory> CATEGORIES = Map.ofEntries(
            Map.entry("appStoreVersionAppVersionStateUpdated", EventCategory.APP_VERSION_STATE),
            Map.entry("buildUploadStateUpdated", EventCategory.BUILD_UPLOAD_STATE),
            Map.entry("buildBetaDetailExternalBuildStateUpdated", EventCategory.TESTFLIGHT_BUILD_STATE),
            Map.entry("betaFeedbackScreenshotSubmissionCreated", EventCategory.TESTFLIGHT_FEEDBACK),
            Map.entry("betaFeedbackCrashSubmissionCreated", EventCategory.TESTFLIGHT_FEEDBACK),
            Map.entry("backgroundAssetVersionStateUpdated", EventCategory.BACKGROUND_ASSET),
            Map.entry("backgroundAssetVersionInternalBetaReleaseCreated", EventCategory.BACKGROUND_ASSET),
            Map.entry("backgroundAssetVersionExternalBetaReleaseStateUpdated", EventCategory.BACKGROUND_ASSET),
            Map.entry("backgroundAssetVersionAppStoreReleaseStateUpdated", EventCategory.BACKGROUND_ASSET),
            Map.entry("alternativeDistributionPackageVersionCreated", EventCategory.ALTERNATIVE_DISTRIBUTION),
            Map.entry("alternativeDistributionPackageAvailableUpdated", EventCategory.ALTERNATIVE_DISTRIBUTION),
            Map.entry("alternativeDistributionTerritoryAvailabilityUpdated", EventCategory.ALTERNATIVE_DISTRIBUTION),
            Map.entry(PING_EVENT_TYPE, EventCategory.PING));

    // Known spellings first, in the order docs/sources.md lists them; a community client also expects
    // newValue on build uploads, so every spelling is tried for every event type.
    private static final List<String> NEW_STATE_NAMES = List.of("newValue", "newState", "newExternalBuildState");
    private static final List<String> OLD_STATE_NAMES = List.of("oldValue", "oldState", "oldExternalBuildState");
    // A later API version may add e.g. newInternalBuildState; such a name is still read rather than lost.
    private static final Pattern OTHER_NEW_STATE = Pattern.compile("new[A-Z][A-Za-z]*(State|Value)");

    /** Creates the normaliser; it holds no state. */
    public AppStoreConnectNormalizer() {
    }

    /**
     * The category of an App Store Connect event type.
     *
     * @param eventType {@code data.type} as sent
     * @return its category, {@code UNKNOWN} for a type Shipstream does not know
     */
    public static EventCategory categoryOf(String eventType) {
        return CATEGORIES.getOrDefault(eventType, EventCategory.UNKNOWN);
    }

    @Override
    public Normalization normalize(RawWebhook raw) {
        return GuardedConversion.run("App Store Connect", raw, AppStoreConnectNormalizer::toEvent);
    }

    private static DeliveryEvent toEvent(RawWebhook raw) {
        byte[] bytes = JsonPayload.bytes(raw.getBody());
        ObjectNode root = JsonPayload.parseObject(bytes);
        JsonNode data = root.path("data");
        if (!data.isObject()) {
            throw new UnparseablePayloadException("missing data");
        }
        String eventType = JsonPayload.text(data, "type")
                .orElseThrow(() -> new UnparseablePayloadException("missing data.type"));
        String eventId = JsonPayload.text(data, "id")
                .orElseThrow(() -> new UnparseablePayloadException("missing data.id"));
        EventCategory category = categoryOf(eventType);
        Entity entity = EntityKeys.entityOf(Source.APP_STORE_CONNECT, bytes)
                .orElseThrow(() -> new UnparseablePayloadException("no entity: ids must be strings or integers, field names unique"));

        JsonNode attributes = data.path("attributes");
        JsonNode timestamp = attributes.path("timestamp");
        Optional<Instant> occurredAt = timestamp.isTextual()
                ? Timestamps.parseIso(timestamp.textValue())
                : Optional.empty();

        EventDraft draft = new EventDraft(raw, Source.APP_STORE_CONNECT, eventId, eventType, category, entity)
                .states(firstOf(attributes, OLD_STATE_NAMES).or(() -> otherOldState(attributes)),
                        firstOf(attributes, NEW_STATE_NAMES).or(() -> otherNewState(attributes)))
                .occurredAt(occurredAt)
                .app(JsonPayload.text(attributes, "appId"), Optional.empty(), Optional.empty())
                .detailsLink(JsonPayload.text(data, "relationships", "instance", "links", "self"))
                .extra(ExtraKeys.AVAILABLE, JsonPayload.text(attributes, "available"))
                .extra(ExtraKeys.TERRITORIES, territories(attributes.path("territories")))
                .extra(ExtraKeys.MARKETPLACE_APP_ID,
                        JsonPayload.text(data, "relationships", "marketplaceApp", "data", "id"))
                .extra(ExtraKeys.PING, JsonPayload.text(attributes, "ping"))
                .enrichment(Normalizers.needsEnrichment(Source.APP_STORE_CONNECT, category)
                        ? EnrichmentStatus.PENDING
                        : EnrichmentStatus.NOT_APPLICABLE);
        if (occurredAt.isEmpty()) {
            draft.extra(ExtraKeys.UNPARSED_TIMESTAMP, JsonPayload.text(attributes, "timestamp"));
        }
        if (category == EventCategory.UNKNOWN) {
            draft.rawPayload(JsonPayload.text(bytes, root));
        }
        return draft.build();
    }

    private static Optional<String> firstOf(JsonNode attributes, List<String> names) {
        for (String name : names) {
            Optional<String> value = JsonPayload.text(attributes, name);
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> otherNewState(JsonNode attributes) {
        return otherStateName(attributes).flatMap(name -> JsonPayload.text(attributes, name));
    }

    private static Optional<String> otherOldState(JsonNode attributes) {
        return otherStateName(attributes).flatMap(name -> JsonPayload.text(attributes, "old" + name.substring(3)));
    }

    private static Optional<String> otherStateName(JsonNode attributes) {
        if (!attributes.isObject()) {
            return Optional.empty();
        }
        // Sorted so the choice does not depend on the order the fields were sent in.
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = attributes.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (OTHER_NEW_STATE.matcher(name).matches()) {
                names.add(name);
            }
        }
        return names.stream().sorted().findFirst();
    }

    private static Optional<String> territories(JsonNode territories) {
        if (!territories.isArray()) {
            return Optional.empty();
        }
        List<String> codes = new ArrayList<>();
        territories.forEach(t -> {
            if (t.isTextual()) {
                codes.add(t.textValue());
            }
        });
        return Optional.of(String.join(",", codes));
    }
}
