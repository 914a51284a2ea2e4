/**
 * Enrichment of App Store Connect events from the App Store Connect API.
 *
 * <p>A webhook carries no version string, build number or rejection reason; {@link
 * dev.shipstream.streams.enrich.EnrichmentStage} looks them up, per entity type and id, against the configured API host
 * only. Lookups are signed with a short-lived ES256 token ({@link dev.shipstream.streams.enrich.AppStoreConnectJwt}),
 * spend a request budget that follows {@code X-Rate-Limit} and 429 answers, and are cached for a while. An event whose
 * lookup fails transiently waits in a persistent store and is retried on a wall-clock punctuator; one entity's events
 * stay in order while they wait, and after the maximum hold the event goes out marked {@code UNAVAILABLE}. An App
 * Store version's change to {@code IN_REVIEW} or a decision also gets the {@code submittedDate} of the review
 * submission it followed ({@link dev.shipstream.streams.enrich.ReviewSubmissionDates}), never waiting for it.
 */
package dev.shipstream.streams.enrich;
