package dev.shipstream.ingress.http;

import dev.shipstream.ingress.publish.EntityKey;
import dev.shipstream.ingress.publish.PublishRejectedException;
import dev.shipstream.ingress.publish.RawWebhookPublisher;
import dev.shipstream.ingress.publish.RecordTooLargeToPublishException;
import dev.shipstream.ingress.verify.Verification;
import dev.shipstream.schemas.RawWebhook;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies a webhook on its raw body bytes and publishes it; answers 200 {@code {"accepted":true,"id":"<request
 * id>"}} only once the publisher reports the record durable. A rejected request fails with 401 and publishes
 * nothing; a record too large for Kafka fails with 413 (retrying cannot help); a publish that fails otherwise or is
 * not acknowledged within the publish timeout fails with 503 and {@code Retry-After} so the provider retries.
 *
 * <p>Runs after {@link Routes} resolved the endpoint and read the body. Never blocks.
 */
final class WebhookHandler {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookHandler.class);
    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");

    private final RawWebhookPublisher publisher;
    private final IngressMetrics metrics;
    private final long publishTimeoutMillis;
    private final PublishDeadlines deadlines;
    private final Clock clock;
    private final ErrorResponses errors;

    /**
     * @param vertx          arms the publish timeout; the handler belongs to one verticle's event loop
     * @param publisher      where accepted records go
     * @param metrics        verification failures and publish latency
     * @param publishTimeout the longest wait for an acknowledgement
     * @param clock          stamps {@code receivedAt}
     * @param errors         answers failures
     */
    WebhookHandler(Vertx vertx, RawWebhookPublisher publisher, IngressMetrics metrics, Duration publishTimeout,
            Clock clock, ErrorResponses errors) {
        this.publisher = publisher;
        this.metrics = metrics;
        this.publishTimeoutMillis = publishTimeout.toMillis();
        this.deadlines = new PublishDeadlines(vertx, publishTimeout);
        this.clock = clock;
        this.errors = errors;
    }

    /** Verifies and publishes the request of {@code exchange}, whose endpoint is resolved, with its {@code body}. */
    void handle(Exchange exchange, byte[] body) {
        WebhookEndpoint endpoint = exchange.endpoint;
        String requestId = exchange.id;
        // Millisecond precision, as the record keeps it; clock.instant() would ask the JVM for nanoseconds natively.
        Instant receivedAt = Instant.ofEpochMilli(clock.millis());

        Verification verification = exchange.bodyCheck.verify(body);
        if (verification instanceof Verification.Rejected rejected) {
            metrics.verificationFailed(endpoint.source(), endpoint.id(), rejected.reason());
            LOG.warn("request {} to {}/{} from {} rejected: {}", requestId, endpoint.source().pathSegment(),
                    endpoint.id(), exchange.clientAddress, rejected.reason().tag());
            errors.answer(exchange, 401);
            return;
        }
        Verification.Accepted accepted = (Verification.Accepted) verification;
        RawWebhook record = RawWebhooks.of(endpoint, exchange.request.headers(), exchange.clientAddress, body,
                receivedAt, requestId, accepted);
        String key = EntityKey.of(endpoint.source(), body);
        publish(exchange, endpoint, requestId, key, record);
    }

    private void publish(Exchange exchange, WebhookEndpoint endpoint, String requestId, String key,
            RawWebhook record) {
        long start = System.nanoTime();
        PublishDeadlines.Deadline deadline = deadlines.start(start, () -> {
            metrics.publishFinished(endpoint.source(), "timeout", System.nanoTime() - start);
            LOG.warn("request {} to {}/{}: no acknowledgement within {} ms; answering 503", requestId,
                    endpoint.source().pathSegment(), endpoint.id(), publishTimeoutMillis);
            errors.answer(exchange, 503);
        });
        publisher.publish(key, record).onComplete(ar -> {
            if (!deadline.decide()) {
                return;
            }
            if (ar.succeeded()) {
                metrics.publishFinished(endpoint.source(), "acknowledged", System.nanoTime() - start);
                if (!exchange.response.closed()) {
                    // No setStatusCode(200): a response starts as 200, and the call's status lookup showed in profiles.
                    exchange.response
                            .putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON)
                            .end("{\"accepted\":true,\"id\":\"" + requestId + "\"}");
                }
            } else if (ar.cause() instanceof RecordTooLargeToPublishException) {
                // Permanent: a 503 would have the provider retry a delivery that can never fit.
                metrics.publishFinished(endpoint.source(), "too_large", System.nanoTime() - start);
                LOG.warn("request {} to {}/{}: record too large, answering 413: {}", requestId,
                        endpoint.source().pathSegment(), endpoint.id(), ar.cause().getMessage());
                errors.answer(exchange, 413);
            } else {
                boolean rejected = ar.cause() instanceof PublishRejectedException;
                metrics.publishFinished(endpoint.source(), rejected ? "rejected" : "failed",
                        System.nanoTime() - start);
                LOG.warn("request {} to {}/{}: publish failed, answering 503: {}", requestId,
                        endpoint.source().pathSegment(), endpoint.id(), ar.cause().toString());
                errors.answer(exchange, 503);
            }
        });
    }
}
