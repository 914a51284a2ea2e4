package dev.shipstream.connectors.ci;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import dev.shipstream.connect.common.DeliveryOutcome;
import dev.shipstream.connect.common.RetryAfter;

/**
 * The HTTP plumbing the CI providers share: one JSON POST with a timeout, and the classification of the answer.
 * 2xx delivered; 3xx permanent (redirects are never followed, so a call cannot be sent to a host that is not
 * configured); 408, 429 and 5xx retryable, after {@code Retry-After} when given; any other 4xx permanent with an
 * excerpt of the target's answer. Credentials are passed in as headers and appear in no outcome.
 */
final class CiHttp {

    private static final int MAX_BODY_IN_REASON = 300;

    private final HttpClient http;
    private final Duration timeout;

    CiHttp(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    /** A client that never follows a redirect (also the JDK's default, made explicit here). */
    static HttpClient newClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** An answer, or the reason there was none. */
    sealed interface Answer {
    }

    record Response(int status, Map<String, java.util.List<String>> headers, String body) implements Answer {
        Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst();
        }
    }

    record NoAnswer(DeliveryOutcome.Retry retry) implements Answer {
    }

    /** POSTs {@code body} (JSON) to {@code uri} with {@code headers} (name, value, name, value, ...). */
    Answer post(URI uri, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "shipstream-ci-sink")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = http.send(request.build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            return new NoAnswer(new DeliveryOutcome.Retry(Duration.ZERO, false,
                    "I/O error talking to " + uri.getHost() + ": " + e.getClass().getSimpleName()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new NoAnswer(new DeliveryOutcome.Retry(Duration.ZERO, false, "interrupted"));
        }
    }

    /** The outcome of an answer, by the rules in the class comment. */
    static DeliveryOutcome classify(String target, Response response, Instant now) {
        int status = response.status();
        if (status >= 200 && status < 300) {
            return new DeliveryOutcome.Delivered(null);
        }
        if (status >= 300 && status < 400) {
            return new DeliveryOutcome.Permanent("HTTP " + status + " from " + target + ": redirects are not followed "
                    + "(only the configured host is called); set the URL the target answers on directly");
        }
        if (status == 408 || status == 429 || status >= 500) {
            Optional<Duration> wait = retryAfter(response.header("Retry-After"), now);
            return new DeliveryOutcome.Retry(wait.orElse(Duration.ZERO), wait.isPresent(), "HTTP " + status
                    + " from " + target + wait.map(w -> ", Retry-After " + w.toSeconds() + " s").orElse(""));
        }
        return new DeliveryOutcome.Permanent("HTTP " + status + " from " + target + ": " + excerpt(response.body()));
    }

    /** The wait a {@code Retry-After} header asks for; see {@link RetryAfter#parse}. */
    static Optional<Duration> retryAfter(Optional<String> header, Instant now) {
        return RetryAfter.parse(header, now);
    }

    /** One path segment, percent-encoded (also {@code /}), so configuration cannot change the path's shape. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String excerpt(String body) {
        if (body == null) {
            return "";
        }
        String oneLine = body.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_BODY_IN_REASON ? oneLine : oneLine.substring(0, MAX_BODY_IN_REASON) + "…";
    }
}
