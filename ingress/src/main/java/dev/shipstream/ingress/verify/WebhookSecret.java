package dev.shipstream.ingress.verify;

/**
 * One active secret (or token) of an endpoint, labelled with its generation so that metrics and logs can say which
 * secret authenticated a request (and when an old one may be retired) without showing it.
 *
 * @param id     the generation label, e.g. {@code "2026-11"}; not blank
 * @param secret the secret itself; {@link #toString()} shows only {@code Secret[redacted]}
 */
public record WebhookSecret(String id, Secret secret) {

    /** @throws IllegalArgumentException if the id is null or blank or the secret is null */
    public WebhookSecret {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("webhook secret id must not be blank");
        }
        if (secret == null) {
            throw new IllegalArgumentException("webhook secret '" + id + "' has no secret");
        }
    }

    /** Shorthand for {@code new WebhookSecret(id, Secret.of(value))}. */
    public static WebhookSecret of(String id, String value) {
        return new WebhookSecret(id, Secret.of(value));
    }
}
