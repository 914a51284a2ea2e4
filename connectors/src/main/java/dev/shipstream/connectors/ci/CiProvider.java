package dev.shipstream.connectors.ci;

import dev.shipstream.connect.common.DeliveryOutcome;
import dev.shipstream.connect.common.PermanentDeliveryException;

/**
 * A CI system the sink starts jobs on: GitHub Actions, GitLab CI, Bitbucket Pipelines or any CI behind a signed
 * webhook. One provider per connector. {@link #request} is pure (it builds the call and enforces the target's payload
 * limits); {@link #send} adds credentials, calls the target once (GitHub App: plus at most one token refresh) and
 * classifies the answer. A send is a single trigger call, so a retry after a failed one cannot start two jobs unless
 * the target accepted a call whose answer was lost.
 */
public interface CiProvider {

    /** The target as the rate limiter and the logs name it, e.g. {@code github:owner/repo}; never a secret. */
    String target();

    /**
     * The call that starts {@code trigger} for {@code payload}.
     *
     * @throws PermanentDeliveryException when the payload breaks a limit of the target (it would be refused anyway)
     */
    CiRequest request(CiTrigger trigger, CiPayload payload);

    /** Makes the call and classifies the answer; I/O errors and timeouts are retryable outcomes, never exceptions. */
    DeliveryOutcome send(CiRequest request);
}
