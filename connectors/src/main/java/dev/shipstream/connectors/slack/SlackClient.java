package dev.shipstream.connectors.slack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipstream.connect.common.DeliveryOutcome;
import org.apache.kafka.common.config.types.Password;

/**
 * Sends one Block Kit message to Slack, by {@code chat.postMessage} with a bot token or by an Incoming Webhook, and
 * classifies the answer ({@link SlackResponses}). The {@link HttpClient} is injected so tests point it at a local
 * stub. I/O errors and timeouts are retryable outcomes, never exceptions. The token and the webhook URL appear in
 * no outcome, exception or log line.
 */
public final class SlackClient {

    private final HttpClient http;
    private final URI postMessageUrl;
    private final Password token;
    private final URI webhookUrl;
    private final Duration timeout;
    private final Clock clock;

    public SlackClient(HttpClient http, SlackSinkConfig config, Clock clock) {
        this.http = http;
        this.postMessageUrl = config.apiUrl().resolve("chat.postMessage");
        this.token = config.token();
        // Checked by the configuration; parsed once here so no per-request error can carry the secret URL.
        this.webhookUrl = config.webhookUrl() == null ? null : URI.create(config.webhookUrl().value());
        this.timeout = config.requestTimeout();
        this.clock = clock;
    }

    /** Posts {@code message} (with its {@code channel} and {@code thread_ts} already set, for the Web API). */
    public DeliveryOutcome post(ObjectNode message) {
        boolean webhook = webhookUrl != null;
        HttpRequest.Builder request = HttpRequest.newBuilder()
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(message.toString(), StandardCharsets.UTF_8));
        if (webhook) {
            request.uri(webhookUrl);
        } else {
            request.uri(postMessageUrl).header("Authorization", "Bearer " + token.value());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new DeliveryOutcome.Retry(Duration.ZERO, false, "I/O error talking to Slack: "
                    + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DeliveryOutcome.Retry(Duration.ZERO, false, "interrupted");
        }
        var retryAfter = response.headers().firstValue("Retry-After");
        return webhook
                ? SlackResponses.classifyWebhook(response.statusCode(), retryAfter, response.body(), clock.instant())
                : SlackResponses.classifyApi(response.statusCode(), retryAfter, response.body(), clock.instant());
    }
}
