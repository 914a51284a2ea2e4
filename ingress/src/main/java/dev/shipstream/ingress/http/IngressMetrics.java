package dev.shipstream.ingress.http;

import dev.shipstream.ingress.WebhookSource;
import dev.shipstream.ingress.verify.Verification.RejectionReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ingress's Micrometer meters (exposed in Prometheus format on {@code /metrics}):
 * <ul>
 *   <li>{@code shipstream_ingress_requests_total{source,endpoint,outcome}}: every webhook request by outcome
 *       ({@code accepted}, {@code unauthorized}, {@code rate_limited}, {@code unavailable}, {@code aborted} when the
 *       client went away before its answer, ...);</li>
 *   <li>{@code shipstream_ingress_verification_failures_total{source,endpoint,reason}}: rejected signatures and
 *       tokens;</li>
 *   <li>{@code shipstream_ingress_publish_latency_seconds{source,outcome}}: histogram of the time from handing a
 *       record to the publisher until its acknowledgement, failure or timeout;</li>
 *   <li>{@code shipstream_ingress_requests_in_flight}: requests being processed.</li>
 * </ul>
 * Label values are only configured source and endpoint names, fixed outcomes and reasons: never a path the
 * client chose, so neither cardinality nor secret material can be injected. Thread-safe; meters are cached so
 * that recording allocates little.
 */
public final class IngressMetrics {

    /** The endpoint label of requests that matched no configured endpoint. */
    public static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<RequestKey, Counter> requests = new ConcurrentHashMap<>();
    private final Map<FailureKey, Counter> failures = new ConcurrentHashMap<>();
    private final Map<LatencyKey, Timer> latencies = new ConcurrentHashMap<>();

    /** @param registry where the meters are registered */
    public IngressMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("shipstream.ingress.requests.in.flight", inFlight, AtomicInteger::get)
                .description("Requests being processed")
                .register(registry);
    }

    /** The registry the meters live in. */
    public MeterRegistry registry() {
        return registry;
    }

    /** A request started. */
    public void requestStarted() {
        inFlight.incrementAndGet();
    }

    /** A request ended (answered or connection closed). */
    public void requestEnded() {
        inFlight.decrementAndGet();
    }

    /** Counts a webhook request that ended with {@code status}. */
    public void countRequest(String source, String endpoint, int status) {
        requests.computeIfAbsent(new RequestKey(source, endpoint, outcome(status)), k -> Counter
                .builder("shipstream.ingress.requests")
                .description("Webhook requests by source, endpoint and outcome")
                .tags("source", k.source, "endpoint", k.endpoint, "outcome", k.outcome)
                .register(registry)).increment();
    }

    /** Requests being processed now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** A request failed verification. */
    public void verificationFailed(WebhookSource source, String endpoint, RejectionReason reason) {
        failures.computeIfAbsent(new FailureKey(source.pathSegment(), endpoint, reason.tag()), k -> Counter
                .builder("shipstream.ingress.verification.failures")
                .description("Requests rejected by signature or token verification")
                .tags("source", k.source, "endpoint", k.endpoint, "reason", k.reason)
                .register(registry)).increment();
    }

    /** A publish finished after {@code nanos} with {@code outcome} ({@code acknowledged}, {@code failed}, ...). */
    public void publishFinished(WebhookSource source, String outcome, long nanos) {
        latencies.computeIfAbsent(new LatencyKey(source.pathSegment(), outcome), k -> Timer
                .builder("shipstream.ingress.publish.latency")
                .description("Time from publish to broker acknowledgement, failure or timeout")
                .tags("source", k.source, "outcome", k.outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The outcome label of an HTTP status. */
    static String outcome(int status) {
        return switch (status) {
            case 200 -> "accepted";
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 408 -> "timeout";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 429 -> "rate_limited";
            case Routes.ABORTED -> "aborted";
            case 503 -> "unavailable";
            default -> status >= 500 ? "server_error" : status >= 400 ? "client_error" : "other";
        };
    }

    // Looked up on every request: equals and hashCode are written out because the ones records generate go through
    // method-handle chains that showed up in profiles of the request path.
    private record RequestKey(String source, String endpoint, String outcome) {
        @Override
        public boolean equals(Object o) {
            return o instanceof RequestKey k && source.equals(k.source) && endpoint.equals(k.endpoint)
                    && outcome.equals(k.outcome);
        }

        @Override
        public int hashCode() {
            return (source.hashCode() * 31 + endpoint.hashCode()) * 31 + outcome.hashCode();
        }
    }

    private record FailureKey(String source, String endpoint, String reason) {
    }

    private record LatencyKey(String source, String outcome) {
        @Override
        public boolean equals(Object o) {
            return o instanceof LatencyKey k && source.equals(k.source) && outcome.equals(k.outcome);
        }

        @Override
        public int hashCode() {
            return source.hashCode() * 31 + outcome.hashCode();
        }
    }
}
