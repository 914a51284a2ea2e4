package dev.shipstream.streams.query;

import dev.shipstream.schemas.ReviewCycle;
import dev.shipstream.schemas.ReviewOutcome;
import dev.shipstream.schemas.SubmittedAtSource;
import dev.shipstream.streams.review.Cycle;
import dev.shipstream.streams.review.ReviewCycleProcessor;
import dev.shipstream.streams.review.VersionHistory;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReviewCycleViewsTest {

    private static final VersionHistory VERSION = new VersionHistory("v1", "app,1", "IOS", "1.0 \"beta\"", List.of());
    private static final long SUBMITTED = Instant.parse("2025-12-18T03:41:21Z").toEpochMilli();
    private static final Cycle APPROVED_WITHOUT_REVIEW_START = new Cycle(1, ReviewOutcome.APPROVED,
            "PENDING_DEVELOPER_RELEASE", null, SUBMITTED, SubmittedAtSource.OBSERVED, null, SUBMITTED + 1_000, null,
            List.of("WAITING_FOR_REVIEW", "PENDING_DEVELOPER_RELEASE"));

    @Test
    void writesTheExactFieldsWithMillisecondTimesAndNullForWhatWasNotObserved() {
        JsonObject json = ReviewCycleViews.version(VERSION, List.of(APPROVED_WITHOUT_REVIEW_START));

        assertThat(json.fieldNames()).containsExactlyInAnyOrder("versionId", "appId", "versionString", "platform",
                "cycles");
        JsonObject cycle = json.getJsonArray("cycles").getJsonObject(0);
        assertThat(cycle.getString("submittedAt")).isEqualTo("2025-12-18T03:41:21.000Z");
        assertThat(cycle.getString("decidedAt")).isEqualTo("2025-12-18T03:41:22.000Z");
        assertThat(cycle.containsKey("reviewStartedAt")).isTrue();
        assertThat(cycle.getValue("reviewStartedAt")).isNull();
        assertThat(cycle.getValue("waitMs")).isNull();
        assertThat(cycle.getValue("reviewMs")).isNull();
        assertThat(cycle.getLong("totalMs")).isEqualTo(1_000L);
        assertThat(cycle.getValue("releaseMs")).isNull();
        assertThat(cycle.getJsonArray("observed").getList()).containsExactly("WAITING_FOR_REVIEW",
                "PENDING_DEVELOPER_RELEASE");
    }

    @Test
    void csvQuotesFieldsWithCommasAndQuotesAndLeavesUnknownValuesEmpty() {
        String line = ReviewCycleViews.csv(row(VERSION, APPROVED_WITHOUT_REVIEW_START));

        assertThat(ReviewCycleViews.csvHeader()).startsWith("versionId,appId,versionString,platform,cycle,outcome");
        assertThat(line).isEqualTo("v1,\"app,1\",\"1.0 \"\"beta\"\"\",IOS,1,APPROVED,PENDING_DEVELOPER_RELEASE,,"
                + "2025-12-18T03:41:21.000Z,OBSERVED,,2025-12-18T03:41:22.000Z,,,,1000,,"
                + "WAITING_FOR_REVIEW PENDING_DEVELOPER_RELEASE\r\n");
    }

    @Test
    void namesTheOriginOfAnApiFilledSubmissionInJsonCsvAndTheStream() {
        Cycle filled = new Cycle(2, ReviewOutcome.APPROVED, "PENDING_DEVELOPER_RELEASE", null, SUBMITTED,
                SubmittedAtSource.APP_STORE_CONNECT_API, SUBMITTED + 60_000, SUBMITTED + 90_000, null,
                List.of("IN_REVIEW", "PENDING_DEVELOPER_RELEASE"));
        Cycle unknown = new Cycle(1, ReviewOutcome.OPEN, null, null, null, null, SUBMITTED, null, null,
                List.of("IN_REVIEW"));

        JsonObject row = row(VERSION, filled);

        assertThat(row.getString("submittedAtSource")).isEqualTo("APP_STORE_CONNECT_API");
        assertThat(row.getLong("waitMs")).isEqualTo(60_000L);
        assertThat(ReviewCycleViews.csvHeader()).contains(",submittedAt,submittedAtSource,reviewStartedAt,");
        assertThat(ReviewCycleViews.csv(row)).contains(",2025-12-18T03:41:21.000Z,APP_STORE_CONNECT_API,");
        JsonObject none = row(VERSION, unknown);
        assertThat(none.containsKey("submittedAtSource")).isTrue();
        assertThat(none.getValue("submittedAtSource")).isNull();
        assertThat(ReviewCycleViews.change(ReviewCycle.newBuilder()
                .setVersionId("v1").setCycle(2).setCycleCount(2).setOutcome(ReviewOutcome.APPROVED)
                .setSubmittedAt(Instant.ofEpochMilli(SUBMITTED))
                .setSubmittedAtSource(SubmittedAtSource.APP_STORE_CONNECT_API)
                .setObserved(List.of()).setLastEventAt(Instant.ofEpochMilli(SUBMITTED)).build())
                .getString("submittedAtSource")).isEqualTo("APP_STORE_CONNECT_API");
    }

    @Test
    void aFilterMatchesOnTheDecisionTimeInItsRangeAndTheAppPlatformAndOutcomeItNames() {
        ReviewCycle decided = ReviewCycleProcessor.toRecord(VERSION, APPROVED_WITHOUT_REVIEW_START, 1);
        long decidedAt = SUBMITTED + 1_000;

        assertThat(new CycleFilter("app,1", "IOS", ReviewOutcome.APPROVED, decidedAt, decidedAt + 1, null, 1)
                .matches(decided)).isTrue();
        assertThat(new CycleFilter(null, null, null, decidedAt - 1, decidedAt + 1, null, 1).matches(decided)).isTrue();
        assertThat(new CycleFilter("app,2", null, null, 0, Long.MAX_VALUE, null, 1).matches(decided)).isFalse();
        assertThat(new CycleFilter(null, "ANDROID", null, 0, Long.MAX_VALUE, null, 1).matches(decided)).isFalse();
        assertThat(new CycleFilter(null, null, ReviewOutcome.REJECTED, 0, Long.MAX_VALUE, null, 1).matches(decided))
                .as("another outcome").isFalse();
        assertThat(new CycleFilter(null, null, null, 0, decidedAt, null, 1).matches(decided)).as("to is exclusive")
                .isFalse();
        ReviewCycle open = ReviewCycleProcessor.toRecord(VERSION, new Cycle(1, ReviewOutcome.OPEN, null, null,
                SUBMITTED, SubmittedAtSource.OBSERVED, null, null, null, List.of("WAITING_FOR_REVIEW")), 1);
        assertThat(new CycleFilter(null, null, null, 0, Long.MAX_VALUE, null, 1).matches(open)).as("undecided")
                .isFalse();
    }

    @Test
    void aCursorReadsBackAsThePositionItWasMadeFrom() {
        CycleFilter.Position position = CycleFilter.Position.of(
                row(new VersionHistory("id:with:colons", null, null, null, List.of()), APPROVED_WITHOUT_REVIEW_START));

        assertThat(CycleFilter.Position.parse(position.cursor())).isEqualTo(position);
        assertThat(position.versionId()).isEqualTo("id:with:colons");
        assertThatThrownBy(() -> CycleFilter.Position.parse("%%%")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void positionsSortAsTheirListedRowsDo() {
        List<CycleFilter.Position> positions = new java.util.ArrayList<>();
        for (long at : new long[] {0L, 999L, 1_000L, 1_764_547_200_000L, 1_764_547_200_001L, 253_402_300_799_999L}) {
            for (String version : List.of("6745123456", "6745123457", "67451234560", "a")) {
                for (int cycle : new int[] {1, 2, 10}) {
                    positions.add(new CycleFilter.Position(at, version, cycle));
                }
            }
        }
        java.util.Collections.shuffle(positions, new java.util.Random(7));
        List<JsonObject> rows = new java.util.ArrayList<>(positions.stream().map(p -> new JsonObject()
                .put("decidedAt", ReviewCycleViews.time(p.decidedAt())).put("versionId", p.versionId())
                .put("cycle", p.cycle())).toList());

        positions.sort(CycleFilter.Position.ORDER);
        rows.sort(ReviewCycleViews.LISTING_ORDER);

        assertThat(rows.stream().map(CycleFilter.Position::of).toList()).isEqualTo(positions);
    }

    /** A listed row of a cycle, as the listing makes it from the cycle's record. */
    private static JsonObject row(VersionHistory history, Cycle cycle) {
        return ReviewCycleViews.row(ReviewCycleProcessor.toRecord(history, cycle, cycle.number()));
    }
}
