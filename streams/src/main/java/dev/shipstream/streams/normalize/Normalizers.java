package dev.shipstream.streams.normalize;

import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.EventCategory;
import dev.shipstream.schemas.RawWebhook;
import dev.shipstream.schemas.Source;

import java.util.EnumSet;
import java.util.Set;

/**
 * The entry point of normalisation: picks the normaliser of the webhook's {@code source} and never throws.
 *
 * <p>It also says which events the App Store Connect enricher will look up: the normalisers mark those
 * {@code PENDING} and all others {@code NOT_APPLICABLE}; the enrichment stage overwrites the status.
 */
public final class Normalizers implements Normalizer {

    // The event families whose webhook lacks what users need (version, build, reasons, feedback details) and that
    // the API can supply; see the enrichment calls in docs/sources.md.
    private static final Set<EventCategory> ENRICHED_CATEGORIES = EnumSet.of(
            EventCategory.APP_VERSION_STATE,
            EventCategory.BUILD_UPLOAD_STATE,
            EventCategory.TESTFLIGHT_BUILD_STATE,
            EventCategory.TESTFLIGHT_FEEDBACK);

    private final Normalizer appStoreConnect;
    private final Normalizer eas;
    private final Normalizer appflow;

    /** Creates the dispatcher over the three provider normalisers. */
    public Normalizers() {
        this(new AppStoreConnectNormalizer(), new EasNormalizer(), new AppflowNormalizer());
    }

    Normalizers(Normalizer appStoreConnect, Normalizer eas, Normalizer appflow) {
        this.appStoreConnect = appStoreConnect;
        this.eas = eas;
        this.appflow = appflow;
    }

    /**
     * Normalises a webhook of any source.
     *
     * @param raw the webhook as published by the ingress; may be null
     * @return the event, or the reason there is none (also for an unknown source)
     */
    @Override
    public Normalization normalize(RawWebhook raw) {
        if (raw == null) {
            return new Normalization.Unparseable("webhook is missing");
        }
        if (raw.getSource() == null) {
            return new Normalization.Unparseable("source is missing");
        }
        Normalizer normalizer = switch (raw.getSource()) {
            case APP_STORE_CONNECT -> appStoreConnect;
            case EAS -> eas;
            case APPFLOW -> appflow;
            case UNKNOWN -> null;
        };
        if (normalizer == null) {
            return new Normalization.Unparseable("source " + raw.getSource() + " is not supported");
        }
        try {
            Normalization result = normalizer.normalize(raw);
            return result != null ? result : new Normalization.Unparseable("normaliser returned nothing");
        } catch (RuntimeException e) {
            return new Normalization.Unparseable("normaliser failed: " + e.getClass().getName());
        }
    }

    /**
     * Whether the App Store Connect enricher looks up events of this source and category.
     *
     * @param source the event's source
     * @param category the event's category
     * @return true for App Store Connect app version, build upload, TestFlight build and TestFlight feedback events
     */
    public static boolean needsEnrichment(Source source, EventCategory category) {
        return source == Source.APP_STORE_CONNECT && ENRICHED_CATEGORIES.contains(category);
    }

    /**
     * Whether the App Store Connect enricher looks up this event.
     *
     * @param event a normalised event
     * @return {@link #needsEnrichment(Source, EventCategory)} of its source and category
     */
    public static boolean needsEnrichment(DeliveryEvent event) {
        return event != null && needsEnrichment(event.getSource(), event.getCategory());
    }
}
