package dev.shipstream.ingress.publish;

import dev.shipstream.schemas.RawWebhook;
import io.vertx.core.Future;
import java.time.Duration;

/**
 * Writes authenticated webhooks to the raw topic. The HTTP layer answers 200 only when the future returned by
 * {@link #publish} succeeded, so an implementation must complete it only once the record is durable (for Kafka: the
 * broker acknowledged it with {@code acks=all}).
 *
 * <p>Implementations never block the calling event loop and complete futures on the caller's Vert.x context.
 */
public interface RawWebhookPublisher {

    /** Prepares the publisher (e.g. fetches topic metadata) so that later publishes do not block. */
    Future<Void> start();

    /**
     * Publishes one record under {@code key}. Succeeds once the record is durably stored; fails with the cause
     * otherwise, including {@link PublishRejectedException} when too many publishes are already pending.
     */
    Future<Void> publish(String key, RawWebhook record);

    /** Whether the publisher can currently reach its cluster; bounded in time, never fails. */
    Future<Boolean> ready();

    /** Waits up to {@code timeout} for pending publishes, then releases every resource. */
    Future<Void> close(Duration timeout);
}
