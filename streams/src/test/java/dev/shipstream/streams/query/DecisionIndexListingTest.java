package dev.shipstream.streams.query;

import dev.shipstream.schemas.ReviewOutcome;
import dev.shipstream.streams.review.DecisionIndex;
import dev.shipstream.streams.review.VersionHistory;
import dev.shipstream.streams.topology.Names;
import dev.shipstream.streams.topology.PipelineDriver;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decision-time index through the whole pipeline: 120 versions go through approvals, rejections and
 * withdrawals with webhooks missing, arriving out of order (which renumbers cycles) and twice. The index kept change
 * by change must equal one rebuilt from the histories, and every listing read from it, page by page, must equal the
 * listing computed from every history (the way the API listed before the index).
 */
class DecisionIndexListingTest {

    private static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
    private static final String[][] TIMELINES = {
            {"PREPARE_FOR_SUBMISSION", "READY_FOR_REVIEW", "WAITING_FOR_REVIEW", "IN_REVIEW",
                    "PENDING_DEVELOPER_RELEASE", "READY_FOR_DISTRIBUTION"},
            {"READY_FOR_REVIEW", "WAITING_FOR_REVIEW", "IN_REVIEW", "REJECTED", "WAITING_FOR_REVIEW", "IN_REVIEW",
                    "PENDING_DEVELOPER_RELEASE"},
            {"READY_FOR_REVIEW", "WAITING_FOR_REVIEW", "DEVELOPER_REJECTED", "PREPARE_FOR_SUBMISSION",
                    "WAITING_FOR_REVIEW", "IN_REVIEW", "METADATA_REJECTED", "WAITING_FOR_REVIEW", "IN_REVIEW",
                    "PENDING_APPLE_RELEASE", "READY_FOR_DISTRIBUTION"},
            {"WAITING_FOR_REVIEW", "IN_REVIEW", "INVALID_BINARY", "WAITING_FOR_REVIEW"},
    };

    @TempDir
    Path stateDir;

    private PipelineDriver pipeline;
    private KeyValueStore<String, VersionHistory> histories;
    private KeyValueStore<Bytes, byte[]> index;

    @BeforeEach
    void sendTimelines() {
        pipeline = PipelineDriver.withDefaults(stateDir);
        Random random = new Random(20261201);
        List<String> payloads = new ArrayList<>();
        for (int version = 0; version < 120; version++) {
            String[] states = TIMELINES[version % TIMELINES.length];
            // Whole hours, so that cycles of different versions are decided at the same time and tie on it.
            Instant at = START.plus(Duration.ofHours(random.nextInt(24 * 20)));
            List<String> events = new ArrayList<>();
            for (int step = 1; step < states.length; step++) {
                at = at.plus(Duration.ofHours(1 + random.nextInt(30)));
                if (random.nextInt(8) == 0) {
                    continue; // a webhook that never came
                }
                events.add(payload("v" + version + "-e" + step, "v" + version, states[step - 1], states[step], at));
            }
            // Out of order within the version (the grace is seven days), and now and then twice.
            Collections.shuffle(events, random);
            if (!events.isEmpty() && random.nextInt(4) == 0) {
                events.add(events.get(0));
            }
            payloads.addAll(events);
        }
        Instant received = Instant.parse("2026-02-01T00:00:00Z");
        for (String json : payloads) {
            pipeline.sendAppStoreConnect(json, received);
            received = received.plusMillis(10);
        }
        histories = pipeline.driver.getKeyValueStore(Names.REVIEW_HISTORY_STORE);
        index = pipeline.driver.getKeyValueStore(DecisionIndex.storeName(Names.REVIEW_HISTORY_STORE));
    }

    @AfterEach
    void close() {
        pipeline.close();
    }

    @Test
    void theIndexKeptChangeByChangeEqualsOneRebuiltFromTheHistories() {
        Map<Bytes, String> kept = entries();
        assertThat(kept).hasSizeGreaterThan(150);
        assertThat(DecisionIndex.isComplete(index.get(DecisionIndex.markerKey()))).isTrue();

        List<Bytes> keys = new ArrayList<>(kept.keySet());
        keys.forEach(index::delete);
        index.delete(DecisionIndex.markerKey());
        index.put(Bytes.wrap(new byte[16]), new byte[] {1}); // an entry of no cycle: the rebuild must drop it
        int written = DecisionIndex.rebuild(histories, index);

        assertThat(written).isEqualTo(kept.size());
        assertThat(entries()).isEqualTo(kept);
        assertThat(DecisionIndex.isComplete(index.get(DecisionIndex.markerKey()))).isTrue();
    }

    @Test
    void everyListingReadFromTheIndexEqualsTheOneComputedFromEveryHistory() {
        long from = START.toEpochMilli();
        long to = START.plus(Duration.ofDays(40)).toEpochMilli();
        long middle = START.plus(Duration.ofDays(12)).toEpochMilli();
        int listed = 0;
        for (CycleFilter filter : List.of(
                new CycleFilter(null, null, null, from, to, null, 10_000),
                new CycleFilter(null, null, null, from, to, null, 7),
                new CycleFilter(null, null, null, middle, to, null, 1),
                new CycleFilter(null, null, ReviewOutcome.REJECTED, from, middle, null, 3),
                new CycleFilter(null, null, ReviewOutcome.APPROVED, middle, to, null, 25),
                new CycleFilter(null, null, ReviewOutcome.WITHDRAWN, from, to, null, 2),
                new CycleFilter("no-such-app", null, null, from, to, null, 5))) {
            List<JsonObject> fromIndex = allPages(filter, this::collectFromIndex);
            List<JsonObject> fromHistories = allPages(filter,
                    page -> LocalReviewCycles.collectFromHistories(histories, page));

            assertThat(fromIndex).as("%s", filter).isEqualTo(fromHistories);
            assertThat(fromIndex).isSortedAccordingTo(ReviewCycleViews.LISTING_ORDER);
            listed += fromIndex.size();
        }
        assertThat(listed).as("the listings are not all empty").isGreaterThan(400);
    }

    @Test
    void aCursorInsideATieOfDecisionTimesContinuesAfterItsRow() {
        long from = START.toEpochMilli();
        long to = START.plus(Duration.ofDays(40)).toEpochMilli();
        List<JsonObject> all = allPages(new CycleFilter(null, null, null, from, to, null, 10_000),
                this::collectFromIndex);
        int tie = -1;
        for (int i = 1; i < all.size() && tie < 0; i++) {
            if (all.get(i).getString("decidedAt").equals(all.get(i - 1).getString("decidedAt"))) {
                tie = i - 1;
            }
        }
        assertThat(tie).as("two cycles decided at the same time").isNotNegative();

        CycleFilter.Position cursor = CycleFilter.Position.of(all.get(tie));
        LocalReviewCycles.Page page = new LocalReviewCycles.Page(new CycleFilter(null, null, null, from, to, cursor, 2));
        collectFromIndex(page);

        assertThat(page.rows()).containsExactlyElementsOf(all.subList(tie + 1, Math.min(tie + 4, all.size())));
    }

    private void collectFromIndex(LocalReviewCycles.Page page) {
        LocalReviewCycles.collectFromIndex(index, histories, page);
    }

    /** Pages through a listing as the API does: limit + 1 rows tell that there is a next page. */
    private static List<JsonObject> allPages(CycleFilter first, Consumer<LocalReviewCycles.Page> collect) {
        List<JsonObject> rows = new ArrayList<>();
        CycleFilter filter = first;
        for (int pages = 0; pages < 10_000; pages++) {
            LocalReviewCycles.Page page = new LocalReviewCycles.Page(filter);
            collect.accept(page);
            List<JsonObject> got = page.rows();
            if (got.size() <= filter.limit()) {
                rows.addAll(got);
                return rows;
            }
            rows.addAll(got.subList(0, filter.limit()));
            filter = new CycleFilter(filter.app(), filter.platform(), filter.outcome(), filter.from(), filter.to(),
                    CycleFilter.Position.of(got.get(filter.limit() - 1)), filter.limit());
        }
        throw new AssertionError("the listing did not end");
    }

    private Map<Bytes, String> entries() {
        Map<Bytes, String> entries = new LinkedHashMap<>();
        try (KeyValueIterator<Bytes, byte[]> all = index.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> entry = all.next();
                if (!entry.key.equals(DecisionIndex.markerKey())) {
                    entries.put(entry.key, DecisionIndex.historyKey(entry.value));
                }
            }
        }
        return entries;
    }

    private static String payload(String eventId, String versionId, String oldValue, String newValue, Instant at) {
        return """
                {"data":{"type":"appStoreVersionAppVersionStateUpdated","id":"%s","version":1,
                 "attributes":{"newValue":"%s","oldValue":"%s","timestamp":"%s"},
                 "relationships":{"instance":{"data":{"type":"appStoreVersions","id":"%s"}}}}}"""
                .formatted(eventId, newValue, oldValue, at, versionId);
    }
}
