package dev.shipstream.streams.enrich;

import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.EnrichmentStatus;
import dev.shipstream.streams.normalize.Normalizers;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The enrichment step of the topology: fills in, from the App Store Connect API, what an App Store Connect webhook
 * lacks (version string, build number, app name and bundle id, build upload errors such as ITMS-90683, TestFlight
 * feedback details), and says in {@code enrichment} how that went.
 *
 * <p>Reads and writes {@code DeliveryEvent}s keyed by entity key. Events for which {@link #wantsLookup} is false pass
 * unchanged (unless an earlier event of the same entity is being held; then they wait behind it). The others go out
 * {@code ENRICHED}; {@code UNAVAILABLE} with a reason (API refused the key, entity unreadable, held longer than the
 * maximum hold, hold store full); or, for {@link #notConfigured()}, {@code NOT_CONFIGURED}. Nothing is dropped.
 *
 * <p>An App Store version's change to {@code IN_REVIEW} or a decision also gets, when it was enriched, the {@code
 * submittedDate} of the review submission it followed (extra {@link EnrichmentExtras#REVIEW_SUBMITTED_DATE}, from the
 * app's review submissions, see {@link ReviewSubmissionDates}), so a missed {@code WAITING_FOR_REVIEW} webhook can
 * be made up for in the review cycles. That listing never holds or drops the event: when it fails or the budget does
 * not allow it, the event goes on without the date and {@link EnrichmentExtras#REVIEW_SUBMISSION_UNAVAILABLE} says
 * why.
 *
 * <p>Guarantees: one entity's events leave in the order they came; held events are kept in persistent, changelogged
 * stores ({@link #HELD_STORE}, {@link #SCHEDULE_STORE}) and survive restarts and rebalances; the stream thread waits at
 * most the request timeout per lookup, makes at most one entity lookup and one review submission listing per record,
 * and per punctuation resolves at most {@link EnrichmentSettings#maxEventsPerPunctuation()} held events and starts no
 * lookup after its time budget.
 *
 * <p>401/403 are not retried: credentials do not heal by themselves, and holding every event for the maximum hold
 * would only delay notifications that can go out now. The event goes out {@code UNAVAILABLE} with the API's error
 * code, an ERROR log line (without secrets) and {@code shipstream.enrichment.api.auth.failures} mark it, and for the
 * auth pause no lookup is made (events go out {@code UNAVAILABLE} at once); after it, the next event probes again
 * with a freshly signed token.
 */
public final class EnrichmentStage {

    /** The store of held events. */
    public static final String HELD_STORE = "shipstream-enrichment-held";
    /** The store of held entities by due time. */
    public static final String SCHEDULE_STORE = "shipstream-enrichment-schedule";
    /** The reason given with {@code NOT_CONFIGURED}. */
    public static final String NOT_CONFIGURED_REASON = "App Store Connect API key not configured ("
            + EnrichmentSettings.KEY_ID_ENV + ", " + EnrichmentSettings.ISSUER_ID_ENV + ", "
            + EnrichmentSettings.PRIVATE_KEY_FILE_ENV + ")";

    private final ProcessorSupplier<String, DeliveryEvent, String, DeliveryEvent> supplier;
    private final AppStoreConnectApi api;

    private EnrichmentStage(ProcessorSupplier<String, DeliveryEvent, String, DeliveryEvent> supplier,
                            AppStoreConnectApi api) {
        this.supplier = supplier;
        this.api = api;
    }

    /**
     * A stage without API access: events that would be looked up go out {@code NOT_CONFIGURED} with {@link
     * #NOT_CONFIGURED_REASON}; all others unchanged. It uses no store.
     *
     * @return the stage
     */
    public static EnrichmentStage notConfigured() {
        return new EnrichmentStage(new ProcessorSupplier<>() {
            @Override
            public Processor<String, DeliveryEvent, String, DeliveryEvent> get() {
                return new NotConfiguredProcessor();
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of();
            }
        }, null);
    }

    /**
     * The stage as the environment configures it (variables and defaults in {@link EnrichmentSettings}).
     *
     * @param env the environment, e.g. {@link System#getenv()}
     * @param meters where the stage and its client register their meters
     * @return {@link #notConfigured()} when none of the three key variables is set, else an enriching stage
     * @throws IllegalArgumentException with an exact message when only some key variables are set, the key file is
     *                                  unreadable or not an EC P-256 PKCS#8 key, or another setting is invalid
     */
    public static EnrichmentStage fromEnvironment(Map<String, String> env, MeterRegistry meters) {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(meters, "meters");
        Optional<EnrichmentSettings.ApiKey> key = EnrichmentSettings.apiKey(env);
        if (key.isEmpty()) {
            return notConfigured();
        }
        EnrichmentSettings settings = EnrichmentSettings.fromEnvironment(env);
        ECPrivateKey privateKey = AppStoreConnectJwt.readPrivateKey(key.get().privateKeyFile());
        AppStoreConnectJwt jwt = new AppStoreConnectJwt(key.get().keyId(), key.get().issuerId(), privateKey,
                Clock.systemUTC());
        return of(settings, new AppStoreConnectClient(settings, jwt, meters), meters);
    }

    /**
     * An enriching stage over the given API, e.g. a fake in tests.
     *
     * @param settings the tuning
     * @param api the API; closed by {@link #close()}
     * @param meters where the stage registers its meters
     * @return the stage
     */
    public static EnrichmentStage of(EnrichmentSettings settings, AppStoreConnectApi api, MeterRegistry meters) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(meters, "meters");
        RequestBudget budget = new RequestBudget(settings);
        LookupCache cache = new LookupCache(settings.cacheSize(), settings.cacheTtl());
        ReviewSubmissionCache submissionCache = new ReviewSubmissionCache(settings.cacheSize(), settings.cacheTtl());
        EnrichmentMetrics metrics = new EnrichmentMetrics(meters, budget);
        return new EnrichmentStage(new EnrichingSupplier(settings, api, budget, cache, submissionCache, metrics), api);
    }

    /**
     * The processor to put in the topology, e.g. {@code stream.process(stage.processorSupplier(), Named.as(...))};
     * its {@code stores()} are connected by that call.
     *
     * @return the supplier; every processor it makes shares this stage's budget, cache and client
     */
    public ProcessorSupplier<String, DeliveryEvent, String, DeliveryEvent> processorSupplier() {
        return supplier;
    }

    /** Closes the API client; call after the Kafka Streams instance is closed. */
    public void close() {
        if (api != null) {
            api.close();
        }
    }

    /**
     * Whether the stage looks the event up: an App Store Connect event of an enriched category (see {@link
     * Normalizers#needsEnrichment(DeliveryEvent)}) still marked {@code PENDING}.
     *
     * @param event an event
     * @return true when it is looked up
     */
    public static boolean wantsLookup(DeliveryEvent event) {
        return Normalizers.needsEnrichment(event)
                && event.getEnrichment() != null
                && event.getEnrichment().getStatus() == EnrichmentStatus.PENDING
                && event.getEntity() != null;
    }

    static boolean isResolved(DeliveryEvent event) {
        if (event == null || !Normalizers.needsEnrichment(event) || event.getEnrichment() == null) {
            return false;
        }
        EnrichmentStatus status = event.getEnrichment().getStatus();
        return status == EnrichmentStatus.ENRICHED || status == EnrichmentStatus.UNAVAILABLE
                || status == EnrichmentStatus.NOT_CONFIGURED;
    }

    private static final class EnrichingSupplier
            implements ProcessorSupplier<String, DeliveryEvent, String, DeliveryEvent> {

        private final EnrichmentSettings settings;
        private final AppStoreConnectApi api;
        private final RequestBudget budget;
        private final LookupCache cache;
        private final ReviewSubmissionCache submissionCache;
        private final EnrichmentMetrics metrics;

        EnrichingSupplier(EnrichmentSettings settings, AppStoreConnectApi api, RequestBudget budget,
                          LookupCache cache, ReviewSubmissionCache submissionCache, EnrichmentMetrics metrics) {
            this.settings = settings;
            this.api = api;
            this.budget = budget;
            this.cache = cache;
            this.submissionCache = submissionCache;
            this.metrics = metrics;
        }

        @Override
        public Processor<String, DeliveryEvent, String, DeliveryEvent> get() {
            return new EnrichmentProcessor(settings, api, budget, cache, submissionCache, metrics);
        }

        @Override
        public Set<StoreBuilder<?>> stores() {
            return Set.of(
                    Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HELD_STORE),
                            Serdes.String(), ParkedEvent.serde()),
                    Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SCHEDULE_STORE),
                            Serdes.String(), Serdes.Long()));
        }
    }

    /** Marks events that would be looked up {@code NOT_CONFIGURED}; forwards everything else unchanged. */
    private static final class NotConfiguredProcessor
            implements Processor<String, DeliveryEvent, String, DeliveryEvent> {

        private ProcessorContext<String, DeliveryEvent> context;

        @Override
        public void init(ProcessorContext<String, DeliveryEvent> context) {
            this.context = context;
        }

        @Override
        public void process(Record<String, DeliveryEvent> record) {
            DeliveryEvent event = record.value();
            if (event != null && wantsLookup(event)) {
                context.forward(record.withValue(EnrichedEvents.withStatus(event, EnrichmentStatus.NOT_CONFIGURED,
                        NOT_CONFIGURED_REASON, context.currentSystemTimeMs(), 0)));
            } else {
                context.forward(record);
            }
        }
    }
}
