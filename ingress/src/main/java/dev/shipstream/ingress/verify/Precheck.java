package dev.shipstream.ingress.verify;

/**
 * What a verifier decided from a request's headers, query and peer address alone, before its body is read
 * ({@link WebhookVerifier#beforeBody}): the rejection, or the check left for the body.
 */
public sealed interface Precheck permits Verification.Rejected, Precheck.BodyCheck {

    /**
     * The check left for the body. It holds what the checks before the body learnt (the parsed signature), so that
     * nothing is looked up or parsed twice; pure and thread-safe like its verifier.
     */
    @FunctionalInterface
    non-sealed interface BodyCheck extends Precheck {

        /** The verdict on {@code body}, exactly as received (null is taken as empty); never throws. */
        Verification verify(byte[] body);
    }
}
