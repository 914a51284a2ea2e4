package dev.shipstream.connect.common;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.Max;

/**
 * Per-rule metrics of a sink task through Connect's {@link PluginMetrics} (Kafka 4.1+), so they appear in the
 * worker's JMX and metrics reporters under the task's own tags plus {@code rule=<name>}: {@code sent-total},
 * {@code skipped-total} (a rule did not match or the key was already sent), {@code retried-total},
 * {@code dead-lettered-total}, and {@code latency-avg-ms} / {@code latency-max-ms} from the event's time to the
 * target's answer. On an older worker without plugin metrics every call is a no-op.
 */
public final class SinkMetrics {

    private static final AtomicLong INSTANCES = new AtomicLong();

    private final PluginMetrics metrics;
    private final String sensorPrefix;
    private final Map<String, Sensor> sensors = new LinkedHashMap<>();

    private SinkMetrics(PluginMetrics metrics, String sensorPrefix) {
        this.metrics = metrics;
        this.sensorPrefix = sensorPrefix;
    }

    /**
     * Metrics through {@code metrics}, or no-ops when it is null. Sensor names live in the worker's one metrics
     * registry, so each task's are made unique (connector name plus an instance number): two tasks, or two
     * connectors with a rule of the same name, must not record into each other's sensors.
     */
    public static SinkMetrics of(PluginMetrics metrics, String connectorName) {
        return new SinkMetrics(metrics, "shipstream-" + connectorName + "-" + INSTANCES.incrementAndGet() + "-");
    }

    public void sent(String rule, long latencyMillis) {
        record(rule, "sent", latencyMillis);
    }

    public void skipped(String rule) {
        record(rule, "skipped", null);
    }

    public void retried(String rule) {
        record(rule, "retried", null);
    }

    public void deadLettered(String rule) {
        record(rule, "dead-lettered", null);
    }

    private void record(String rule, String what, Long latencyMillis) {
        if (metrics == null) {
            return;
        }
        sensor(rule, what).record(1);
        if (latencyMillis != null) {
            sensor(rule, "latency").record(latencyMillis);
        }
    }

    private Sensor sensor(String rule, String what) {
        // Bounded: one sensor per (configured rule, kind); rules are fixed for the task's life.
        return sensors.computeIfAbsent(rule + "/" + what, key -> {
            Sensor sensor = metrics.addSensor(sensorPrefix + what + "-" + rule);
            LinkedHashMap<String, String> tags = new LinkedHashMap<>();
            tags.put("rule", rule);
            if (what.equals("latency")) {
                sensor.add(metrics.metricName("latency-avg-ms", "Average ms from event time to delivery", tags),
                        new Avg());
                sensor.add(metrics.metricName("latency-max-ms", "Maximum ms from event time to delivery", tags),
                        new Max());
            } else {
                sensor.add(metrics.metricName(what + "-total", "Events " + what + " by this rule", tags),
                        new CumulativeCount());
            }
            return sensor;
        });
    }
}
