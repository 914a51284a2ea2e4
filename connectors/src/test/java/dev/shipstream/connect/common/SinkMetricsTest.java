package dev.shipstream.connect.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Map;

import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.junit.jupiter.api.Test;

class SinkMetricsTest {

    private static double value(Metrics registry, String connector, String rule, String name) {
        return registry.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name))
                .filter(e -> connector.equals(e.getKey().tags().get("connector"))
                        && rule.equals(e.getKey().tags().get("rule")))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .findFirst().orElseThrow();
    }

    @Test
    void twoConnectorsWithARuleOfTheSameNameCountApart() {
        try (Metrics registry = new Metrics()) {
            SinkMetrics first = SinkMetrics.of(new PluginMetricsImpl(registry, Map.of("connector", "a")), "a");
            SinkMetrics second = SinkMetrics.of(new PluginMetricsImpl(registry, Map.of("connector", "b")), "b");
            first.sent("failed", 120);
            first.sent("failed", 80);
            second.skipped("failed");
            second.sent("failed", 10);

            assertThat(value(registry, "a", "failed", "sent-total")).isEqualTo(2.0);
            assertThat(value(registry, "b", "failed", "sent-total")).isEqualTo(1.0);
            assertThat(value(registry, "b", "failed", "skipped-total")).isEqualTo(1.0);
            assertThat(value(registry, "a", "failed", "latency-max-ms")).isEqualTo(120.0);
        }
    }

    @Test
    void withoutPluginMetricsEveryCallIsANoOp() {
        SinkMetrics none = SinkMetrics.of(null, "a");
        assertThatCode(() -> {
            none.sent("failed", 1);
            none.retried("failed");
            none.deadLettered("failed");
            none.skipped("failed");
        }).doesNotThrowAnyException();
    }
}
