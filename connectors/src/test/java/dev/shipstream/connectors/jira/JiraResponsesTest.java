package dev.shipstream.connectors.jira;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.shipstream.connect.common.DeliveryOutcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class JiraResponsesTest {

    private static final Instant NOW = Instant.parse("2026-12-01T02:00:30Z");

    private static DeliveryOutcome classify(int status, String retryAfter, String reset, String body) {
        return JiraResponses.classify("POST /x", status, Optional.ofNullable(retryAfter), Optional.ofNullable(reset),
                body, NOW);
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 503})
    void rateLimitAndUnavailableWaitRetryAfterFirst(int status) {
        assertThat(classify(status, "12", "2026-12-01T02:10Z", "")).isInstanceOfSatisfying(DeliveryOutcome.Retry.class,
                r -> {
                    assertThat(r.after()).isEqualTo(Duration.ofSeconds(12));
                    assertThat(r.fromTarget()).isTrue();
                });
    }

    @Test
    void withoutRetryAfterA429WaitsUntilTheRateLimitReset() {
        assertThat(classify(429, null, "2026-12-01T02:02Z", "")).isInstanceOfSatisfying(DeliveryOutcome.Retry.class,
                r -> assertThat(r.after()).isEqualTo(Duration.ofSeconds(90)));
        assertThat(classify(429, null, "2026-12-01T02:01:00.000Z", "")).isInstanceOfSatisfying(
                DeliveryOutcome.Retry.class, r -> assertThat(r.after()).isEqualTo(Duration.ofSeconds(30)));
    }

    @Test
    void aResetInThePastOrUnreadableHeadersFallBackSafely() {
        assertThat(classify(429, null, "2026-12-01T01:00Z", "")).isInstanceOfSatisfying(DeliveryOutcome.Retry.class,
                r -> assertThat(r.after()).isZero());
        assertThat(classify(503, "soon", "later", "")).isInstanceOfSatisfying(DeliveryOutcome.Retry.class,
                r -> assertThat(r.fromTarget()).isFalse());
    }

    @Test
    void aConflictAndServerErrorsAreRetriedWithBackoff() {
        assertThat(classify(409, null, null, "{\"errorMessages\":[\"busy\"]}"))
                .isEqualTo(new DeliveryOutcome.Retry(Duration.ZERO, false, "POST /x: HTTP 409 conflicting update: busy"));
        assertThat(classify(500, null, null, "")).isInstanceOf(DeliveryOutcome.Retry.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 410, 413, 422})
    void otherClientErrorsArePermanentWithJirasMessages(int status) {
        assertThat(classify(status, null, null,
                "{\"errorMessages\":[\"Field 'priority' is required\"],\"errors\":{\"summary\":\"too long\"},\"status\":"
                        + status + "}"))
                .isEqualTo(new DeliveryOutcome.Permanent("POST /x: HTTP " + status
                        + ": Field 'priority' is required; summary: too long"));
    }

    @Test
    void aBodyThatIsNotAnErrorCollectionIsQuotedCut() {
        DeliveryOutcome outcome = classify(400, null, null, "<html>\n" + "x".repeat(1_000) + "</html>");
        assertThat(((DeliveryOutcome.Permanent) outcome).reason()).startsWith("POST /x: HTTP 400: <html> xxx")
                .hasSize(501);
    }
}
