package dev.shipstream.streams.enrich;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class RequestBudgetTest {

    private final EnrichmentSettings settings = EnrichmentSettings.builder()
            .rateLimitBackoff(Duration.ofSeconds(60))
            .rateLimitBackoffMax(Duration.ofMinutes(15))
            .failurePause(Duration.ofSeconds(1))
            .failurePauseMax(Duration.ofSeconds(8))
            .quotaReserve(100)
            .lowQuotaPause(Duration.ofSeconds(60))
            .authPause(Duration.ofMinutes(5))
            .build();
    private final RequestBudget budget = new RequestBudget(settings);

    private static ApiResult found(long remaining) {
        return ApiResult.found(new EntityDetails(null, "1.0", "1", null, null, null, null,
                java.util.List.of(), java.util.Map.of()), Optional.of(limit(remaining)));
    }

    private static RateLimitHeader limit(long remaining) {
        return new RateLimitHeader(OptionalLong.of(3500), remaining);
    }

    private static ApiResult rateLimited(long remaining, Optional<Duration> retryAfter) {
        return ApiResult.failure(ApiResult.Kind.RATE_LIMITED, 429, "HTTP 429 RATE_LIMIT_EXCEEDED",
                Optional.of(limit(remaining)), retryAfter);
    }

    @Test
    void allowsRequestsWhileQuotaIsAboveTheReserve() {
        budget.record(found(500), 0);

        assertThat(budget.allows(0)).isTrue();
        assertThat(budget.remaining()).isEqualTo(500);
    }

    @Test
    void onlyProbesOncePerPauseWhenQuotaReachesTheReserve() {
        budget.record(found(100), 1_000);

        assertThat(budget.allows(1_000)).isFalse();
        assertThat(budget.nextAllowedAt(1_000)).isEqualTo(61_000);
        assertThat(budget.allows(61_000)).isTrue();

        budget.record(found(400), 61_000);
        assertThat(budget.allows(61_001)).isTrue();
    }

    @Test
    void honoursRetryAfterOnA429() {
        budget.record(rateLimited(3000, Optional.of(Duration.ofSeconds(30))), 0);

        assertThat(budget.allows(29_999)).isFalse();
        assertThat(budget.allows(30_000)).isTrue();
    }

    @Test
    void backsOffExponentiallyOnA429WithoutRetryAfterEvenWhenQuotaSeemsLeft() {
        budget.record(rateLimited(3000, Optional.empty()), 0);
        assertThat(budget.nextAllowedAt(0)).isEqualTo(60_000);

        budget.record(rateLimited(3000, Optional.empty()), 60_000);
        assertThat(budget.nextAllowedAt(60_000)).isEqualTo(180_000);

        budget.record(rateLimited(3000, Optional.empty()), 180_000);
        assertThat(budget.nextAllowedAt(180_000)).isEqualTo(420_000);
    }

    @Test
    void capsRetryAfterAtTheMaximumBackoff() {
        budget.record(rateLimited(0, Optional.of(Duration.ofDays(1))), 0);

        assertThat(budget.nextAllowedAt(0)).isEqualTo(Duration.ofMinutes(15).toMillis());
    }

    @Test
    void resetsTheBackoffAfterASuccess() {
        budget.record(rateLimited(3000, Optional.empty()), 0);
        budget.record(rateLimited(3000, Optional.empty()), 60_000);
        budget.record(found(2000), 180_000);
        budget.record(rateLimited(3000, Optional.empty()), 200_000);

        assertThat(budget.nextAllowedAt(200_000)).isEqualTo(260_000);
    }

    @Test
    void pausesBrieflyAndIncreasinglyAfterTransientFailures() {
        ApiResult timeout = ApiResult.failure(ApiResult.Kind.TRANSIENT, 0, "timed out after 2000 ms");
        budget.record(timeout, 0);
        assertThat(budget.nextAllowedAt(0)).isEqualTo(1_000);
        budget.record(timeout, 1_000);
        assertThat(budget.nextAllowedAt(1_000)).isEqualTo(3_000);
        for (int i = 0; i < 10; i++) {
            budget.record(timeout, 10_000);
        }
        assertThat(budget.nextAllowedAt(10_000)).isEqualTo(18_000);
    }

    @Test
    void stopsLookupsForTheAuthPauseAfterA401AndSaysItStartedOnce() {
        ApiResult refused = ApiResult.failure(ApiResult.Kind.UNAUTHORIZED, 401, "HTTP 401 NOT_AUTHORIZED");

        assertThat(budget.record(refused, 0)).isTrue();
        assertThat(budget.record(refused, 1_000)).isFalse();
        assertThat(budget.authFailure(2_000)).contains("HTTP 401 NOT_AUTHORIZED");
        assertThat(budget.allows(2_000)).isFalse();
        assertThat(budget.authFailure(301_000)).isEmpty();
        assertThat(budget.allows(301_000)).isTrue();
    }

    @Test
    void exponentialNeverOverflows() {
        assertThat(RequestBudget.exponential(Duration.ofDays(365), Duration.ofDays(400), 80))
                .isEqualTo(Duration.ofDays(400));
        assertThat(RequestBudget.exponential(Duration.ofSeconds(1), Duration.ofMinutes(1), 1))
                .isEqualTo(Duration.ofSeconds(1));
    }
}
