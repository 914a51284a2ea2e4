package dev.shipstream.streams.enrich;

/**
 * The keys enrichment writes into {@code DeliveryEvent.extras}, next to the normalisers' {@code ExtraKeys}. Values are
 * strings, bounded in size; lists are newline-separated. URLs are copied as the API gave them and never fetched.
 */
public final class EnrichmentExtras {

    /** Build upload warnings, {@code code: description} per line. */
    public static final String WARNINGS = "ascWarnings";
    /** TestFlight feedback: the tester's email (from the feedback, else the tester record). */
    public static final String TESTER_EMAIL = "testerEmail";
    /** TestFlight feedback: the tester's first and last name. */
    public static final String TESTER_NAME = "testerName";
    /** TestFlight feedback: the tester's comment. */
    public static final String FEEDBACK_COMMENT = "feedbackComment";
    /** TestFlight feedback: when it was submitted, as the API wrote it. */
    public static final String FEEDBACK_CREATED_AT = "feedbackCreatedAt";
    /** TestFlight feedback: device model, e.g. {@code iPhone15_2}. */
    public static final String DEVICE_MODEL = "deviceModel";
    /** TestFlight feedback: device family, e.g. {@code IPHONE}. */
    public static final String DEVICE_FAMILY = "deviceFamily";
    /** TestFlight feedback: device platform, e.g. {@code IOS}. */
    public static final String DEVICE_PLATFORM = "devicePlatform";
    /** TestFlight feedback: OS version. */
    public static final String OS_VERSION = "osVersion";
    /** TestFlight feedback: locale. */
    public static final String LOCALE = "locale";
    /** TestFlight feedback: time zone. */
    public static final String TIME_ZONE = "timeZone";
    /** TestFlight feedback: CPU architecture. */
    public static final String ARCHITECTURE = "architecture";
    /** TestFlight feedback: connection type, e.g. {@code WIFI}. */
    public static final String CONNECTION_TYPE = "connectionType";
    /** TestFlight feedback: battery percentage. */
    public static final String BATTERY_PERCENTAGE = "batteryPercentage";
    /** TestFlight feedback: screenshot URLs, one per line. Apple's URLs expire. */
    public static final String SCREENSHOT_URLS = "screenshotUrls";
    /** TestFlight crash feedback: the beginning of the crash log text. */
    public static final String CRASH_LOG = "crashLog";
    /** {@code true} when {@link #CRASH_LOG} was cut to its maximum length. */
    public static final String CRASH_LOG_TRUNCATED = "crashLogTruncated";
    /** TestFlight build: the state of internal testing. */
    public static final String INTERNAL_BUILD_STATE = "internalBuildState";

    /**
     * App Store version state changes to {@code IN_REVIEW} or a decision: the {@code submittedDate} of the version's
     * latest review submission submitted at or before the event's {@code occurredAt} ({@code GET
     * /v1/reviewSubmissions?filter[app]=...&include=appStoreVersionForReview}), as a UTC ISO-8601 instant.
     */
    public static final String REVIEW_SUBMITTED_DATE = "ascReviewSubmittedDate";
    /** The id of the review submission {@link #REVIEW_SUBMITTED_DATE} was taken from. */
    public static final String REVIEW_SUBMISSION_ID = "ascReviewSubmissionId";
    /**
     * Why an event that wanted {@link #REVIEW_SUBMITTED_DATE} has none: the lookup failed or was not made (the reason,
     * as for {@code enrichment.reason}), or no submission of the version fits. The event is not held for it.
     */
    public static final String REVIEW_SUBMISSION_UNAVAILABLE = "ascReviewSubmissionUnavailable";

    private EnrichmentExtras() {
    }
}
