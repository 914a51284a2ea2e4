package dev.shipstream.streams.query;

import dev.shipstream.schemas.ReviewCycle;
import dev.shipstream.streams.review.Cycle;
import dev.shipstream.streams.review.ReviewCycleProcessor;
import dev.shipstream.streams.review.VersionHistory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;

/**
 * How the query API writes review cycles: the JSON of one version ({@link #version}), the JSON row of a listed cycle
 * ({@link #row}) and its CSV ({@link #csv}). Pure. Times are ISO-8601 UTC with milliseconds, unknown values null
 * (an empty CSV field). {@code submittedAtSource} says whether {@code submittedAt} was observed ({@code OBSERVED}) or
 * filled from the App Store Connect API ({@code APP_STORE_CONNECT_API}).
 */
public final class ReviewCycleViews {

    /** The CSV columns, in order; also the header row. */
    public static final List<String> CSV_COLUMNS = List.of("versionId", "appId", "versionString", "platform", "cycle",
            "outcome", "decisionState", "readyForReviewAt", "submittedAt", "submittedAtSource", "reviewStartedAt",
            "decidedAt", "releasedAt", "waitMs", "reviewMs", "totalMs", "releaseMs", "observed");

    /**
     * The order of listed cycles: decision time, then version id, then cycle number. Rows must have a decidedAt, as
     * {@link #time} writes it: fixed width, so its text sorts as the time does (years 0000 to 9999), without parsing
     * it on each of the many comparisons of a 10,000-row listing.
     */
    public static final Comparator<JsonObject> LISTING_ORDER = Comparator
            .<JsonObject, String>comparing(row -> row.getString("decidedAt"))
            .thenComparing(row -> row.getString("versionId"))
            .thenComparingInt(row -> row.getInteger("cycle"));

    // Instant.toString drops the milliseconds when they are zero; the API always writes them.
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private ReviewCycleViews() {
    }

    /** {@code {"versionId","appId","versionString","platform","cycles":[...]}}. */
    public static JsonObject version(VersionHistory history, List<Cycle> cycles) {
        JsonArray array = new JsonArray();
        cycles.forEach(cycle -> array.add(cycleFields(ReviewCycleProcessor.toRecord(history, cycle, cycles.size()),
                new JsonObject())));
        return new JsonObject()
                .put("versionId", history.versionId())
                .put("appId", history.appId())
                .put("versionString", history.versionString())
                .put("platform", history.platform())
                .put("cycles", array);
    }

    /** A cycle with its version's fields, as listed by the range query. */
    public static JsonObject row(ReviewCycle cycle) {
        return cycleFields(cycle, new JsonObject()
                .put("versionId", cycle.getVersionId())
                .put("appId", cycle.getAppId())
                .put("versionString", cycle.getVersionString())
                .put("platform", cycle.getPlatform() == null ? null : cycle.getPlatform().name()));
    }

    /**
     * A change of a cycle as the stream sends it: the listed row's fields, plus the version's {@code cycleCount}
     * and {@code lastEventAt} (a later change of the same cycle replaces it; cycles numbered above the latest
     * cycleCount are void).
     */
    public static JsonObject change(ReviewCycle cycle) {
        return row(cycle)
                .put("cycleCount", cycle.getCycleCount())
                .put("lastEventAt", time(cycle.getLastEventAt()));
    }

    private static JsonObject cycleFields(ReviewCycle cycle, JsonObject into) {
        return into
                .put("cycle", cycle.getCycle())
                .put("outcome", cycle.getOutcome().name())
                .put("decisionState", cycle.getDecisionState())
                .put("readyForReviewAt", time(cycle.getReadyForReviewAt()))
                .put("submittedAt", time(cycle.getSubmittedAt()))
                .put("submittedAtSource", cycle.getSubmittedAtSource() == null ? null
                        : cycle.getSubmittedAtSource().name())
                .put("reviewStartedAt", time(cycle.getReviewStartedAt()))
                .put("decidedAt", time(cycle.getDecidedAt()))
                .put("releasedAt", time(cycle.getReleasedAt()))
                .put("waitMs", cycle.getWaitMs())
                .put("reviewMs", cycle.getReviewMs())
                .put("totalMs", cycle.getTotalMs())
                .put("releaseMs", cycle.getReleaseMs())
                .put("observed", new JsonArray(List.copyOf(cycle.getObserved())));
    }

    /** One CSV record (RFC 4180: CRLF-terminated, fields with a comma, quote or line break quoted). */
    public static String csv(JsonObject row) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < CSV_COLUMNS.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            Object value = row.getValue(CSV_COLUMNS.get(i));
            if (value instanceof JsonArray array) {
                // One field for the list: the states joined by a space, which no state name contains.
                value = String.join(" ", array.stream().map(String::valueOf).toList());
            }
            line.append(value == null ? "" : field(value.toString()));
        }
        return line.append("\r\n").toString();
    }

    /** The CSV header record. */
    public static String csvHeader() {
        return String.join(",", CSV_COLUMNS) + "\r\n";
    }

    private static String time(Instant instant) {
        return instant == null ? null : MILLIS.format(instant);
    }

    /** An epoch-millisecond time as the API writes it, or null. */
    public static String time(Long epochMillis) {
        return epochMillis == null ? null : MILLIS.format(Instant.ofEpochMilli(epochMillis));
    }

    private static String field(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
