package dev.shipstream.ingress.http;

import dev.shipstream.ingress.IngressConfig;
import dev.shipstream.ingress.WebhookSource;
import dev.shipstream.ingress.verify.Precheck;
import dev.shipstream.ingress.verify.Verification;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a webhook request must pass before its body is read, cheapest first, so that neither an unauthenticated
 * sender nor a flood can make the ingress buffer bodies:
 * <ol>
 *   <li>{@link #admit} (once the endpoint is known, so that refusals are counted under it): its connection is
 *       within the connection bound (else 503 + {@code Retry-After}), and its client address has not had too many
 *       401s lately (else 429 + {@code Retry-After}, see {@link UnauthorizedLimiter});</li>
 *   <li>{@link #beforeBody} (once the endpoint is known): a declared {@code Content-Length} within the route's body
 *       limit (else 413); what the endpoint's verifier can refuse from headers, query and address alone (401: an
 *       Appflow token or allow-list, a missing or malformed signature header; the check it leaves for the body, with
 *       the signature it parsed, is kept in the exchange); and room for the body within the
 *       bound on buffered bytes (else 503 + {@code Retry-After}): the request reserves its {@code Content-Length}
 *       (its route's limit when chunked), which {@link Routes} returns when the request ends.</li>
 * </ol>
 * Only then does {@link Routes} answer {@code Expect: 100-continue} and read the body (the server never answers it
 * by itself), so a refused client is never invited to send its body. One instance per verticle.
 */
final class EdgeChecks {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeChecks.class);

    private final IngressConfig config;
    private final EdgeAdmission admission;
    private final UnauthorizedLimiter limiter;
    private final IngressMetrics metrics;

    private final ErrorResponses errors;

    EdgeChecks(IngressConfig config, EdgeAdmission admission, UnauthorizedLimiter limiter,
            IngressMetrics metrics, ErrorResponses errors) {
        this.config = config;
        this.admission = admission;
        this.limiter = limiter;
        this.metrics = metrics;
        this.errors = errors;
    }

    /** The connection bound and the 401 rate limit; false after answering the refusal. */
    boolean admit(Exchange exchange) {
        if (!exchange.connection.admitted()) {
            errors.answer(exchange, 503);
            return false;
        }
        OptionalLong retryAfter = limiter.retryAfterSeconds(exchange.clientAddress);
        if (retryAfter.isPresent()) {
            exchange.retryAfterSeconds = retryAfter.getAsLong();
            errors.answer(exchange, 429);
            return false;
        }
        return true;
    }

    /**
     * The declared length, the checks that need no body, and the buffered-bytes reservation; false after answering
     * the refusal.
     */
    boolean beforeBody(Exchange exchange) {
        WebhookEndpoint endpoint = exchange.endpoint;
        WebhookSource source = endpoint.source();
        long limit = config.bodyLimit(source);
        HttpServerRequest request = exchange.request;
        long declared;
        try {
            declared = declaredLength(request);
        } catch (NumberFormatException e) {
            errors.answer(exchange, 400);
            return false;
        }
        if (declared > limit) {
            errors.answer(exchange, 413);
            return false;
        }
        Precheck precheck = endpoint.verifier().beforeBody(new HttpSignedRequest(exchange));
        if (precheck instanceof Verification.Rejected refused) {
            metrics.verificationFailed(source, endpoint.id(), refused.reason());
            LOG.warn("request {} to {}/{} from {} rejected: {} (before its body)", exchange.id,
                    source.pathSegment(), endpoint.id(), exchange.clientAddress, refused.reason().tag());
            errors.answer(exchange, 401);
            return false;
        }
        exchange.bodyCheck = (Precheck.BodyCheck) precheck;
        long reserve = declared >= 0 ? declared : request.headers().contains(HttpHeaders.TRANSFER_ENCODING) ? limit : 0;
        if (reserve > 0) {
            if (!admission.tryReserve(reserve)) {
                errors.answer(exchange, 503);
                return false;
            }
            exchange.reservedBytes = reserve;
        }
        return true;
    }

    /** The {@code Content-Length}, or -1 without one. */
    private static long declaredLength(HttpServerRequest request) {
        String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (value == null) {
            return -1;
        }
        long length = Long.parseLong(value.strip());
        if (length < 0) {
            throw new NumberFormatException("negative Content-Length");
        }
        return length;
    }
}
