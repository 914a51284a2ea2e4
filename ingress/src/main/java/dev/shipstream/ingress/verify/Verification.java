package dev.shipstream.ingress.verify;

import dev.shipstream.schemas.AuthScheme;

/** The outcome of verifying one request: accepted by a scheme and secret, or rejected for a reason. */
public sealed interface Verification permits Verification.Accepted, Verification.Rejected {

    /** The request was authenticated by {@code scheme} with the secret whose id is {@code secretId}. */
    record Accepted(AuthScheme scheme, String secretId) implements Verification {
    }

    /** The request was not authenticated. The reason is for metrics and logs, never for the response body. */
    record Rejected(RejectionReason reason) implements Verification, Precheck {
    }

    /** Why a request was rejected; the lower-case name is the metric tag. */
    enum RejectionReason {
        MISSING_SIGNATURE, MALFORMED_SIGNATURE, SIGNATURE_MISMATCH, MISSING_TOKEN, TOKEN_MISMATCH, ADDRESS_NOT_ALLOWED;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static Verification accepted(AuthScheme scheme, String secretId) {
        return new Accepted(scheme, secretId);
    }

    static Verification rejected(RejectionReason reason) {
        return new Rejected(reason);
    }
}
