package dev.shipstream.streams.review;

import dev.shipstream.schemas.DeadLetter;
import dev.shipstream.schemas.DeadLetterReason;
import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.EventCategory;
import dev.shipstream.schemas.Platform;
import dev.shipstream.schemas.ReviewCycle;
import dev.shipstream.streams.enrich.EnrichmentExtras;
import dev.shipstream.streams.errors.DeadLetters;
import dev.shipstream.streams.errors.FailedRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The Kafka adapter of {@link ReviewCycles}: delivery events in, one {@link ReviewCycle} per changed cycle out.
 *
 * <p>It reads the {@code APP_VERSION_STATE} events of {@code appStoreVersions}, keyed by the version's entity key, so
 * every event of a version reaches the same task and store: no repartition. Other events pass by untouched. Per
 * version, a persistent key-value store keeps every applied change ({@link VersionHistory}); each new change is
 * placed by its event time, the cycles are recomputed from the whole set, and every cycle that differs from before
 * is emitted, so a late event corrects the cycles it belongs to. The submission date enrichment found for an event
 * ({@link EnrichmentExtras#REVIEW_SUBMITTED_DATE}) is kept with its change and may fill a cycle's unobserved
 * submission ({@link ReviewCycles}).
 *
 * <p>What is not applied is never dropped silently. An event older than the version's latest event time minus the
 * grace would rewrite history consumers have long acted on: it is dead-lettered as
 * {@link DeadLetterReason#LATE_EVENT}. A version whose history already holds {@code maxChanges} changes (real ones
 * have a few dozen) takes no more: {@link DeadLetterReason#STATE_LIMIT_REACHED}. Both are counted by
 * {@link DeadLetters}. A change whose event id was applied already is a duplicate and changes nothing.
 *
 * <p>A second store, the {@link DecisionIndex}, locates every decided cycle by decision time for the listing; a
 * change that decides a cycle, or moves or renumbers a decided one, updates it in the same transaction.
 */
public final class ReviewCycleProcessor implements ProcessorSupplier<String, DeliveryEvent, String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(ReviewCycleProcessor.class);

    /** The entity type whose state changes make review cycles. */
    public static final String VERSION_ENTITY_TYPE = "appStoreVersions";

    private final String storeName;
    private final Duration grace;
    private final int maxChanges;
    private final String cyclesSink;
    private final String deadLetterSink;
    private final DeadLetters deadLetters;
    private final String eventsTopic;
    private final Serializer<DeliveryEvent> eventSerializer;

    /**
     * @param storeName       the key-value store of version histories (also names its changelog)
     * @param grace           how far behind a version's latest event time an event may be and still be applied
     * @param maxChanges      the most changes kept per version
     * @param cyclesSink      the child node that writes review cycles
     * @param deadLetterSink  the child node that writes dead letters
     * @param deadLetters     makes and counts dead letters
     * @param eventsTopic     the topic the events are written to; a dead letter holds the event as written there
     * @param eventSerializer serializes a dead-lettered event for the dead letter's value
     */
    public ReviewCycleProcessor(String storeName, Duration grace, int maxChanges, String cyclesSink,
                                String deadLetterSink, DeadLetters deadLetters, String eventsTopic,
                                Serializer<DeliveryEvent> eventSerializer) {
        this.storeName = Objects.requireNonNull(storeName, "storeName");
        this.grace = Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative, got " + grace);
        }
        if (maxChanges < 1) {
            throw new IllegalArgumentException("maxChanges must be at least 1, got " + maxChanges);
        }
        this.maxChanges = maxChanges;
        this.cyclesSink = Objects.requireNonNull(cyclesSink, "cyclesSink");
        this.deadLetterSink = Objects.requireNonNull(deadLetterSink, "deadLetterSink");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.eventsTopic = Objects.requireNonNull(eventsTopic, "eventsTopic");
        this.eventSerializer = Objects.requireNonNull(eventSerializer, "eventSerializer");
    }

    /** Whether an event is a state change of an App Store version. */
    static boolean isVersionStateChange(DeliveryEvent event) {
        return event.getCategory() == EventCategory.APP_VERSION_STATE
                && VERSION_ENTITY_TYPE.equals(event.getEntity().getType())
                && event.getNewState() != null;
    }

    @Override
    public Processor<String, DeliveryEvent, String, Object> get() {
        return new CycleProcessor();
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return Set.of(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeName), Serdes.String(),
                VersionHistory.serde(maxChanges)), DecisionIndex.storeBuilder(storeName));
    }

    /** The most decoded histories a task keeps in memory (a few MB at most: a history holds ≤ maxChanges changes). */
    static final int DECODED_HISTORIES = 256;

    private final class CycleProcessor implements Processor<String, DeliveryEvent, String, Object> {

        private ProcessorContext<String, Object> context;
        private KeyValueStore<String, VersionHistory> histories;
        private KeyValueStore<Bytes, byte[]> index;
        /**
         * The latest histories as put, so an active version's history is not decoded from the store for every event
         * (decoding was the stream thread's largest cost with long histories). Write-through: the store stays the
         * truth. Cleared whenever Kafka Streams (re)initialises or closes the task, which it does after any aborted
         * transaction or restore, so it never outlives the store contents it mirrors.
         */
        private final Map<String, VersionHistory> decoded = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, VersionHistory> eldest) {
                return size() > DECODED_HISTORIES;
            }
        };

        @Override
        public void init(ProcessorContext<String, Object> context) {
            this.context = context;
            this.histories = context.getStateStore(storeName);
            this.index = context.getStateStore(DecisionIndex.storeName(storeName));
            decoded.clear();
            if (!DecisionIndex.isComplete(index.get(DecisionIndex.markerKey()))) {
                long start = System.nanoTime();
                int cycles = DecisionIndex.rebuild(histories, index);
                LOG.info("review cycles: indexed the {} decided cycles of task {} by decision time in {} ms", cycles,
                        context.taskId(), (System.nanoTime() - start) / 1_000_000);
            }
        }

        @Override
        public void close() {
            decoded.clear();
        }

        private VersionHistory history(String key) {
            VersionHistory history = decoded.get(key);
            if (history == null) {
                history = histories.get(key);
                if (history != null) {
                    decoded.put(key, history);
                }
            }
            return history;
        }

        @Override
        public void process(Record<String, DeliveryEvent> record) {
            DeliveryEvent event = record.value();
            if (event == null || record.key() == null || !isVersionStateChange(event)) {
                return;
            }
            VersionStateChange change = new VersionStateChange(event.getEventId(), event.getOccurredAt().toEpochMilli(),
                    event.getPreviousState(), event.getNewState(), apiSubmittedAt(event));
            VersionHistory history = history(record.key());
            if (history == null) {
                history = VersionHistory.empty(event.getEntity().getId());
            }
            if (history.contains(change.eventId())) {
                return;
            }
            long latest = history.latestAt();
            if (!history.changes().isEmpty() && change.at() < latest - grace.toMillis()) {
                deadLetter(record, DeadLetterReason.LATE_EVENT, "App Store version state change " + change.eventId()
                        + " (" + change.oldValue() + " -> " + change.newValue() + ") at "
                        + Instant.ofEpochMilli(change.at()) + " is older than the version's latest event time "
                        + Instant.ofEpochMilli(latest) + " minus the review-cycle grace " + grace
                        + "; not applied to the review cycles");
                return;
            }
            if (history.changes().size() >= maxChanges) {
                deadLetter(record, DeadLetterReason.STATE_LIMIT_REACHED, "App Store version " + history.versionId()
                        + " already has " + maxChanges + " state changes, the most kept; change " + change.eventId()
                        + " not applied to the review cycles");
                return;
            }

            List<Cycle> before = ReviewCycles.of(history.changes());
            VersionHistory updated = history.with(change, event.getApp() == null ? null : event.getApp().getId(),
                    event.getPlatform() == null ? null : event.getPlatform().name(), event.getVersionString());
            histories.put(record.key(), updated);
            decoded.put(record.key(), updated);
            List<Cycle> after = ReviewCycles.of(updated.changes());

            boolean sameContext = before.size() == after.size()
                    && Objects.equals(history.appId(), updated.appId())
                    && Objects.equals(history.platform(), updated.platform())
                    && Objects.equals(history.versionString(), updated.versionString());
            // A late event may add a cycle before others (renumbering them) or join two: every slot that differs is
            // written to the index and emitted; a slot that is gone only leaves the index.
            for (int slot = 0; slot < Math.max(before.size(), after.size()); slot++) {
                Cycle was = slot < before.size() ? before.get(slot) : null;
                Cycle cycle = slot < after.size() ? after.get(slot) : null;
                if (sameContext && was != null && was.equals(cycle)) {
                    continue;
                }
                DecisionIndex.update(index, record.key(), updated.versionId(), was, cycle);
                if (cycle != null) {
                    context.forward(new Record<String, Object>(record.key(), toRecord(updated, cycle, after.size()),
                            record.timestamp(), new RecordHeaders()), cyclesSink);
                }
            }
        }

        private void deadLetter(Record<String, DeliveryEvent> record, DeadLetterReason reason, String message) {
            RecordMetadata metadata = context.recordMetadata().orElse(null);
            // The source record's coordinates find the webhook it came from; the value is the event as written to
            // the events topic, which is what was not applied.
            FailedRecord failed = new FailedRecord(metadata == null ? null : metadata.topic(),
                    metadata == null ? -1 : metadata.partition(), metadata == null ? -1 : metadata.offset(),
                    record.key().getBytes(StandardCharsets.UTF_8),
                    eventSerializer.serialize(eventsTopic, record.value()), null,
                    record.value().getIngressRequestId());
            DeadLetter letter = deadLetters.letter(failed, reason, message, null, context.currentSystemTimeMs());
            context.forward(new Record<String, Object>(record.key(), letter, record.timestamp(), new RecordHeaders()),
                    deadLetterSink);
        }
    }

    /**
     * The submission date enrichment found for the event ({@link EnrichmentExtras#REVIEW_SUBMITTED_DATE}), or null
     * when there is none or it is not an ISO-8601 instant.
     */
    static Long apiSubmittedAt(DeliveryEvent event) {
        String value = event.getExtras() == null ? null : event.getExtras().get(EnrichmentExtras.REVIEW_SUBMITTED_DATE);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value).toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The topic record of one cycle. */
    public static ReviewCycle toRecord(VersionHistory history, Cycle cycle, int cycleCount) {
        return ReviewCycle.newBuilder()
                .setVersionId(history.versionId())
                .setAppId(history.appId())
                .setPlatform(history.platform() == null ? null : platformOf(history.platform()))
                .setVersionString(history.versionString())
                .setCycle(cycle.number())
                .setCycleCount(cycleCount)
                .setOutcome(cycle.outcome())
                .setDecisionState(cycle.decisionState())
                .setReadyForReviewAt(instant(cycle.readyForReviewAt()))
                .setSubmittedAt(instant(cycle.submittedAt()))
                .setSubmittedAtSource(cycle.submittedAtSource())
                .setReviewStartedAt(instant(cycle.reviewStartedAt()))
                .setDecidedAt(instant(cycle.decidedAt()))
                .setReleasedAt(instant(cycle.releasedAt()))
                .setWaitMs(cycle.waitMs())
                .setReviewMs(cycle.reviewMs())
                .setTotalMs(cycle.totalMs())
                .setReleaseMs(cycle.releaseMs())
                .setObserved(cycle.observed())
                .setLastEventAt(Instant.ofEpochMilli(history.latestAt()))
                .build();
    }

    private static Platform platformOf(String name) {
        try {
            return Platform.valueOf(name);
        } catch (IllegalArgumentException e) {
            return Platform.OTHER;
        }
    }

    private static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
