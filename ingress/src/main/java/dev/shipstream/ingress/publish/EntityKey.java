package dev.shipstream.ingress.publish;

import dev.shipstream.ingress.WebhookSource;
import dev.shipstream.schemas.keys.EntityKeys;

/**
 * The Kafka key of a raw webhook: the entity the event is about, so that one entity's events stay in order on one
 * partition. The rule lives in {@link EntityKeys} (module {@code schemas}), which the streams normalisers use too,
 * so the raw record and the event made from it share a key; this class only maps the ingress's route to the source.
 */
public final class EntityKey {

    private EntityKey() {
    }

    /**
     * The key of a body received from {@code source}.
     *
     * @param source the route that received the body
     * @param body the body bytes
     * @return {@link EntityKeys#keyOf(dev.shipstream.schemas.Source, byte[])}; never throws
     */
    public static String of(WebhookSource source, byte[] body) {
        return EntityKeys.keyOf(source.schemaSource(), body);
    }
}
