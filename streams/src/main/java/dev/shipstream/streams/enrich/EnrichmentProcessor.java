package dev.shipstream.streams.enrich;

import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.EnrichmentStatus;
import dev.shipstream.schemas.Source;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Enriches App Store Connect events, holding those whose lookup failed transiently (see {@link EnrichmentStage}).
 *
 * <p>Per record it makes at most one lookup, and only when the entity holds nothing (otherwise the record queues
 * behind, so one entity's events keep their order); an App Store version's change to {@code IN_REVIEW} or a decision
 * that was enriched may add one review submission listing ({@link ReviewSubmissionDates}), which never holds it. A wall-clock punctuation tries each due entity's oldest event
 * once, resolves at most a bounded number of events, and starts no lookup once its time budget is spent.
 */
final class EnrichmentProcessor implements Processor<String, DeliveryEvent, String, DeliveryEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(EnrichmentProcessor.class);

    private final EnrichmentSettings settings;
    private final AppStoreConnectApi api;
    private final RequestBudget budget;
    private final LookupCache cache;
    private final ReviewSubmissionDates submissionDates;
    private final EnrichmentMetrics metrics;
    private final LongSupplier heldGauge = this::heldCount;

    private ProcessorContext<String, DeliveryEvent> context;
    private HoldQueue hold;
    private Cancellable punctuator;

    EnrichmentProcessor(EnrichmentSettings settings, AppStoreConnectApi api, RequestBudget budget, LookupCache cache,
                        ReviewSubmissionCache submissionCache, EnrichmentMetrics metrics) {
        this.settings = settings;
        this.api = api;
        this.budget = budget;
        this.cache = cache;
        this.metrics = metrics;
        this.submissionDates = new ReviewSubmissionDates(api, budget, submissionCache, metrics);
    }

    @Override
    public void init(ProcessorContext<String, DeliveryEvent> context) {
        this.context = context;
        KeyValueStore<String, ParkedEvent> held = context.getStateStore(EnrichmentStage.HELD_STORE);
        KeyValueStore<String, Long> schedule = context.getStateStore(EnrichmentStage.SCHEDULE_STORE);
        long maxHold = settings.maxHold().toMillis();
        this.hold = new HoldQueue(held, schedule, p -> Math.min(p.nextAttemptAt(), p.parkedAt() + maxHold));
        metrics.trackHeld(heldGauge);
        this.punctuator = context.schedule(settings.punctuationInterval(), PunctuationType.WALL_CLOCK_TIME,
                this::retryDue);
    }

    private long heldCount() {
        HoldQueue queue = hold;
        return queue == null ? 0 : queue.total();
    }

    @Override
    public void process(Record<String, DeliveryEvent> record) {
        DeliveryEvent event = record.value();
        if (event == null) {
            context.forward(record);
            return;
        }
        String key = record.key() != null ? record.key() : event.getEntityKey();
        long now = context.currentSystemTimeMs();
        if (key != null && event.getSource() == Source.APP_STORE_CONNECT && hold.isHolding(key)) {
            park(key, record, event, now, 0, "waiting behind an earlier event of the same entity", now);
            return;
        }
        if (!EnrichmentStage.wantsLookup(event)) {
            context.forward(record);
            return;
        }
        Resolution resolution = resolve(event, 0, null, now, true);
        if (resolution.event() != null) {
            emit(record.withValue(resolution.event()));
        } else if (key == null) {
            emit(record.withValue(unavailable(event, "cannot hold an event without a key: "
                    + resolution.reason(), now, resolution.attempts())));
        } else {
            park(key, record, event, now, resolution.attempts(), resolution.reason(), resolution.retryAt());
        }
    }

    /**
     * What to do with an event now: emit it (enriched or unavailable), or hold it until {@code retryAt}.
     *
     * @param event the event (or null when it is to be held)
     */
    private record Resolution(DeliveryEvent event, int attempts, String reason, long retryAt) {
    }

    private Resolution resolve(DeliveryEvent event, int previousAttempts, String lastReason, long now,
                               boolean mayLookup) {
        String type = event.getEntity().getType();
        String id = event.getEntity().getId();
        Optional<EntityDetails> cached = cache.get(type, id, event.getNewState(), now);
        if (cached.isPresent()) {
            return emitNow(submissionDates.add(EnrichedEvents.enriched(event, cached.get(), now, previousAttempts),
                    now, mayLookup), previousAttempts);
        }
        Optional<String> authFailure = budget.authFailure(now);
        if (authFailure.isPresent()) {
            return emitNow(unavailable(event, authFailure.get(), now, previousAttempts), previousAttempts);
        }
        if (!budget.allows(now) || !mayLookup) {
            String reason = lastReason != null ? lastReason : "waiting for the App Store Connect request budget";
            return new Resolution(null, previousAttempts, reason, Math.max(budget.nextAllowedAt(now), now));
        }
        ApiResult result = api.lookup(type, id);
        int attempts = previousAttempts + 1;
        boolean authPauseStarted = budget.record(result, now);
        switch (result.kind()) {
            case FOUND -> {
                EntityDetails details = result.details().orElseThrow();
                cache.put(type, id, details, now);
                return emitNow(submissionDates.add(EnrichedEvents.enriched(event, details, now, attempts), now, true),
                        attempts);
            }
            case UNAUTHORIZED -> {
                metrics.authFailure(result.httpStatus());
                if (authPauseStarted) {
                    // Loud once per pause, not once per event; the reason holds the API's error code, no secret.
                    LOG.error("App Store Connect refused the API key ({}); no lookups for {} s, events go out "
                                    + "UNAVAILABLE meanwhile. Check the key id, issuer id, key file and the key's role.",
                            result.reason(), settings.authPause().toSeconds());
                }
                return emitNow(unavailable(event, "App Store Connect refused the API key: " + result.reason(), now,
                        attempts), attempts);
            }
            case REJECTED -> {
                return emitNow(unavailable(event, result.reason(), now, attempts), attempts);
            }
            default -> {
                Duration backoff = RequestBudget.exponential(settings.retryBackoff(), settings.retryBackoffMax(),
                        attempts);
                long retryAt = Math.max(now + backoff.toMillis(), budget.nextAllowedAt(now));
                return new Resolution(null, attempts, result.reason(), retryAt);
            }
        }
    }

    private static Resolution emitNow(DeliveryEvent event, int attempts) {
        return new Resolution(event, attempts, null, 0);
    }

    private void park(String key, Record<String, DeliveryEvent> record, DeliveryEvent event, long now, int attempts,
                      String reason, long retryAt) {
        while (hold.isHolding(key) && hold.size(key) >= settings.maxHeldPerKey()) {
            releaseHead(key, "more than " + settings.maxHeldPerKey() + " events of this entity waiting", now);
        }
        if (hold.total() >= settings.maxHeldTotal()) {
            if (hold.isHolding(key)) {
                releaseHead(key, "more than " + settings.maxHeldTotal() + " events waiting", now);
            } else {
                emit(record.withValue(EnrichmentStage.wantsLookup(event)
                        ? unavailable(event, "more than " + settings.maxHeldTotal() + " events waiting; " + reason,
                        now, attempts)
                        : event));
                return;
            }
        }
        hold.append(key, new ParkedEvent(event, record.timestamp(), record.headers(), now, retryAt, attempts,
                reason));
        metrics.held();
    }

    private void releaseHead(String key, String why, long now) {
        hold.head(key).ifPresent(head -> {
            ParkedEvent parked = head.parked();
            DeliveryEvent event = parked.event();
            DeliveryEvent out = EnrichmentStage.wantsLookup(event)
                    ? unavailable(event, why + (parked.lastReason() == null ? "" : "; " + parked.lastReason()), now,
                    parked.attempts())
                    : event;
            emit(key, parked, out);
            hold.removeHead(key, head);
        });
    }

    private void retryDue(long now) {
        long started = System.nanoTime();
        long timeBudget = settings.punctuationTimeBudget().toNanos();
        int remaining = settings.maxEventsPerPunctuation();
        long maxHold = settings.maxHold().toMillis();
        for (String key : hold.due(now, remaining)) {
            while (remaining > 0) {
                Optional<HoldQueue.Held> head = hold.head(key);
                if (head.isEmpty()) {
                    break;
                }
                ParkedEvent parked = head.get().parked();
                DeliveryEvent event = parked.event();
                boolean expired = now >= parked.parkedAt() + maxHold;
                if (!expired && parked.nextAttemptAt() > now) {
                    hold.replaceHead(key, head.get(), parked);
                    break;
                }
                remaining--;
                if (!EnrichmentStage.wantsLookup(event)) {
                    emit(key, parked, event);
                    hold.removeHead(key, head.get());
                    continue;
                }
                boolean mayLookup = !expired && System.nanoTime() - started < timeBudget;
                Resolution resolution = resolve(event, parked.attempts(), parked.lastReason(), now, mayLookup);
                if (resolution.event() == null && expired) {
                    resolution = emitNow(unavailable(event, "no App Store Connect details within "
                            + settings.maxHold().toSeconds() + " s: " + resolution.reason(), now, parked.attempts()),
                            parked.attempts());
                }
                if (resolution.event() != null) {
                    emit(key, parked, resolution.event());
                    hold.removeHead(key, head.get());
                } else {
                    hold.replaceHead(key, head.get(),
                            parked.retried(resolution.attempts(), resolution.reason(), resolution.retryAt()));
                    break;
                }
            }
            if (remaining == 0) {
                break;
            }
        }
    }

    private static DeliveryEvent unavailable(DeliveryEvent event, String reason, long now, int attempts) {
        return EnrichedEvents.withStatus(event, EnrichmentStatus.UNAVAILABLE, reason, now, attempts);
    }

    private void emit(String key, ParkedEvent parked, DeliveryEvent out) {
        emit(new Record<>(key, out, parked.recordTimestamp(), parked.headers()));
    }

    private void emit(Record<String, DeliveryEvent> record) {
        DeliveryEvent event = record.value();
        if (EnrichmentStage.isResolved(event)) {
            metrics.outcome(event.getEnrichment().getStatus());
        }
        context.forward(record);
    }

    @Override
    public void close() {
        if (punctuator != null) {
            punctuator.cancel();
        }
        metrics.untrackHeld(heldGauge);
    }
}
