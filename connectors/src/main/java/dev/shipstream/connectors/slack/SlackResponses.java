package dev.shipstream.connectors.slack;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shipstream.connect.common.DeliveryOutcome;
import dev.shipstream.connect.common.RetryAfter;

/**
 * Classifies Slack's answers, purely from status, headers and body. Web API ({@code chat.postMessage}): errors come
 * back as HTTP 200 with {@code {"ok":false,"error":"..."}}; rate limiting as 429 with {@code Retry-After} seconds.
 * Incoming Webhooks: 200 with body {@code ok}, errors as 4xx/5xx with the code as plain text. Retryable: 429, 5xx
 * and the error codes {@code ratelimited}, {@code rate_limited}, {@code service_unavailable},
 * {@code internal_error}, {@code fatal_error}; any other {@code ok:false} and any other
 * 4xx is permanent (sources in docs/connectors.md).
 */
public final class SlackResponses {

    /** Error codes worth retrying; every other {@code ok:false} code is permanent. */
    static final Set<String> RETRYABLE_ERRORS = Set.of(
            "ratelimited", "rate_limited", "service_unavailable", "internal_error", "fatal_error");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY_IN_REASON = 200;

    private SlackResponses() {
    }

    /** A Web API answer. {@code retryAfter} is the raw header, if present. */
    public static DeliveryOutcome classifyApi(int status, Optional<String> retryAfter, String body, Instant now) {
        if (status == 429) {
            return rateLimited(retryAfter, now);
        }
        if (status >= 500) {
            return new DeliveryOutcome.Retry(Duration.ZERO, false, "HTTP " + status);
        }
        if (status >= 400) {
            return new DeliveryOutcome.Permanent("HTTP " + status + ": " + excerpt(body));
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(body);
        } catch (Exception e) {
            return new DeliveryOutcome.Retry(Duration.ZERO, false, "HTTP " + status + " with a body that is not JSON");
        }
        if (answer != null && answer.path("ok").asBoolean(false)) {
            return new DeliveryOutcome.Delivered(answer.path("ts").asText(null));
        }
        String error = answer == null ? "unknown" : answer.path("error").asText("unknown");
        if (RETRYABLE_ERRORS.contains(error)) {
            return error.startsWith("rate")
                    ? rateLimited(retryAfter, now)
                    : new DeliveryOutcome.Retry(Duration.ZERO, false, "Slack error " + error);
        }
        return new DeliveryOutcome.Permanent("Slack error " + error);
    }

    /** An Incoming Webhook answer. */
    public static DeliveryOutcome classifyWebhook(int status, Optional<String> retryAfter, String body, Instant now) {
        if (status == 429) {
            return rateLimited(retryAfter, now);
        }
        if (status >= 500) {
            return new DeliveryOutcome.Retry(Duration.ZERO, false, "HTTP " + status + ": " + excerpt(body));
        }
        if (status >= 400) {
            return new DeliveryOutcome.Permanent("HTTP " + status + ": " + excerpt(body));
        }
        return new DeliveryOutcome.Delivered(null);
    }

    /**
     * The wait a {@code Retry-After} header asks for: delta-seconds or an HTTP-date (RFC 9110); empty when absent or
     * unreadable, in which case the caller's backoff applies.
     */
    static Optional<Duration> retryAfter(Optional<String> header, Instant now) {
        return RetryAfter.parse(header, now);
    }

    private static DeliveryOutcome rateLimited(Optional<String> header, Instant now) {
        Optional<Duration> wait = retryAfter(header, now);
        return new DeliveryOutcome.Retry(wait.orElse(Duration.ZERO), wait.isPresent(),
                "rate limited by Slack" + wait.map(w -> ", Retry-After " + w.toSeconds() + " s").orElse(""));
    }

    private static String excerpt(String body) {
        if (body == null) {
            return "";
        }
        String oneLine = body.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_BODY_IN_REASON ? oneLine : oneLine.substring(0, MAX_BODY_IN_REASON) + "…";
    }
}
