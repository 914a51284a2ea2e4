package dev.shipstream.streams.query;

import dev.shipstream.schemas.Entity;
import dev.shipstream.schemas.ReviewOutcome;
import dev.shipstream.schemas.Source;
import dev.shipstream.schemas.keys.EntityKeys;
import dev.shipstream.streams.metrics.DurationSketch;
import dev.shipstream.streams.metrics.MetricBucket;
import dev.shipstream.streams.metrics.MetricName;
import dev.shipstream.streams.review.ReviewCycleProcessor;
import dev.shipstream.streams.review.ReviewCycles;
import dev.shipstream.streams.review.VersionHistory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.concurrent.Callable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The handlers of the review-cycle queries ({@code getVersionReviewCycles}, {@code listReviewCycles} in
 * {@code openapi.yaml}) and of the delivery-metric aggregates ({@code getAppReviewTimes}, {@code getMetric}),
 * answering from whichever instance holds the data.
 *
 * <p>One version: Kafka Streams says which instance's active task holds its key ({@code queryMetadataForKey}); this
 * instance reads it, or forwards the request to that instance's HTTP server. A range: every instance that hosts the
 * store ({@code streamsMetadataForStore}) is asked for its first page of rows, and the pages are merged. A request
 * forwarded by another instance carries {@value #FORWARDED_HEADER} and is answered from local data only, so a stale
 * view of who holds what can never make two instances forward to each other forever.
 *
 * <p>Aggregates fan out like a range, but instances exchange sketches ({@link MetricViews#encode}), which the instance
 * asked merges exactly before it computes any statistic: a percentile is never averaged.
 *
 * <p>Nothing is answered from part of the data: while Kafka Streams is not running, a partition is not active here
 * any more, or another instance does not answer, the answer is 503 with {@code Retry-After}. Store reads are
 * blocking and run on Vert.x worker threads, never on the event loop.
 */
public final class ReviewCycleApi {

    /** Marks a request forwarded by another instance: answer from local data, never forward again. */
    public static final String FORWARDED_HEADER = "X-Shipstream-Forwarded";
    /** The page size when the request names none. */
    public static final int DEFAULT_LIMIT = 1000;

    /** The {@code bucket} of the metrics routes that asks for the rolling 30 days ({@link RollingWindow}). */
    public static final String ROLLING_30 = "rolling30";

    private static final int FORWARD_TIMEOUT_MS = 10_000;

    private final Vertx vertx;
    private final String storeName;
    private final String sourceTopic;
    private final String metricsStore;
    private final String metricsSourceTopic;
    private final HttpClient peers;
    private final Clock clock;
    private volatile Attached attached;

    private record Attached(KafkaStreams streams, HostInfo self, LocalReviewCycles local, LocalMetrics metrics) {
    }

    /**
     * An API that answers 503 until {@link #attach} gives it the running client.
     *
     * @param vertx     runs the blocking reads and the peer client
     * @param storeName the review-history store
     * @param sourceTopic the topic whose partitions are the store's: an instance's metadata lists the partitions of
     *                    every topic it reads, and only these name a partition of the store
     */
    public ReviewCycleApi(Vertx vertx, String storeName, String sourceTopic) {
        this(vertx, storeName, sourceTopic, "none", "none");
    }

    /**
     * An API that also answers the delivery-metric aggregates, 503 until {@link #attach}.
     *
     * @param vertx              runs the blocking reads and the peer client
     * @param storeName          the review-history store
     * @param sourceTopic        the topic whose partitions are the review-history store's
     * @param metricsStore       the delivery-metrics store
     * @param metricsSourceTopic the topic whose partitions are the metrics store's: the repartition topic its
     *                           sub-topology reads, not the topics of the instance's other tasks
     */
    public ReviewCycleApi(Vertx vertx, String storeName, String sourceTopic, String metricsStore,
                          String metricsSourceTopic) {
        this(vertx, storeName, sourceTopic, metricsStore, metricsSourceTopic, Clock.systemUTC());
    }

    /**
     * An API that answers the delivery-metric aggregates with a clock of its own (the end of a rolling window that
     * names none is now), 503 until {@link #attach}.
     *
     * @param vertx              runs the blocking reads and the peer client
     * @param storeName          the review-history store
     * @param sourceTopic        the topic whose partitions are the review-history store's
     * @param metricsStore       the delivery-metrics store
     * @param metricsSourceTopic the topic whose partitions are the metrics store's
     * @param clock              tells now
     */
    public ReviewCycleApi(Vertx vertx, String storeName, String sourceTopic, String metricsStore,
                          String metricsSourceTopic, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.storeName = Objects.requireNonNull(storeName, "storeName");
        this.sourceTopic = Objects.requireNonNull(sourceTopic, "sourceTopic");
        this.metricsStore = Objects.requireNonNull(metricsStore, "metricsStore");
        this.metricsSourceTopic = Objects.requireNonNull(metricsSourceTopic, "metricsSourceTopic");
        this.peers = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(FORWARD_TIMEOUT_MS));
    }

    /**
     * Starts answering from a Kafka Streams client.
     *
     * @param streams the client (it may still be starting)
     * @param self    this instance's {@code application.server}, as the other instances see it
     */
    public void attach(KafkaStreams streams, HostInfo self) {
        this.attached = new Attached(streams, self, new LocalReviewCycles(streams, storeName),
                new LocalMetrics(streams, metricsStore));
    }

    /** {@code GET /api/v1/versions/{versionId}/review-cycles}. */
    public void version(RoutingContext ctx) {
        ValidatedRequest request = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
        String versionId = request.getPathParameters().get("versionId").getString();
        String key = EntityKeys.key(Source.APP_STORE_CONNECT,
                new Entity(ReviewCycleProcessor.VERSION_ENTITY_TYPE, versionId));
        Attached on = attached;
        if (on == null) {
            Problems.unavailable(ctx, "Kafka Streams is starting");
            return;
        }
        boolean forwarded = ctx.request().getHeader(FORWARDED_HEADER) != null;
        blocking(() -> {
            KeyQueryMetadata owner = on.streams().queryMetadataForKey(storeName, key, Serdes.String().serializer());
            if (owner == null || owner.activeHost() == null || owner.partition() < 0
                    || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
                throw new NotQueryableException("no instance holds " + key + " now");
            }
            if (on.self().equals(owner.activeHost())) {
                return new KeyAnswer(on.local().history(key, owner.partition()), null);
            }
            if (forwarded) {
                throw new NotQueryableException(key + " is held by " + owner.activeHost() + ", not here any more");
            }
            return new KeyAnswer(null, owner.activeHost());
        }).onSuccess(answer -> {
            if (answer.owner() != null) {
                relay(ctx, forward(answer.owner(), ctx.request().uri(), "application/json"));
            } else if (answer.history().isEmpty()) {
                Problems.notFound(ctx, "no App Store version " + versionId + " was seen");
            } else {
                VersionHistory history = answer.history().get();
                json(ctx, ReviewCycleViews.version(history, ReviewCycles.of(history.changes())));
            }
        }).onFailure(ctx::fail);
    }

    /** {@code GET /api/v1/review-cycles}. */
    public void list(RoutingContext ctx) {
        ValidatedRequest request = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
        Map<String, RequestParameter> query = request.getQuery();
        CycleFilter filter;
        try {
            filter = filterOf(query);
        } catch (BadParameter e) {
            Problems.badParameter(ctx, e.parameter, e.getMessage());
            return;
        }
        boolean csv = wantsCsv(ctx, query);
        Attached on = attached;
        if (on == null) {
            Problems.unavailable(ctx, "Kafka Streams is starting");
            return;
        }
        if (ctx.request().getHeader(FORWARDED_HEADER) != null) {
            blocking(() -> on.local().rows(filter, localPartitions(on)))
                    .onSuccess(rows -> json(ctx, new JsonObject().put("cycles", new JsonArray(rows))))
                    .onFailure(ctx::fail);
            return;
        }
        instancesHosting(on, storeName).compose(instances -> gather(on, filter, instances, ctx.request().uri()))
                .onSuccess(rows -> page(ctx, filter, rows, csv))
                .onFailure(ctx::fail);
    }

    /** The instances hosting a store, asked only while Kafka Streams runs (else 503, never a partial answer). */
    private Future<List<StreamsMetadata>> instancesHosting(Attached on, String store) {
        return blocking(() -> {
            if (on.streams().state() != KafkaStreams.State.RUNNING) {
                throw new NotQueryableException("Kafka Streams is not running, it is " + on.streams().state());
            }
            return List.copyOf(on.streams().streamsMetadataForStore(store));
        });
    }

    /** {@code GET /api/v1/apps/{appId}/review-times}: the three review metrics of one app. */
    public void reviewTimes(RoutingContext ctx) {
        ValidatedRequest request = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
        String appId = request.getPathParameters().get("appId").getString();
        aggregates(ctx, List.of(MetricName.REVIEW_WAIT, MetricName.REVIEW_TIME, MetricName.REVIEW_TOTAL), appId);
    }

    /** {@code GET /api/v1/metrics/{metric}}. */
    public void metric(RoutingContext ctx) {
        ValidatedRequest request = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
        String metric = request.getPathParameters().get("metric").getString();
        MetricName name;
        try {
            name = MetricName.valueOf(metric);
        } catch (IllegalArgumentException e) {
            Problems.badParameter(ctx, "metric", "metric must be one of " + List.of(MetricName.values())
                    + "; got " + metric);
            return;
        }
        aggregates(ctx, List.of(name), text(request.getQuery(), "app"));
    }

    private void aggregates(RoutingContext ctx, List<MetricName> metrics, String app) {
        ValidatedRequest request = ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
        Map<String, RequestParameter> query = request.getQuery();
        MetricFilter filter;
        RollingWindow window = null;
        String uri = ctx.request().uri();
        try {
            String bucket = text(query, "bucket");
            if (ROLLING_30.equals(bucket)) {
                if (text(query, "from") != null) {
                    throw new BadParameter("from", "from is not used with bucket=" + ROLLING_30
                            + ": the window is the " + RollingWindow.DAYS + " UTC days before to");
                }
                long to;
                if (text(query, "to") == null) {
                    to = clock.millis();
                    // Every instance must merge the same days, also across midnight: the forwarded query names to.
                    uri = uri + (uri.contains("?") ? "&" : "?") + "to=" + Instant.ofEpochMilli(to);
                } else {
                    to = time(query, "to");
                }
                window = RollingWindow.endingBefore(to);
                filter = new MetricFilter(metrics, MetricBucket.DAY, window.from(), window.to(), app,
                        text(query, "platform"));
            } else {
                long from = time(query, "from");
                long to = time(query, "to");
                if (to <= from) {
                    throw new BadParameter("to", "to must be after from");
                }
                filter = new MetricFilter(metrics, bucket == null ? MetricBucket.DAY
                        : MetricBucket.valueOf(bucket.toUpperCase(Locale.ROOT)), from, to, app,
                        text(query, "platform"));
            }
        } catch (BadParameter e) {
            Problems.badParameter(ctx, e.parameter, e.getMessage());
            return;
        }
        boolean csv = wantsCsv(ctx, query);
        Attached on = attached;
        if (on == null) {
            Problems.unavailable(ctx, "Kafka Streams is starting");
            return;
        }
        if (ctx.request().getHeader(FORWARDED_HEADER) != null) {
            // Day sketches, even for a rolling window: the instance asked merges every instance's days at once.
            blocking(() -> on.metrics().sketches(filter, localPartitions(on, metricsStore, metricsSourceTopic)))
                    .onSuccess(sketches -> json(ctx, new JsonObject().put("sketches", MetricViews.encode(sketches))))
                    .onFailure(ctx::fail);
            return;
        }
        RollingWindow rolling = window;
        String forwardedUri = uri;
        instancesHosting(on, metricsStore).compose(instances -> gatherSketches(on, filter, instances, forwardedUri))
                .onSuccess(sketches -> {
                    List<JsonObject> rows = MetricViews.rows(rolling == null ? sketches
                            : MetricViews.rolled(sketches, rolling));
                    ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
                    if (csv) {
                        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/csv; charset=utf-8; header=present")
                                .end(MetricViews.csv(rows));
                    } else {
                        json(ctx, new JsonObject().put("rows", new JsonArray(new ArrayList<>(rows))));
                    }
                })
                .onFailure(ctx::fail);
    }

    /** Every instance's sketches, merged key by key (HdrHistogram adds exactly), or a failure if one is missing. */
    private Future<Map<String, DurationSketch>> gatherSketches(Attached on, MetricFilter filter,
                                                               List<StreamsMetadata> instances, String uri) {
        if (instances.isEmpty()) {
            return Future.failedFuture(new NotQueryableException("no instance hosts " + metricsStore + " now"));
        }
        List<Future<Map<String, DurationSketch>>> parts = new ArrayList<>();
        for (StreamsMetadata instance : instances) {
            if (instance.hostInfo().equals(on.self())) {
                Set<Integer> partitions = partitionsOf(instance, metricsSourceTopic);
                parts.add(blocking(() -> on.metrics().sketches(filter, partitions)));
            } else {
                parts.add(forward(instance.hostInfo(), uri, "application/json").compose(answer -> {
                    if (answer.status() != 200) {
                        return Future.failedFuture(new NotQueryableException("instance " + instance.hostInfo()
                                + " answered " + answer.status()));
                    }
                    Map<String, DurationSketch> sketches = new HashMap<>();
                    MetricViews.mergeEncoded(new JsonObject(answer.body()).getJsonObject("sketches"), sketches);
                    return Future.succeededFuture(sketches);
                }));
            }
        }
        return Future.all(parts).map(all -> {
            Map<String, DurationSketch> merged = new HashMap<>();
            for (int i = 0; i < parts.size(); i++) {
                all.<Map<String, DurationSketch>>resultAt(i).forEach((key, sketch) ->
                        MetricViews.merge(merged, key, sketch));
            }
            return merged;
        });
    }

    private static boolean wantsCsv(RoutingContext ctx, Map<String, RequestParameter> query) {
        String format = text(query, "format");
        String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
        return "csv".equals(format) || (format == null && accept != null && accept.contains("text/csv"));
    }

    private Future<List<JsonObject>> gather(Attached on, CycleFilter filter, List<StreamsMetadata> instances,
                                            String uri) {
        if (instances.isEmpty()) {
            return Future.failedFuture(new NotQueryableException("no instance hosts " + storeName + " now"));
        }
        List<Future<List<JsonObject>>> parts = new ArrayList<>();
        for (StreamsMetadata instance : instances) {
            if (instance.hostInfo().equals(on.self())) {
                Set<Integer> partitions = partitionsOf(instance);
                parts.add(blocking(() -> on.local().rows(filter, partitions)));
            } else {
                parts.add(forward(instance.hostInfo(), uri, "application/json").compose(answer -> {
                    if (answer.status() != 200) {
                        return Future.failedFuture(new NotQueryableException("instance " + instance.hostInfo()
                                + " answered " + answer.status()));
                    }
                    JsonArray rows = new JsonObject(answer.body()).getJsonArray("cycles");
                    List<JsonObject> list = new ArrayList<>(rows.size());
                    rows.forEach(row -> list.add((JsonObject) row));
                    return Future.succeededFuture(list);
                }));
            }
        }
        return Future.all(parts).map(all -> {
            List<JsonObject> merged = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                merged.addAll(all.<List<JsonObject>>resultAt(i));
            }
            merged.sort(ReviewCycleViews.LISTING_ORDER);
            return merged;
        });
    }

    /**
     * Runs a read on a worker thread. Kafka Streams' discovery throws {@code IllegalStateException} (and its
     * {@code StreamsNotStartedException}) while it is not running, and store access {@code InvalidStateStoreException}
     * while a store moves: all mean "ask again later", never a server error.
     */
    private <T> Future<T> blocking(Callable<T> read) {
        return vertx.executeBlocking(() -> {
            try {
                return read.call();
            } catch (IllegalStateException | InvalidStateStoreException e) {
                throw new NotQueryableException("Kafka Streams is not running or its stores are moving: "
                        + e.getMessage(), e);
            }
        }, false);
    }

    private static void page(RoutingContext ctx, CycleFilter filter, List<JsonObject> rows, boolean csv) {
        boolean more = rows.size() > filter.limit();
        List<JsonObject> page = more ? rows.subList(0, filter.limit()) : rows;
        String next = more ? CycleFilter.Position.of(page.get(page.size() - 1)).cursor() : null;
        if (next != null) {
            ctx.response().putHeader("Link", "<" + nextUri(ctx, next) + ">; rel=\"next\"");
        }
        ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        if (csv) {
            StringBuilder body = new StringBuilder(ReviewCycleViews.csvHeader());
            page.forEach(row -> body.append(ReviewCycleViews.csv(row)));
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/csv; charset=utf-8; header=present")
                    .end(body.toString());
        } else {
            json(ctx, new JsonObject().put("cycles", new JsonArray(new ArrayList<>(page))).put("nextCursor", next));
        }
    }

    private static String nextUri(RoutingContext ctx, String cursor) {
        String query = ctx.request().query() == null ? "" : ctx.request().query();
        String kept = java.util.Arrays.stream(query.split("&"))
                .filter(part -> !part.isEmpty() && !part.startsWith("cursor="))
                .collect(Collectors.joining("&"));
        return ctx.request().path() + "?" + (kept.isEmpty() ? "" : kept + "&") + "cursor=" + cursor;
    }

    private static CycleFilter filterOf(Map<String, RequestParameter> query) {
        long from = time(query, "from");
        long to = time(query, "to");
        if (to <= from) {
            throw new BadParameter("to", "to must be after from");
        }
        String outcome = text(query, "outcome");
        String cursor = text(query, "cursor");
        CycleFilter.Position after = null;
        if (cursor != null) {
            try {
                after = CycleFilter.Position.parse(cursor);
            } catch (IllegalArgumentException e) {
                throw new BadParameter("cursor", "cursor is not one this API gave: " + e.getMessage());
            }
        }
        RequestParameter limit = query.get("limit");
        return new CycleFilter(text(query, "app"), text(query, "platform"),
                outcome == null ? null : ReviewOutcome.valueOf(outcome), from, to, after,
                limit == null || limit.isNull() ? DEFAULT_LIMIT : limit.getInteger());
    }

    private static long time(Map<String, RequestParameter> query, String name) {
        String value = text(query, name);
        if (value == null) {
            throw new BadParameter(name, name + " is required");
        }
        try {
            return OffsetDateTime.parse(value).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new BadParameter(name, name + " must be an ISO-8601 date-time with an offset, e.g. "
                    + "2025-12-01T00:00:00Z; got " + value);
        }
    }

    private static String text(Map<String, RequestParameter> query, String name) {
        RequestParameter parameter = query.get(name);
        return parameter == null || parameter.isNull() ? null : parameter.getString();
    }

    private Set<Integer> localPartitions(Attached on) {
        return localPartitions(on, storeName, sourceTopic);
    }

    private static Set<Integer> localPartitions(Attached on, String store, String topic) {
        for (StreamsMetadata instance : on.streams().streamsMetadataForStore(store)) {
            if (instance.hostInfo().equals(on.self())) {
                return partitionsOf(instance, topic);
            }
        }
        return Set.of();
    }

    private Set<Integer> partitionsOf(StreamsMetadata instance) {
        return partitionsOf(instance, sourceTopic);
    }

    private static Set<Integer> partitionsOf(StreamsMetadata instance, String topic) {
        return instance.topicPartitions().stream().filter(tp -> tp.topic().equals(topic))
                .map(tp -> tp.partition()).collect(Collectors.toUnmodifiableSet());
    }

    private Future<Forwarded> forward(HostInfo owner, String uri, String accept) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(owner.host())
                .setPort(owner.port()).setURI(uri).setIdleTimeout(FORWARD_TIMEOUT_MS)
                .putHeader(FORWARDED_HEADER, "1").putHeader(HttpHeaders.ACCEPT, accept);
        return peers.request(options)
                .compose(request -> request.send())
                .compose(response -> response.body().map(body -> new Forwarded(response.statusCode(),
                        response.getHeader(HttpHeaders.CONTENT_TYPE), response.getHeader(HttpHeaders.RETRY_AFTER),
                        body)))
                .recover(e -> Future.failedFuture(new NotQueryableException("instance " + owner
                        + " did not answer: " + e.getMessage(), e)));
    }

    private static void relay(RoutingContext ctx, Future<Forwarded> forwarded) {
        forwarded.onSuccess(answer -> {
            ctx.response().setStatusCode(answer.status());
            if (answer.contentType() != null) {
                ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, answer.contentType());
            }
            if (answer.retryAfter() != null) {
                ctx.response().putHeader(HttpHeaders.RETRY_AFTER, answer.retryAfter());
            }
            ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(answer.body());
        }).onFailure(ctx::fail);
    }

    private static void json(RoutingContext ctx, JsonObject body) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(body.encode());
    }

    private record KeyAnswer(Optional<VersionHistory> history, HostInfo owner) {
    }

    private record Forwarded(int status, String contentType, String retryAfter, Buffer body) {
    }

    private static final class BadParameter extends RuntimeException {
        private final String parameter;

        BadParameter(String parameter, String message) {
            super(message);
            this.parameter = parameter;
        }
    }
}
