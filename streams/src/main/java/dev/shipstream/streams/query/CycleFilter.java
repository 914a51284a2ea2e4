package dev.shipstream.streams.query;

import dev.shipstream.schemas.ReviewOutcome;
import dev.shipstream.schemas.ReviewCycle;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Objects;

/**
 * What the range query asks for: cycles decided in {@code [from, to)}, optionally of one app, platform and outcome,
 * after a cursor position, at most {@code limit} of them.
 *
 * @param app      the app id, or null for any
 * @param platform the platform's name, or null for any
 * @param outcome  the outcome, or null for any
 * @param from     inclusive, epoch milliseconds
 * @param to       exclusive, epoch milliseconds
 * @param after    the last row of the previous page, or null for the first page
 * @param limit    the most rows on a page
 */
public record CycleFilter(String app, String platform, ReviewOutcome outcome, long from, long to, Position after,
                          int limit) {

    public CycleFilter {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
    }

    /** Whether a cycle is on this query's pages (ignoring the cursor). */
    public boolean matches(ReviewCycle cycle) {
        if (cycle.getDecidedAt() == null) {
            return false;
        }
        long decided = cycle.getDecidedAt().toEpochMilli();
        return decided >= from && decided < to
                && (app == null || app.equals(cycle.getAppId()))
                && (platform == null || (cycle.getPlatform() != null && platform.equals(cycle.getPlatform().name())))
                && (outcome == null || outcome == cycle.getOutcome());
    }

    /** Whether a cycle at this place in the listing comes after the cursor. */
    public boolean isAfterCursor(Position position) {
        return after == null || Position.ORDER.compare(position, after) > 0;
    }

    /**
     * A place in the listing order, written as an opaque cursor.
     *
     * @param decidedAt the row's decision time, epoch milliseconds
     * @param versionId the row's version
     * @param cycle     the row's cycle number
     */
    public record Position(long decidedAt, String versionId, int cycle) {

        private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

        /**
         * The listing order ({@link ReviewCycleViews#LISTING_ORDER}) on positions: the rows' {@code decidedAt} text
         * has a fixed width, so it sorts as the epoch milliseconds do.
         */
        public static final Comparator<Position> ORDER = Comparator.comparingLong(Position::decidedAt)
                .thenComparing(Position::versionId).thenComparingInt(Position::cycle);

        public Position {
            Objects.requireNonNull(versionId, "versionId");
        }

        /** The position of a decided cycle. */
        public static Position of(ReviewCycle cycle) {
            return new Position(cycle.getDecidedAt().toEpochMilli(), cycle.getVersionId(), cycle.getCycle());
        }

        /** The position of a listed row. */
        public static Position of(JsonObject row) {
            return new Position(Instant.parse(row.getString("decidedAt")).toEpochMilli(), row.getString("versionId"),
                    row.getInteger("cycle"));
        }

        /**
         * Reads a cursor.
         *
         * @throws IllegalArgumentException if it is not one this API wrote
         */
        public static Position parse(String cursor) {
            try {
                String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                // The version id goes last: it is the one part that may contain the separator.
                String[] parts = text.split(":", 3);
                if (parts.length != 3) {
                    throw new IllegalArgumentException("not a cursor of this API");
                }
                return new Position(Long.parseLong(parts[0]), parts[2], Integer.parseInt(parts[1]));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a cursor of this API", e);
            }
        }

        /** The cursor text. */
        public String cursor() {
            return ENCODER.encodeToString((decidedAt + ":" + cycle + ":" + versionId).getBytes(StandardCharsets.UTF_8));
        }
    }
}
