package dev.shipstream.streams.normalize;

/**
 * What App Store Connect's version states ({@code appVersionState}) mean for a review: the one classification the
 * review-cycle state machine and the enrichment's submission-date lookup share, kept here with the rest of the
 * providers' vocabulary so that neither depends on the other.
 */
public final class AppVersionStates {

    private AppVersionStates() {
    }

    /**
     * Whether a version in this state has been submitted for review in its current cycle and left the queue: {@code
     * IN_REVIEW} or a decision (an approval, a rejection, {@code DEVELOPER_REJECTED}). A change to such a state is
     * where a missed submission shows, so enrichment looks up the submission's date for it.
     *
     * @param state an App Store version state, or null
     * @return true for {@code IN_REVIEW} and the deciding states
     */
    public static boolean isPastSubmission(String state) {
        return switch (Kind.of(state)) {
            case IN_REVIEW, APPROVAL, REJECTION, WITHDRAWAL -> true;
            default -> false;
        };
    }

    /** What a state means for a review cycle. */
    public enum Kind {
        PRE_SUBMISSION, SUBMITTED, IN_REVIEW, APPROVAL, REJECTION, WITHDRAWAL, OTHER;

        /** The kind of an App Store version state; {@link #OTHER} for null and states of no meaning here. */
        public static Kind of(String state) {
            if (state == null) {
                return OTHER;
            }
            return switch (state) {
                case "PREPARE_FOR_SUBMISSION", "READY_FOR_REVIEW", "WAITING_FOR_EXPORT_COMPLIANCE" -> PRE_SUBMISSION;
                case "WAITING_FOR_REVIEW" -> SUBMITTED;
                case "IN_REVIEW" -> IN_REVIEW;
                case "PENDING_DEVELOPER_RELEASE", "PENDING_APPLE_RELEASE", "PROCESSING_FOR_DISTRIBUTION",
                     "READY_FOR_DISTRIBUTION", "ACCEPTED" -> APPROVAL;
                case "REJECTED", "METADATA_REJECTED", "INVALID_BINARY" -> REJECTION;
                case "DEVELOPER_REJECTED" -> WITHDRAWAL;
                default -> OTHER;
            };
        }
    }
}
