package dev.shipstream.ingress;

import dev.shipstream.ingress.verify.AppStoreConnectVerifier;
import dev.shipstream.ingress.verify.AppflowTokenVerifier;
import dev.shipstream.ingress.verify.CidrBlock;
import dev.shipstream.ingress.verify.EasVerifier;
import dev.shipstream.ingress.verify.TokenStrength;
import dev.shipstream.ingress.verify.WebhookSecret;
import dev.shipstream.ingress.verify.WebhookVerifier;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One configured receiver: {@code POST /webhooks/<source>/<id>}, with the secrets (or, for Appflow, tokens) that are
 * active for it. Several secrets may be active at once so a secret can be rotated without downtime.
 *
 * @param source    the provider
 * @param id        the path segment, {@code [A-Za-z0-9._-]{1,64}}
 * @param secrets   the active secrets, at least one, ids unique; EAS secrets have at least 16 characters; Appflow
 *                  tokens, the endpoint's only credential, have at least 128 bits of entropy
 *                  ({@link TokenStrength})
 * @param allowList Appflow only: peer address blocks allowed to call; empty allows any address
 */
public record EndpointConfig(WebhookSource source, String id, List<WebhookSecret> secrets, List<CidrBlock> allowList) {

    /** What a refusal of a weak Appflow token says after naming it; never the token itself. */
    public static final String WEAK_TOKEN_ADVICE = "an Appflow token is the endpoint's only credential and needs at"
            + " least " + TokenStrength.MIN_BITS + " bits of entropy; generate one, e.g. with"
            + " openssl rand -base64 32 | tr '+/' '-_' | tr -d '=' (43 random base64url characters)";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** @throws IllegalArgumentException with a message naming the endpoint (never a secret value) */
    public EndpointConfig {
        if (source == null) {
            throw new IllegalArgumentException("endpoint source must be set");
        }
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("endpoint id of " + source.pathSegment()
                    + " must match [A-Za-z0-9._-]{1,64}, got '" + id + "'");
        }
        String name = source.pathSegment() + "/" + id;
        if (secrets == null || secrets.isEmpty()) {
            throw new IllegalArgumentException("endpoint " + name + " has no secret; an endpoint without a secret"
                    + " cannot start (there is no default secret)");
        }
        Set<String> ids = new HashSet<>();
        for (WebhookSecret secret : secrets) {
            if (secret == null) {
                throw new IllegalArgumentException("endpoint " + name + " has a null secret");
            }
            if (!ids.add(secret.id())) {
                throw new IllegalArgumentException("endpoint " + name + " has two secrets with id '" + secret.id() + "'");
            }
            if (source == WebhookSource.EAS && secret.secret().length() < EasVerifier.MIN_SECRET_LENGTH) {
                throw new IllegalArgumentException("secret '" + secret.id() + "' of endpoint " + name
                        + " is shorter than " + EasVerifier.MIN_SECRET_LENGTH + " characters, which Expo refuses");
            }
            if (source == WebhookSource.APPFLOW && !TokenStrength.isStrong(secret.secret())) {
                throw new IllegalArgumentException("token '" + secret.id() + "' of endpoint " + name + " is too weak: "
                        + WEAK_TOKEN_ADVICE);
            }
        }
        allowList = allowList == null ? List.of() : List.copyOf(allowList);
        if (!allowList.isEmpty() && source != WebhookSource.APPFLOW) {
            throw new IllegalArgumentException("endpoint " + name
                    + " has an allowList; only appflow endpoints (token-authenticated) take one");
        }
        secrets = List.copyOf(secrets);
    }

    /** {@code <source path segment>/<id>}, for messages and logs. */
    public String name() {
        return source.pathSegment() + "/" + id;
    }

    /** A verifier over this endpoint's active secrets. */
    public WebhookVerifier verifier() {
        return switch (source) {
            case APP_STORE_CONNECT -> new AppStoreConnectVerifier(secrets);
            case EAS -> new EasVerifier(secrets);
            case APPFLOW -> new AppflowTokenVerifier(secrets, allowList);
        };
    }

    /** Secret ids only: the values never appear in a string form of the configuration. */
    @Override
    public String toString() {
        return "EndpointConfig[" + name() + ", secrets=" + secrets.stream().map(WebhookSecret::id).toList()
                + ", allowList=" + allowList + "]";
    }
}
