package dev.shipstream.connectors.slack;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.shipstream.connect.common.ChannelRateLimiter;
import dev.shipstream.connect.common.DeliveryLedger;
import dev.shipstream.connect.common.DeliveryOutcome;
import dev.shipstream.connect.common.EventFields;
import dev.shipstream.connect.common.InMemoryDeliveryLedger;
import dev.shipstream.connect.common.KafkaDeliveryLedger;
import dev.shipstream.connect.common.PermanentDeliveryException;
import dev.shipstream.connect.common.Rule;
import dev.shipstream.connect.common.RuleCompiler;
import dev.shipstream.connect.common.RuleSettings;
import dev.shipstream.connect.common.SinkMetrics;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers each record's event to Slack once per matching rule, in order, on the task thread.
 *
 * <p><b>Once</b>: before sending, the key {@code sent:<connector>:<rule>:<event id>} is looked up in the
 * {@link DeliveryLedger} (a compacted topic); after Slack's {@code ok} it is recorded, together with the thread's
 * first {@code ts} ({@code thread:<connector>:<channel>:<app>:<version>}). A redelivered record (retry,
 * rebalance, restart) is skipped, and later events of a version reply in its thread, also after a restart.
 *
 * <p><b>Never blocking the poll loop</b>: a wait (the per-channel rate limit, a {@code Retry-After}, a backoff) is
 * handed to Connect as {@code context.timeout(wait)} + {@link RetriableException}; Connect pauses the partitions,
 * keeps the consumer alive and redelivers the batch, whose already-sent records the ledger skips.
 *
 * <p><b>Permanent failures</b> (4xx other than 429, {@code ok:false} codes a retry cannot fix) go to Connect's
 * errant record reporter (the dead-letter queue) with Slack's error code, and are not retried. Without a
 * dead-letter queue or error log configured the task fails, rather than dropping the event silently.
 *
 * <p><b>Offsets</b>: {@link #preCommit} returns only offsets of records that were delivered, skipped or
 * dead-lettered.
 */
public class SlackSinkTask extends SinkTask {

    private static final Logger LOG = LoggerFactory.getLogger(SlackSinkTask.class);

    private final HttpClient http;
    private final Clock clock;
    private final DeliveryLedger injectedLedger;

    private SlackSinkConfig config;
    private String connectorName;
    private List<Rule> rules;
    private Map<String, String> channels;
    private SlackTemplates templates;
    private SlackClient client;
    private ChannelRateLimiter limiter;
    private DeliveryLedger ledger;
    private SinkMetrics metrics;
    private Cache<String, Integer> attempts;
    private final Set<String> rulesReportedFailing = new HashSet<>();
    private final Map<TopicPartition, Long> done = new HashMap<>();

    /** For Connect. */
    public SlackSinkTask() {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), Clock.systemUTC(), null);
    }

    /** For tests: a given HTTP client and clock, and a given ledger (null: the configured one). */
    SlackSinkTask(HttpClient http, Clock clock, DeliveryLedger ledger) {
        this.http = http;
        this.clock = clock;
        this.injectedLedger = ledger;
    }

    @Override
    public String version() {
        return new SlackSinkConnector().version();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new SlackSinkConfig(props);
        connectorName = props.getOrDefault("name", "slack");
        refuseUnresolvedReference(SlackSinkConfig.TOKEN_CONFIG, config.token());
        refuseUnresolvedReference(SlackSinkConfig.WEBHOOK_URL_CONFIG, config.webhookUrl());
        List<RuleSettings.Definition> definitions = config.rules();
        rules = RuleSettings.compile(definitions, new RuleCompiler());
        channels = new LinkedHashMap<>();
        definitions.forEach(d -> channels.put(d.name(), config.usesWebhook() ? null : config.channelOf(d)));
        templates = new SlackTemplates(definitions, config.templateOverrides());
        client = new SlackClient(http, config, clock);
        limiter = new ChannelRateLimiter(config.rateInterval(), clock);
        attempts = Caffeine.newBuilder().maximumSize(10_000).build();
        metrics = SinkMetrics.of(pluginMetrics(), connectorName);
        ledger = injectedLedger != null ? injectedLedger : openLedger(config);
        LOG.info("Slack sink {} started: rules {}, {}, dry run {}", connectorName, channels.keySet(),
                config.usesWebhook() ? "incoming webhook" : "chat.postMessage", config.dryRun());
    }

    /**
     * A secret still written as {@code ${provider:path}} when the task starts was not resolved by the worker (no such
     * config provider, or a variable it may not read): sending it would fail on every record, so the task refuses to
     * start, naming the key and never the value.
     */
    private static void refuseUnresolvedReference(String key, Password secret) {
        if (secret != null && secret.value().strip().startsWith("${")) {
            throw new ConnectException(key + " is a config provider reference the worker did not resolve: check the "
                    + "worker's config.providers and that the variable or file it names is set and allowed");
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        for (SinkRecord record : records) {
            process(record);
            done.put(new TopicPartition(record.originalTopic(), record.originalKafkaPartition()),
                    record.originalKafkaOffset() + 1);
        }
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
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

    private void process(SinkRecord record) {
        if (record.value() == null) {
            return;
        }
        if (!(record.value() instanceof Struct event)) {
            deadLetter(record, "-", "the value is not a Connect Struct (check value.converter): "
                    + record.value().getClass().getName());
            return;
        }
        Map<String, Object> fields = EventFields.of(event);
        for (Rule rule : rules) {
            Rule.Match match = rule.evaluate(fields);
            if (match instanceof Rule.Matched) {
                deliver(record, event, rule.name(), fields);
            } else {
                if (match instanceof Rule.Failed failed && rulesReportedFailing.add(rule.name())) {
                    LOG.warn("Slack sink {}: {} (reported once per rule; counted as skipped)", connectorName,
                            failed.reason());
                }
                metrics.skipped(rule.name());
            }
        }
    }

    private void deliver(SinkRecord record, Struct event, String rule, Map<String, Object> fields) {
        String key = "sent:" + connectorName + ":" + rule + ":" + fields.get("eventId");
        if (ledger.lookup(key).isPresent()) {
            metrics.skipped(rule);
            return;
        }
        String channel = channels.get(rule);
        Map<String, Object> view = SlackView.of(fields, rule);
        String threadKey = config.threads()
                ? "thread:" + connectorName + ":" + channel + ":" + view.get("appLabel") + ":" + threadSubject(fields)
                : null;
        String threadTs = threadKey == null ? null : ledger.lookup(threadKey).orElse(null);
        ObjectNode message = SlackMessageComposer.compose(templates.title(rule, view), templates.body(rule, view),
                view, channel, threadTs);
        if (config.dryRun()) {
            LOG.info("Slack sink {} dry run, rule {}: POST {} {}", connectorName, rule,
                    config.usesWebhook() ? "<incoming webhook>" : config.apiUrl() + "chat.postMessage", message);
            return;
        }
        String limiterKey = channel != null ? channel : "incoming-webhook";
        Duration wait = limiter.reserve(limiterKey);
        if (!wait.isZero()) {
            retryLater(wait, "at most one message per " + config.rateInterval().toMillis() + " ms to " + limiterKey);
        }
        DeliveryOutcome outcome = client.post(message);
        if (outcome instanceof DeliveryOutcome.Delivered delivered) {
            String ts = delivered.messageId();
            ledger.record(key, ts != null ? ts : "sent");
            if (threadKey != null && threadTs == null && ts != null) {
                ledger.record(threadKey, ts);
            }
            attempts.invalidate(key);
            Object occurredAt = event.get("occurredAt");
            metrics.sent(rule, occurredAt instanceof Date d ? clock.millis() - d.getTime() : 0);
        } else if (outcome instanceof DeliveryOutcome.Retry retry) {
            metrics.retried(rule);
            Duration delay;
            if (retry.fromTarget()) {
                delay = min(retry.after(), config.retryBackoffMax());
                limiter.holdUntil(limiterKey, delay);
            } else {
                delay = backoff(key);
            }
            retryLater(delay, "rule " + rule + ": " + retry.reason());
        } else if (outcome instanceof DeliveryOutcome.Permanent permanent) {
            metrics.deadLettered(rule);
            deadLetter(record, rule, permanent.reason());
            ledger.record(key, "dead-lettered");
        }
    }

    /** One thread per app version, else per build, else per entity. */
    private static String threadSubject(Map<String, Object> fields) {
        String version = SlackView.text(fields.get("versionString"));
        if (version != null) {
            return "v" + version;
        }
        String build = SlackView.text(fields.get("buildNumber"));
        return build != null ? "b" + build : "e" + fields.get("entityKey");
    }

    private Duration backoff(String key) {
        int attempt = attempts.asMap().merge(key, 1, Integer::sum);
        long millis = config.retryBackoff().toMillis() << Math.min(attempt - 1, 20);
        return min(Duration.ofMillis(millis), config.retryBackoffMax());
    }

    private void retryLater(Duration wait, String reason) {
        LOG.info("Slack sink {}: retrying in {} ms ({})", connectorName, wait.toMillis(), reason);
        context.timeout(Math.max(1, wait.toMillis()));
        throw new RetriableException(reason);
    }

    private void deadLetter(SinkRecord record, String rule, String reason) {
        PermanentDeliveryException error = new PermanentDeliveryException(
                "Slack refused the event of " + record.topic() + "-" + record.kafkaPartition() + "@"
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
        LOG.warn("Slack sink {}: {}; sent to the dead-letter queue", connectorName, error.getMessage());
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

    private static DeliveryLedger openLedger(SlackSinkConfig config) {
        Map<String, Object> client = config.stateClientConfig();
        if (client == null) {
            LOG.warn("No {} set: sent keys and threads are kept in memory only; a task restart may post again",
                    SlackSinkConfig.STATE_BOOTSTRAP_CONFIG);
            return new InMemoryDeliveryLedger(config.stateCacheMaxEntries());
        }
        return KafkaDeliveryLedger.open(config.stateTopic(), client, config.stateCacheMaxEntries());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
