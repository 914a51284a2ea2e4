package dev.shipstream.ingress.http;

import dev.shipstream.ingress.EndpointConfig;
import dev.shipstream.ingress.WebhookSource;
import dev.shipstream.ingress.verify.WebhookVerifier;

/**
 * A configured endpoint ready to serve: its source, id and verifier (built once, at start).
 *
 * @param source   the provider
 * @param id       the endpoint's path segment
 * @param verifier authenticates requests against the endpoint's active secrets
 */
public record WebhookEndpoint(WebhookSource source, String id, WebhookVerifier verifier) {

    /** The endpoint of a validated configuration entry. */
    public static WebhookEndpoint of(EndpointConfig config) {
        return new WebhookEndpoint(config.source(), config.id(), config.verifier());
    }
}
