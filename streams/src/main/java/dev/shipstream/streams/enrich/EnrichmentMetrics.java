package dev.shipstream.streams.enrich;

import dev.shipstream.schemas.EnrichmentStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The enrichment stage's meters: outcomes by status, holds, auth failures, the last reported remaining quota and the
 * number of held events across this instance's tasks.
 */
final class EnrichmentMetrics {

    static final String OUTCOMES = "shipstream.enrichment.outcomes";
    static final String HELD = "shipstream.enrichment.held";
    static final String HELD_EVENTS = "shipstream.enrichment.held.events";
    static final String AUTH_FAILURES = "shipstream.enrichment.api.auth.failures";
    static final String BUDGET_REMAINING = "shipstream.enrichment.api.budget.remaining";
    static final String REVIEW_SUBMISSION_DATES = "shipstream.enrichment.review.submission.dates";

    private final MeterRegistry meters;
    private final Set<LongSupplier> heldCounts = ConcurrentHashMap.newKeySet();
    private final Map<EnrichmentStatus, Counter> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Counter> submissionDates = new ConcurrentHashMap<>();

    EnrichmentMetrics(MeterRegistry meters, RequestBudget budget) {
        this.meters = meters;
        Gauge.builder(HELD_EVENTS, this, EnrichmentMetrics::heldEvents)
                .description("Events waiting for an App Store Connect lookup, in this instance's tasks")
                .strongReference(true)
                .register(meters);
        if (budget != null) {
            Gauge.builder(BUDGET_REMAINING, budget, b -> b.remaining())
                    .description("Requests left in the rolling hour as the API last reported (-1: not yet known)")
                    .strongReference(true)
                    .register(meters);
        }
    }

    void outcome(EnrichmentStatus status) {
        // Once per status: registering looks the meter up by name and tags, too much to do for every event.
        outcomes.computeIfAbsent(status, s -> Counter.builder(OUTCOMES)
                .description("Events that needed enrichment, by the status they went out with")
                .tag("status", s.name())
                .register(meters)).increment();
    }

    void held() {
        Counter.builder(HELD)
                .description("Events parked to wait for a lookup")
                .register(meters)
                .increment();
    }

    /**
     * Counts an event that wanted a review submission date, by {@code result}: {@code found}, {@code none} (no
     * submission of the version fits) or {@code unavailable} (not looked up, or the listing failed).
     */
    void reviewSubmissionDate(String result) {
        // Once per result, as for the outcomes: a version's every change past a submission passes here.
        submissionDates.computeIfAbsent(result, r -> Counter.builder(REVIEW_SUBMISSION_DATES)
                .description("Version state changes past a submission, by whether the API gave a submission date")
                .tag("result", r)
                .register(meters)).increment();
    }

    void authFailure(int httpStatus) {
        Counter.builder(AUTH_FAILURES)
                .description("API answers refusing the key (401/403)")
                .tag("status", Integer.toString(httpStatus))
                .register(meters)
                .increment();
    }

    void trackHeld(LongSupplier count) {
        heldCounts.add(count);
    }

    void untrackHeld(LongSupplier count) {
        heldCounts.remove(count);
    }

    private double heldEvents() {
        long sum = 0;
        for (LongSupplier count : heldCounts) {
            sum += count.getAsLong();
        }
        return sum;
    }
}
