package dev.shipstream.connectors.ci;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipstream.connect.common.DeliveryOutcome;

/**
 * Any other CI: a JSON POST to the configured URL, {@code {"type": <event type>, "timestamp": <when the event
 * happened>, "data": <payload>}}, signed the Standard Webhooks way ({@code webhook-id}, {@code webhook-timestamp},
 * {@code webhook-signature}). The {@code webhook-id} is derived from the connector, rule and event id, so it is the
 * same on every retry and the receiver can drop duplicates; the timestamp and signature are made at each send.
 */
final class WebhookProvider implements CiProvider {

    private final CiHttp http;
    private final URI url;
    private final StandardWebhookSigner signer;
    private final String connectorName;
    private final Clock clock;

    WebhookProvider(CiHttp http, URI url, StandardWebhookSigner signer, String connectorName, Clock clock) {
        this.http = http;
        this.url = url;
        this.signer = signer;
        this.connectorName = connectorName;
        this.clock = clock;
    }

    @Override
    public String target() {
        return "webhook:" + url.getHost();
    }

    @Override
    public CiRequest request(CiTrigger trigger, CiPayload payload) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("type", trigger.eventType());
        body.put("timestamp", payload.flat().get("occurred_at"));
        body.set("data", payload.dataWith(trigger.extras()));
        return new CiRequest(url, body, webhookId(connectorName, trigger.rule(), payload.flat().get("event_id")));
    }

    @Override
    public DeliveryOutcome send(CiRequest request) {
        String body = request.body().toString();
        long timestamp = clock.instant().getEpochSecond();
        CiHttp.Answer answer = http.post(request.uri(), body, "webhook-id", request.messageId(),
                "webhook-timestamp", Long.toString(timestamp),
                "webhook-signature", signer.sign(request.messageId(), timestamp, body));
        if (answer instanceof CiHttp.NoAnswer none) {
            return none.retry();
        }
        return CiHttp.classify(target(), (CiHttp.Response) answer, clock.instant());
    }

    /** {@code msg_<name-based UUID>}: stable per delivery, and free of the event's own characters. */
    static String webhookId(String connector, String rule, String eventId) {
        return "msg_" + UUID.nameUUIDFromBytes((connector + "\n" + rule + "\n" + eventId)
                .getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
    }
}
