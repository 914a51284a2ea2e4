package dev.shipstream.connect.common;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery loop every Shipstream sink shares: each record's event is delivered once per matching rule, in
 * order, on the task thread. A subclass says only how to reach its target ({@link #configure}, {@link #prepare}).
 *
 * <p><b>Once</b>: before sending, the key {@code sent:<connector>:<rule>:<event id>} is looked up in the
 * {@link DeliveryLedger} (a compacted topic); after the target accepted it, it is recorded. A redelivered record
 * (retry, rebalance, restart) is skipped. An {@link Attempt} that makes several calls must skip, on a second run,
 * what its first run already did: a retry re-runs it whole.
 *
 * <p><b>Never blocking the poll loop</b>: a wait (the per-target rate limit, a {@code Retry-After}, a backoff) defers
 * that rate-limit key's deliveries for the rest of the batch while other keys go on; at the end of the batch the
 * shortest wait is handed to Connect as {@code context.timeout(wait)} + {@link RetriableException}; Connect pauses
 * the partitions, keeps the consumer alive and redelivers the batch, whose already-sent records the ledger skips.
 *
 * <p><b>Permanent failures</b> go to Connect's errant record reporter (the dead-letter queue) with the target's
 * reason, and are not retried. Without a dead-letter queue or error log configured the task fails, rather than
 * dropping the event silently.
 *
 * <p><b>Offsets</b>: {@link #preCommit} flushes the ledger, then returns only offsets of records that were
 * delivered, skipped or dead-lettered.
 */
public abstract class DeliverySinkTask extends SinkTask {

    private static final Logger LOG = LoggerFactory.getLogger(DeliverySinkTask.class);

    /** What a sink sets up when its task starts: its target's name (for logs), its parsed config and its rules. */
    public record Setup(String targetName, AbstractConfig config, List<Rule> rules) {
    }

    /** One prepared delivery of one event for one rule. */
    public interface Attempt {

        /** The rate-limit bucket this delivery counts against (a channel, a repository, a project). */
        String limiterKey();

        /** The request as the dry run logs it: method, URL, body, never a credential. */
        String describe();

        /** Makes the call(s) and classifies the answer. */
        DeliveryOutcome send();

        /** Called after the target accepted the delivery and its key was recorded, e.g. to remember the target's id. */
        default void delivered(DeliveryOutcome.Delivered outcome) {
        }
    }

    private final Clock clock;
    private final DeliveryLedger injectedLedger;

    private String connectorName;
    private String targetName;
    private List<Rule> rules;
    private SinkSettings.Delivery delivery;
    private ChannelRateLimiter limiter;
    private DeliveryLedger ledger;
    private SinkMetrics metrics;
    private Cache<String, Integer> attempts;
    private final Set<String> rulesReportedFailing = new HashSet<>();
    private final Map<TopicPartition, Long> done = new HashMap<>();

    /** {@code ledger}: the ledger to use (tests), or null for the configured one. */
    protected DeliverySinkTask(Clock clock, DeliveryLedger ledger) {
        this.clock = clock;
        this.injectedLedger = ledger;
    }

    /** Parses the configuration (refusing unresolved secrets) and builds the target's client. */
    protected abstract Setup configure(Map<String, String> props);

    /** The delivery of {@code event} for {@code rule}, or null when there is nothing to send for it. */
    protected abstract Attempt prepare(String rule, Struct event, Map<String, Object> fields);

    @Override
    public final void start(Map<String, String> props) {
        connectorName = props.getOrDefault("name", getClass().getSimpleName());
        Setup setup = configure(props);
        targetName = setup.targetName();
        rules = setup.rules();
        delivery = SinkSettings.Delivery.of(setup.config());
        limiter = new ChannelRateLimiter(delivery.rateInterval(), clock);
        attempts = Caffeine.newBuilder().maximumSize(10_000).build();
        metrics = SinkMetrics.of(pluginMetrics(), connectorName);
        ledger = injectedLedger != null ? injectedLedger : openLedger(setup.config());
        LOG.info("{} sink {} started: rules {}, dry run {}", targetName, connectorName,
                rules.stream().map(Rule::name).toList(), delivery.dryRun());
    }

    protected final DeliveryLedger ledger() {
        return ledger;
    }

    protected final Clock clock() {
        return clock;
    }

    protected final String connectorName() {
        return connectorName;
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        Deferrals deferrals = new Deferrals();
        for (SinkRecord record : records) {
            TopicPartition partition = new TopicPartition(record.originalTopic(), record.originalKafkaPartition());
            if (process(record, deferrals)) {
                deferrals.partitions.add(partition);
            }
            if (!deferrals.partitions.contains(partition)) {
                done.put(partition, record.originalKafkaOffset() + 1);
            }
        }
        if (deferrals.wait != null) {
            retryLater(deferrals.wait, deferrals.reason);
        }
    }

    /**
     * Deliveries of this batch that must wait, by rate-limit key. A key that must wait takes nothing more in this
     * batch (its order holds), while other keys go on: one busy Slack channel or repository does not stall the
     * others. When the batch ends, Connect is asked to wait the shortest of the waits and deliver it again; what was
     * sent is then skipped by the ledger, and no offset passes the first deferred record of its partition.
     */
    private static final class Deferrals {
        final Set<String> keys = new HashSet<>();
        final Set<TopicPartition> partitions = new HashSet<>();
        Duration wait;
        String reason;

        void add(String key, Duration wait, String reason) {
            keys.add(key);
            if (this.wait == null || wait.compareTo(this.wait) < 0) {
                this.wait = wait;
                this.reason = reason;
            }
        }
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        // The keys of what was delivered must be durable before its offsets are: else a restart would deliver again.
        ledger.flush();
        Map<TopicPartition, OffsetAndMetadata> safe = new HashMap<>();
        currentOffsets.forEach((partition, current) -> {
            Long offset = done.get(partition);
            if (offset != null) {
                safe.put(partition, new OffsetAndMetadata(Math.min(offset, current.offset())));
            }
        });
        return safe;
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        partitions.forEach(done::remove);
    }

    @Override
    public void stop() {
        if (ledger != null && injectedLedger == null) {
            ledger.close();
        }
    }

    /** Delivers {@code record} for every rule it matches; true if a delivery was deferred. */
    private boolean process(SinkRecord record, Deferrals deferrals) {
        if (record.value() == null) {
            return false;
        }
        if (!(record.value() instanceof Struct event)) {
            // Keyed by its coordinates: a batch handed back to Connect (a deferral) must not dead-letter it twice.
            String key = "not-an-event:" + connectorName + ":" + record.originalTopic() + "-"
                    + record.originalKafkaPartition() + "@" + record.originalKafkaOffset();
            if (ledger.lookup(key).isEmpty()) {
                deadLetter(record, "-", "the value is not a Connect Struct (check value.converter): "
                        + record.value().getClass().getName());
                ledger.record(key, "dead-lettered");
            }
            return false;
        }
        Map<String, Object> fields = EventFields.of(event);
        boolean deferred = false;
        for (Rule rule : rules) {
            Rule.Match match = rule.evaluate(fields);
            if (match instanceof Rule.Matched) {
                deferred |= !deliver(record, event, rule.name(), fields, deferrals);
            } else {
                if (match instanceof Rule.Failed failed && rulesReportedFailing.add(rule.name())) {
                    LOG.warn("{} sink {}: {} (reported once per rule; counted as skipped)", targetName,
                            connectorName, failed.reason());
                }
                metrics.skipped(rule.name());
            }
        }
        return deferred;
    }

    /** Delivers {@code event} for {@code rule} unless already done; false when the delivery was deferred. */
    private boolean deliver(SinkRecord record, Struct event, String rule, Map<String, Object> fields,
                            Deferrals deferrals) {
        String key = "sent:" + connectorName + ":" + rule + ":" + fields.get("eventId");
        if (ledger.lookup(key).isPresent()) {
            metrics.skipped(rule);
            return true;
        }
        Attempt attempt;
        try {
            attempt = prepare(rule, event, fields);
        } catch (PermanentDeliveryException e) {
            metrics.deadLettered(rule);
            deadLetter(record, rule, e.getMessage());
            ledger.record(key, "dead-lettered");
            return true;
        }
        if (attempt == null) {
            metrics.skipped(rule);
            return true;
        }
        if (delivery.dryRun()) {
            LOG.info("{} sink {} dry run, rule {}: {}", targetName, connectorName, rule, attempt.describe());
            return true;
        }
        String limiterKey = attempt.limiterKey();
        if (deferrals.keys.contains(limiterKey)) {
            return false;
        }
        Duration wait = limiter.reserve(limiterKey);
        if (!wait.isZero()) {
            deferrals.add(limiterKey, wait, "at most one request per " + delivery.rateInterval().toMillis()
                    + " ms to " + limiterKey);
            return false;
        }
        DeliveryOutcome outcome = attempt.send();
        if (outcome instanceof DeliveryOutcome.Delivered delivered) {
            ledger.record(key, delivered.messageId() != null ? delivered.messageId() : "sent");
            attempt.delivered(delivered);
            attempts.invalidate(key);
            Object occurredAt = event.get("occurredAt");
            metrics.sent(rule, occurredAt instanceof Date d ? clock.millis() - d.getTime() : 0);
            return true;
        }
        if (outcome instanceof DeliveryOutcome.Retry retry) {
            metrics.retried(rule);
            Duration delay;
            if (retry.fromTarget()) {
                delay = min(retry.after(), delivery.retryBackoffMax());
                limiter.holdUntil(limiterKey, delay);
            } else {
                delay = backoff(key);
            }
            deferrals.add(limiterKey, delay, "rule " + rule + ": " + retry.reason());
            return false;
        }
        DeliveryOutcome.Permanent permanent = (DeliveryOutcome.Permanent) outcome;
        metrics.deadLettered(rule);
        deadLetter(record, rule, permanent.reason());
        ledger.record(key, "dead-lettered");
        return true;
    }

    private Duration backoff(String key) {
        int attempt = attempts.asMap().merge(key, 1, Integer::sum);
        long millis = delivery.retryBackoff().toMillis() << Math.min(attempt - 1, 20);
        return min(Duration.ofMillis(millis), delivery.retryBackoffMax());
    }

    private void retryLater(Duration wait, String reason) {
        LOG.info("{} sink {}: retrying in {} ms ({})", targetName, connectorName, wait.toMillis(), reason);
        context.timeout(Math.max(1, wait.toMillis()));
        throw new RetriableException(reason);
    }

    private void deadLetter(SinkRecord record, String rule, String reason) {
        PermanentDeliveryException error = new PermanentDeliveryException(
                targetName + " refused the event of " + record.topic() + "-" + record.kafkaPartition() + "@"
                        + record.kafkaOffset() + " for rule " + rule + ": " + reason);
        ErrantRecordReporter reporter;
        try {
            reporter = context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError olderWorker) {
            reporter = null;
        }
        if (reporter == null) {
            throw new ConnectException(error.getMessage() + " (no dead-letter queue: set "
                    + "errors.deadletterqueue.topic.name or errors.log.enable)", error);
        }
        LOG.warn("{} sink {}: {}; sent to the dead-letter queue", targetName, connectorName, error.getMessage());
        try {
            reporter.report(record, error).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while dead-lettering", e);
        } catch (ExecutionException e) {
            throw new ConnectException("Could not write to the dead-letter queue", e.getCause());
        }
    }

    private org.apache.kafka.common.metrics.PluginMetrics pluginMetrics() {
        try {
            return context.pluginMetrics();
        } catch (NoSuchMethodError | NoClassDefFoundError | UnsupportedOperationException olderWorker) {
            return null;
        }
    }

    private DeliveryLedger openLedger(AbstractConfig config) {
        Map<String, Object> client = SinkSettings.stateClientConfig(config);
        long cacheMax = config.getLong(SinkSettings.STATE_CACHE_MAX_CONFIG);
        if (client == null) {
            LOG.warn("{} sink {}: no {} set: sent keys are kept in memory only; a task restart may send again",
                    targetName, connectorName, SinkSettings.STATE_BOOTSTRAP_CONFIG);
            return new InMemoryDeliveryLedger(cacheMax);
        }
        return KafkaDeliveryLedger.open(config.getString(SinkSettings.STATE_TOPIC_CONFIG), client, cacheMax);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
