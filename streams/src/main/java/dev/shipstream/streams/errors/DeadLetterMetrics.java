package dev.shipstream.streams.errors;

import dev.shipstream.schemas.DeadLetterReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Counts dead letters by reason on a Micrometer registry, as {@value #NAME}{@code {reason="..."}}.
 *
 * <p>Every reason's counter is registered up front, so a dashboard sees a zero rather than a missing series before
 * the first failure. Thread-safe: the stream threads and the exception handlers share one instance.
 */
public final class DeadLetterMetrics {

    /** The meter name; Prometheus renders it as {@code shipstream_streams_deadletters_total}. */
    public static final String NAME = "shipstream.streams.deadletters";

    private final Map<DeadLetterReason, Counter> counters = new EnumMap<>(DeadLetterReason.class);

    /**
     * Registers one counter per reason.
     *
     * @param registry where the counters live
     */
    public DeadLetterMetrics(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            counters.put(reason, Counter.builder(NAME)
                    .description("Records written to the dead-letter topic, by reason")
                    .tag("reason", reason.name())
                    .register(registry));
        }
    }

    /**
     * Counts one dead letter.
     *
     * @param reason why the record was dead-lettered
     */
    public void increment(DeadLetterReason reason) {
        counters.get(Objects.requireNonNull(reason, "reason")).increment();
    }

    /**
     * The number counted so far.
     *
     * @param reason a reason
     * @return how many dead letters of that reason were counted
     */
    public long count(DeadLetterReason reason) {
        return (long) counters.get(reason).count();
    }
}
