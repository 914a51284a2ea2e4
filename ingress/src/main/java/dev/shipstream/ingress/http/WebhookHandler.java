package dev.shipstream.ingress.http;

import dev.shipstream.ingress.publish.EntityKey;
import dev.shipstream.ingress.publish.PublishRejectedException;
import dev.shipstream.ingress.publish.RawWebhookPublisher;
import dev.shipstream.ingress.publish.RecordTooLargeToPublishException;
import dev.shipstream.ingress.verify.Verification;
import dev.shipstream.schemas.RawWebhook;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies a webhook on its raw body bytes and publishes it; answers 200 {@code {"accepted":true,"id":"<request
 * id>"}} only once the publisher reports the record durable. A rejected request fails with 401 and publishes
 * nothing; a record too large for Kafka fails with 413 (retrying cannot help); a publish that fails otherwise or is
 * not acknowledged within the publish timeout fails with 503 (the failure handler adds {@code Retry-After}) so the
 * provider retries.
 *
 * <p>Runs after {@link Routes} resolved the endpoint and the body handler read the body. Never blocks.
 */
public final class WebhookHandler implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookHandler.class);
    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");

    private final RawWebhookPublisher publisher;
    private final IngressMetrics metrics;
    private final long publishTimeoutMillis;
    private final PublishDeadlines deadlines;
    private final Clock clock;

    /**
     * @param vertx          arms the publish timeout; the handler belongs to one verticle's event loop
     * @param publisher      where accepted records go
     * @param metrics        verification failures and publish latency
     * @param publishTimeout the longest wait for an acknowledgement
     * @param clock          stamps {@code receivedAt}
     */
    public WebhookHandler(Vertx vertx, RawWebhookPublisher publisher, IngressMetrics metrics, Duration publishTimeout,
            Clock clock) {
        this.publisher = publisher;
        this.metrics = metrics;
        this.publishTimeoutMillis = publishTimeout.toMillis();
        this.deadlines = new PublishDeadlines(vertx, publishTimeout);
        this.clock = clock;
    }

    @Override
    public void handle(RoutingContext ctx) {
        RequestFacts facts = RequestFacts.of(ctx);
        WebhookEndpoint endpoint = facts.endpoint;
        String requestId = facts.id;
        Buffer buffer = ctx.body().buffer();
        byte[] body = buffer == null ? new byte[0] : buffer.getBytes();
        Instant receivedAt = clock.instant();

        Verification verification = endpoint.verifier().verify(new RoutingContextSignedRequest(ctx, body));
        if (verification instanceof Verification.Rejected rejected) {
            metrics.verificationFailed(endpoint.source(), endpoint.id(), rejected.reason());
            LOG.warn("request {} to {}/{} from {} rejected: {}", requestId, endpoint.source().pathSegment(),
                    endpoint.id(), facts.clientAddress, rejected.reason().tag());
            ctx.fail(401);
            return;
        }
        Verification.Accepted accepted = (Verification.Accepted) verification;
        RawWebhook record = RawWebhooks.of(endpoint, ctx.request().headers(), facts.clientAddress, body, receivedAt,
                requestId, accepted);
        String key = EntityKey.of(endpoint.source(), body);
        publish(ctx, endpoint, requestId, key, record);
    }

    private void publish(RoutingContext ctx, WebhookEndpoint endpoint, String requestId, String key,
            RawWebhook record) {
        long start = System.nanoTime();
        PublishDeadlines.Deadline deadline = deadlines.start(() -> {
            metrics.publishFinished(endpoint.source(), "timeout", System.nanoTime() - start);
            LOG.warn("request {} to {}/{}: no acknowledgement within {} ms; answering 503", requestId,
                    endpoint.source().pathSegment(), endpoint.id(), publishTimeoutMillis);
            ctx.fail(503);
        });
        publisher.publish(key, record).onComplete(ar -> {
            if (!deadline.decide()) {
                return;
            }
            if (ar.succeeded()) {
                metrics.publishFinished(endpoint.source(), "acknowledged", System.nanoTime() - start);
                if (!ctx.response().closed()) {
                    // No setStatusCode(200): a response starts as 200, and the call's status lookup showed in profiles.
                    ctx.response()
                            .putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON)
                            .end("{\"accepted\":true,\"id\":\"" + requestId + "\"}");
                }
            } else if (ar.cause() instanceof RecordTooLargeToPublishException) {
                // Permanent: a 503 would have the provider retry a delivery that can never fit.
                metrics.publishFinished(endpoint.source(), "too_large", System.nanoTime() - start);
                LOG.warn("request {} to {}/{}: record too large, answering 413: {}", requestId,
                        endpoint.source().pathSegment(), endpoint.id(), ar.cause().getMessage());
                ctx.fail(413, ar.cause());
            } else {
                boolean rejected = ar.cause() instanceof PublishRejectedException;
                metrics.publishFinished(endpoint.source(), rejected ? "rejected" : "failed",
                        System.nanoTime() - start);
                LOG.warn("request {} to {}/{}: publish failed, answering 503: {}", requestId,
                        endpoint.source().pathSegment(), endpoint.id(), ar.cause().toString());
                ctx.fail(503, ar.cause());
            }
        });
    }
}
