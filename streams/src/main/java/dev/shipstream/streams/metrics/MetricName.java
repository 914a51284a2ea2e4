package dev.shipstream.streams.metrics;

/**
 * The delivery durations Shipstream measures. Each is defined in {@code docs/analytics.md}, "Delivery metrics"; a
 * duration whose start or end was not observed is never measured, only its outcome is counted.
 */
public enum MetricName {
    /** App Store review: submission ({@code WAITING_FOR_REVIEW}) to {@code IN_REVIEW}, from a decided review cycle. */
    REVIEW_WAIT,
    /** App Store review: {@code IN_REVIEW} to the decision, from a decided review cycle. */
    REVIEW_TIME,
    /** App Store review: submission to the decision (the usual "review time"), from a decided review cycle. */
    REVIEW_TOTAL,
    /** App Store Connect build upload: {@code PROCESSING} (the upload done) to {@code COMPLETE} or {@code FAILED}. */
    BUILD_PROCESSING,
    /** TestFlight external beta review: {@code WAITING_FOR_BETA_REVIEW} to {@code IN_BETA_REVIEW}. */
    BETA_REVIEW_WAIT,
    /** TestFlight external beta review: {@code IN_BETA_REVIEW} to {@code BETA_APPROVED} or {@code BETA_REJECTED}. */
    BETA_REVIEW_TIME,
    /** TestFlight external beta review: {@code WAITING_FOR_BETA_REVIEW} to the decision. */
    BETA_REVIEW_TOTAL,
    /** EAS build: {@code enqueuedAt} to the worker's start. */
    EAS_BUILD_QUEUE,
    /** EAS build: the worker's start to {@code completedAt}. */
    EAS_BUILD_TIME,
    /** EAS submission: {@code createdAt} to {@code completedAt}. */
    EAS_SUBMISSION_TIME,
    /** Appflow build: {@code started} to {@code finished}. */
    APPFLOW_BUILD_TIME
}
