package dev.shipstream.connectors.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.shipstream.connect.common.DeliveryOutcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SlackResponsesTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    private static DeliveryOutcome api(int status, String retryAfter, String body) {
        return SlackResponses.classifyApi(status, Optional.ofNullable(retryAfter), body, NOW);
    }

    @Test
    void okTrueIsDeliveredWithItsTs() {
        assertThat(api(200, null, "{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1503435956.000247\"}"))
                .isEqualTo(new DeliveryOutcome.Delivered("1503435956.000247"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"channel_not_found", "not_in_channel", "is_archived", "invalid_blocks", "invalid_auth",
            "missing_scope", "token_revoked", "msg_blocks_too_long", "request_timeout", "some_future_code"})
    void okFalseWithAPermanentCodeIsPermanent(String code) {
        assertThat(api(200, null, "{\"ok\":false,\"error\":\"" + code + "\"}"))
                .isEqualTo(new DeliveryOutcome.Permanent("Slack error " + code));
    }

    @ParameterizedTest
    @ValueSource(strings = {"internal_error", "fatal_error", "service_unavailable", "ratelimited"})
    void okFalseWithATransientCodeIsRetried(String code) {
        assertThat(api(200, null, "{\"ok\":false,\"error\":\"" + code + "\"}"))
                .isInstanceOf(DeliveryOutcome.Retry.class);
    }

    @Test
    void status429WaitsRetryAfterSeconds() {
        assertThat(api(429, "2", "")).isEqualTo(
                new DeliveryOutcome.Retry(Duration.ofSeconds(2), true, "rate limited by Slack, Retry-After 2 s"));
    }

    @Test
    void status429AcceptsAnHttpDate() {
        DeliveryOutcome outcome = api(429, "Mon, 30 Nov 2026 12:00:30 GMT", "");
        assertThat(((DeliveryOutcome.Retry) outcome).after()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void status429WithoutRetryAfterFallsBackToBackoff() {
        assertThat(((DeliveryOutcome.Retry) api(429, null, "")).fromTarget()).isFalse();
    }

    @Test
    void serverErrorsAreRetried() {
        assertThat(api(503, null, "down")).isInstanceOf(DeliveryOutcome.Retry.class);
    }

    @Test
    void otherClientErrorsArePermanent() {
        assertThat(api(404, null, "nope")).isEqualTo(new DeliveryOutcome.Permanent("HTTP 404: nope"));
    }

    @Test
    void webhookErrorsFollowTheStatus() {
        assertThat(SlackResponses.classifyWebhook(200, Optional.empty(), "ok", NOW))
                .isEqualTo(new DeliveryOutcome.Delivered(null));
        assertThat(SlackResponses.classifyWebhook(404, Optional.empty(), "channel_not_found", NOW))
                .isEqualTo(new DeliveryOutcome.Permanent("HTTP 404: channel_not_found"));
        assertThat(SlackResponses.classifyWebhook(410, Optional.empty(), "channel_is_archived", NOW))
                .isInstanceOf(DeliveryOutcome.Permanent.class);
        assertThat(SlackResponses.classifyWebhook(500, Optional.empty(), "rollup_error", NOW))
                .isInstanceOf(DeliveryOutcome.Retry.class);
        assertThat(SlackResponses.classifyWebhook(429, Optional.of("3"), "", NOW))
                .isEqualTo(new DeliveryOutcome.Retry(Duration.ofSeconds(3), true,
                        "rate limited by Slack, Retry-After 3 s"));
    }
}
