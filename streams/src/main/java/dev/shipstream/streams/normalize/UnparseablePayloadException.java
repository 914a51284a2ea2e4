package dev.shipstream.streams.normalize;

/**
 * Thrown inside this package when a payload cannot be normalised; turned into {@link Normalization.Unparseable}
 * at each normaliser's edge, so it never escapes. The message is the loggable reason.
 */
final class UnparseablePayloadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UnparseablePayloadException(String reason) {
        // No stack trace: this is control flow for bad input, thrown once per poison record at most.
        super(reason, null, false, false);
    }
}
