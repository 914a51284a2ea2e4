package dev.shipstream.connectors.ci;

import java.net.URI;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One prepared call to a CI target, without its credentials: a provider adds those (and signatures) only when it
 * sends, so {@link #describe()}, which the dry run logs, never holds a secret.
 *
 * @param uri       the configured base with URL-encoded path segments from configuration only
 * @param body      the JSON body; event values appear only here, as data
 * @param messageId a stable id of this delivery (the same on every retry), e.g. for {@code webhook-id}
 */
public record CiRequest(URI uri, ObjectNode body, String messageId) {

    /** {@code POST <url> <body>}, as the dry run logs it. */
    public String describe() {
        return "POST " + uri + " " + body;
    }
}
