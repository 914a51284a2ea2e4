package dev.shipstream.connectors.jira;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shipstream.connect.common.DeliveryOutcome;
import dev.shipstream.connect.common.RetryAfter;

/**
 * Classifies Jira Cloud's failed answers, purely from status, headers and body (sources in docs/connectors.md):
 * 429 and 503 wait {@code Retry-After} (seconds or an HTTP date), else until {@code X-RateLimit-Reset}
 * (ISO-8601, {@code yyyy-MM-ddTHH:mmZ}), else the caller's backoff; 409 (a conflicting update of the issue) and any
 * other 5xx are retried with backoff; every other 4xx (400 bad JQL or fields, 401, 403, 404, 413 per-issue limit,
 * 422, 410) is permanent, with Jira's {@code errorMessages} and {@code errors} in the reason.
 */
public final class JiraResponses {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REASON = 500;
    private static final DateTimeFormatter RESET_MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mmX");

    private JiraResponses() {
    }

    /** The outcome of a non-2xx answer to {@code what} (e.g. {@code POST /rest/api/3/issue}). */
    public static DeliveryOutcome classify(String what, int status, Optional<String> retryAfter,
                                           Optional<String> rateLimitReset, String body, Instant now) {
        if (status == 429 || status == 503) {
            Optional<Duration> wait = retryAfter(retryAfter, now).or(() -> resetIn(rateLimitReset, now));
            return new DeliveryOutcome.Retry(wait.orElse(Duration.ZERO), wait.isPresent(), what + ": HTTP " + status
                    + (status == 429 ? " rate limited by Jira" : " Jira unavailable")
                    + wait.map(w -> ", wait " + w.toMillis() + " ms").orElse(""));
        }
        if (status == 409) {
            return new DeliveryOutcome.Retry(Duration.ZERO, false, what + ": HTTP 409 conflicting update"
                    + detail(body));
        }
        if (status >= 500) {
            return new DeliveryOutcome.Retry(Duration.ZERO, false, what + ": HTTP " + status + detail(body));
        }
        return new DeliveryOutcome.Permanent(cap(what + ": HTTP " + status + detail(body)));
    }

    /**
     * Jira's {@code ErrorCollection} ({@code {"errorMessages":[...],"errors":{"field":"message"}}}) as one line, or
     * an excerpt of the body when it is not one; empty for an empty body.
     */
    static String detail(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        try {
            JsonNode errors = JSON.readTree(body);
            errors.path("errorMessages").forEach(message -> parts.add(message.asText()));
            errors.path("errors").fields().forEachRemaining(e -> parts.add(e.getKey() + ": " + e.getValue().asText()));
        } catch (Exception notJson) {
            parts.clear();
        }
        String text = parts.isEmpty() ? body.replaceAll("\\s+", " ").strip() : String.join("; ", parts);
        return text.isEmpty() ? "" : ": " + text;
    }

    /** {@code Retry-After} as delta-seconds or an HTTP-date (RFC 9110); empty when absent or unreadable. */
    static Optional<Duration> retryAfter(Optional<String> header, Instant now) {
        return RetryAfter.parse(header, now);
    }

    /**
     * {@code X-RateLimit-Reset} as the wait until it: Jira sends ISO-8601 to the minute ({@code 2026-12-01T02:10Z});
     * full ISO instants are read too. Empty when absent or unreadable.
     */
    static Optional<Duration> resetIn(Optional<String> header, Instant now) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get().trim();
        try {
            return Optional.of(RetryAfter.until(OffsetDateTime.parse(value, RESET_MINUTES).toInstant(), now));
        } catch (DateTimeParseException notMinutes) {
            try {
                return Optional.of(RetryAfter.until(OffsetDateTime.parse(value).toInstant(), now));
            } catch (DateTimeParseException notIso) {
                return Optional.empty();
            }
        }
    }

    private static String cap(String reason) {
        return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON) + "…";
    }
}
