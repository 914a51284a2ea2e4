package dev.shipstream.streams.query;

import dev.shipstream.streams.metrics.DurationSketch;
import dev.shipstream.streams.metrics.MetricKey;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the query API merges and writes delivery-metric aggregates. Instances exchange sketches, not statistics: a
 * percentile of merged HdrHistograms is exact to their precision, an average of percentiles is not a percentile.
 * Pure; rows are ordered by bucket start, metric, app, platform. Durations in milliseconds, null when nothing was
 * measured (an empty CSV field).
 */
public final class MetricViews {

    /** The CSV columns, in order; also the header row and the JSON fields of a row. */
    public static final List<String> CSV_COLUMNS = List.of("bucketStart", "metric", "app", "platform", "count",
            "measured", "minMs", "p50Ms", "p90Ms", "p95Ms", "maxMs", "meanMs");

    private static final Comparator<MetricKey> ROW_ORDER = Comparator.comparingLong(MetricKey::bucketStart)
            .thenComparing(key -> key.metric().name())
            .thenComparing(MetricKey::appId, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(MetricKey::platform, Comparator.nullsFirst(Comparator.naturalOrder()));

    private MetricViews() {
    }

    /** Sketches by key text, as one instance sends them to another: {@code {"<key>": "<base64 sketch>"}}. */
    public static JsonObject encode(Map<String, DurationSketch> sketches) {
        JsonObject json = new JsonObject();
        sketches.forEach((key, sketch) -> json.put(key, Base64.getEncoder().encodeToString(sketch.toBytes())));
        return json;
    }

    /** Reads {@link #encode} and merges it into {@code into}, key by key. */
    public static void mergeEncoded(JsonObject encoded, Map<String, DurationSketch> into) {
        encoded.forEach(entry -> merge(into, entry.getKey(),
                DurationSketch.fromBytes(Base64.getDecoder().decode((String) entry.getValue()))));
    }

    /** Merges one sketch into {@code into} under its key; the sketch in the map is a copy, never {@code sketch}. */
    public static void merge(Map<String, DurationSketch> into, String key, DurationSketch sketch) {
        into.computeIfAbsent(key, k -> DurationSketch.empty()).merge(sketch);
    }

    /**
     * The sketches of a {@link RollingWindow}'s day buckets merged per metric, app and platform into one sketch each,
     * keyed as a bucket starting at the window's start. Exact: HdrHistograms add, and no statistic is computed
     * before.
     *
     * @param days   day sketches by key text, every one inside the window
     * @param window the window
     * @return the merged sketches by key text
     */
    public static Map<String, DurationSketch> rolled(Map<String, DurationSketch> days, RollingWindow window) {
        Map<String, DurationSketch> rolled = new HashMap<>();
        days.forEach((text, sketch) -> {
            MetricKey day = MetricKey.parse(text);
            if (day.bucketStart() < window.from() || day.bucketStart() >= window.to()) {
                throw new IllegalArgumentException(text + " is outside the window " + window);
            }
            merge(rolled, new MetricKey(day.metric(), day.bucket(), window.from(), day.platform(), day.appId())
                    .text(), sketch);
        });
        return rolled;
    }

    /** The rows of merged sketches, in row order. */
    public static List<JsonObject> rows(Map<String, DurationSketch> sketches) {
        TreeMap<MetricKey, DurationSketch> ordered = new TreeMap<>(ROW_ORDER);
        sketches.forEach((key, sketch) -> ordered.put(MetricKey.parse(key), sketch));
        List<JsonObject> rows = new ArrayList<>(ordered.size());
        ordered.forEach((key, sketch) -> rows.add(row(key, sketch)));
        return rows;
    }

    /** One row. */
    public static JsonObject row(MetricKey key, DurationSketch sketch) {
        return new JsonObject()
                .put("bucketStart", ReviewCycleViews.time(key.bucketStart()))
                .put("metric", key.metric().name())
                .put("app", key.appId())
                .put("platform", key.platform())
                .put("count", sketch.count())
                .put("measured", sketch.measured())
                .put("minMs", sketch.minMs())
                .put("p50Ms", sketch.percentileMs(50))
                .put("p90Ms", sketch.percentileMs(90))
                .put("p95Ms", sketch.percentileMs(95))
                .put("maxMs", sketch.maxMs())
                .put("meanMs", sketch.meanMs());
    }

    /** The CSV of rows (RFC 4180), header record first. */
    public static String csv(List<JsonObject> rows) {
        StringBuilder body = new StringBuilder(String.join(",", CSV_COLUMNS)).append("\r\n");
        for (JsonObject row : rows) {
            for (int i = 0; i < CSV_COLUMNS.size(); i++) {
                if (i > 0) {
                    body.append(',');
                }
                Object value = row.getValue(CSV_COLUMNS.get(i));
                if (value instanceof Double mean) {
                    // Double.toString writes 6.7977606E7 from 10^7 on, which spreadsheets may read as text.
                    value = BigDecimal.valueOf(mean).toPlainString();
                }
                body.append(value == null ? "" : field(value.toString()));
            }
            body.append("\r\n");
        }
        return body.toString();
    }

    private static String field(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
