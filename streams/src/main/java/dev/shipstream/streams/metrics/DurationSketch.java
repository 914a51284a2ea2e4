package dev.shipstream.streams.metrics;

import org.HdrHistogram.Histogram;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.zip.DataFormatException;

/**
 * The mergeable summary of one metric over one bucket (an app, a platform, a day or a week): how many measurements,
 * their outcomes, and the distribution of the durations that were observed.
 *
 * <p>The distribution is an HdrHistogram ({@code org.HdrHistogram.Histogram}, 1 ms to {@link #HIGHEST_TRACKABLE_MS},
 * {@value #SIGNIFICANT_DIGITS} significant digits). HdrHistogram rather than t-digest because its merge is exact:
 * adding two histograms gives the histogram of all their values, whatever the order, so the same answer comes from
 * one instance or many, from one week or seven days merged; t-digest merges are approximate and depend on the merge
 * order. A percentile is within 0.1% of the exact nearest-rank value (never below it), and is capped at the exact
 * maximum. Count, sum (so the mean), minimum and maximum are kept exactly beside the histogram. A duration above
 * {@link #HIGHEST_TRACKABLE_MS} (90 days) enters the histogram as 90 days; minimum, maximum and mean keep its real
 * value.
 *
 * <p>Not thread-safe; a processor uses one instance at a time. {@link #serde()} is the store and wire form.
 */
public final class DurationSketch {

    /** The longest duration the histogram tells apart: 90 days, longer than any review or build. */
    public static final long HIGHEST_TRACKABLE_MS = 90L * 24 * 3_600_000L;
    /** Significant decimal digits of the histogram: values within 0.1%. */
    public static final int SIGNIFICANT_DIGITS = 3;
    /** The most distinct outcomes kept; further ones count as {@link #OTHER_OUTCOME}. Providers have a handful. */
    public static final int MAX_OUTCOMES = 32;
    /** The outcome that stands for outcomes beyond {@link #MAX_OUTCOMES}. */
    public static final String OTHER_OUTCOME = "OTHER";

    private long count;
    private final TreeMap<String, Long> outcomes;
    private long sumMs;
    private long minMs;
    private long maxMs;
    private final Histogram histogram;
    // The compressed encoding of the histogram as it is now, or null after a change: the store's bytes and the
    // topic record's histogram are the same encoding, made once per write of the bucket instead of twice.
    private byte[] encoded;
    // p50, p90, p95 as they are now, or null after a change: asked for by the topic record and by query rows.
    private long[] standardPercentiles;

    private DurationSketch(long count, TreeMap<String, Long> outcomes, long sumMs, long minMs, long maxMs,
                           Histogram histogram) {
        this.count = count;
        this.outcomes = outcomes;
        this.sumMs = sumMs;
        this.minMs = minMs;
        this.maxMs = maxMs;
        this.histogram = histogram;
    }

    /** An empty sketch. */
    public static DurationSketch empty() {
        return new DurationSketch(0, new TreeMap<>(), 0, Long.MAX_VALUE, Long.MIN_VALUE, newHistogram());
    }

    private static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_TRACKABLE_MS, SIGNIFICANT_DIGITS);
    }

    /** Adds a measurement: its outcome always, its duration when observed. */
    public DurationSketch add(Measurement measurement) {
        count++;
        countOutcome(measurement.outcome(), 1);
        Long duration = measurement.durationMs();
        if (duration != null) {
            sumMs = Math.addExact(sumMs, duration);
            minMs = Math.min(minMs, duration);
            maxMs = Math.max(maxMs, duration);
            histogram.recordValue(Math.min(duration, HIGHEST_TRACKABLE_MS));
            changed();
        }
        return this;
    }

    /** Adds everything another sketch holds; the result is the sketch of both sets of measurements. */
    public DurationSketch merge(DurationSketch other) {
        count += other.count;
        other.outcomes.forEach((outcome, n) -> countOutcome(outcome, n));
        sumMs = Math.addExact(sumMs, other.sumMs);
        minMs = Math.min(minMs, other.minMs);
        maxMs = Math.max(maxMs, other.maxMs);
        histogram.add(other.histogram);
        changed();
        return this;
    }

    private void changed() {
        encoded = null;
        standardPercentiles = null;
    }

    private void countOutcome(String outcome, long n) {
        String key = outcomes.containsKey(outcome) || outcomes.size() < MAX_OUTCOMES ? outcome : OTHER_OUTCOME;
        outcomes.merge(key, n, Long::sum);
    }

    /** How many measurements, with or without a duration. */
    public long count() {
        return count;
    }

    /** How many measurements had an observed duration. */
    public long measured() {
        return histogram.getTotalCount();
    }

    /** The measurements per outcome. */
    public Map<String, Long> outcomes() {
        return Map.copyOf(outcomes);
    }

    /** The shortest observed duration, or null when none was observed. */
    public Long minMs() {
        return measured() == 0 ? null : minMs;
    }

    /** The longest observed duration, or null when none was observed. */
    public Long maxMs() {
        return measured() == 0 ? null : maxMs;
    }

    /** The exact mean of the observed durations, or null when none was observed. */
    public Double meanMs() {
        return measured() == 0 ? null : (double) sumMs / measured();
    }

    /** The exact sum of the observed durations. */
    public long sumMs() {
        return sumMs;
    }

    /**
     * The nearest-rank percentile of the observed durations: at least the exact value, at most 0.1% above it, never
     * above the maximum; null when none was observed.
     *
     * @param percentile in (0, 100]
     */
    public Long percentileMs(double percentile) {
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + percentile);
        }
        if (measured() == 0) {
            return null;
        }
        int standard = STANDARD_PERCENTILES.indexOf(percentile);
        long value = standard < 0 ? histogram.getValueAtPercentile(percentile) : standardPercentiles()[standard];
        return Math.max(minMs, Math.min(maxMs, value));
    }

    /** The percentiles every record and row shows. */
    private static final List<Double> STANDARD_PERCENTILES = List.of(50.0, 90.0, 95.0);

    /**
     * {@link Histogram#getValueAtPercentile} of each of {@link #STANDARD_PERCENTILES}, kept until the next change.
     * Each call walks the counts from the start (HdrHistogram's own loop over its array); its public iterator, which
     * could find all three in one walk, took 67 % of the stream thread in the analytics benchmark's profile against
     * 18 % for the three loops.
     */
    private long[] standardPercentiles() {
        if (standardPercentiles == null) {
            long[] values = new long[STANDARD_PERCENTILES.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = histogram.getValueAtPercentile(STANDARD_PERCENTILES.get(i));
            }
            standardPercentiles = values;
        }
        return standardPercentiles;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DurationSketch other && count == other.count && sumMs == other.sumMs
                && minMs == other.minMs && maxMs == other.maxMs && outcomes.equals(other.outcomes)
                && histogram.equals(other.histogram);
    }

    @Override
    public int hashCode() {
        return Objects.hash(count, sumMs, minMs, maxMs, outcomes, histogram.getTotalCount());
    }

    @Override
    public String toString() {
        return "DurationSketch[count=" + count + ", measured=" + measured() + ", outcomes=" + outcomes + "]";
    }

    /** The largest serialized histogram read back; an honest one at 90 days and 3 digits is a few KiB. */
    static final int MAX_HISTOGRAM_BYTES = 1 << 20;
    private static final byte FORMAT_VERSION = 1;

    /**
     * The store and wire form: a version byte, count, sum, minimum, maximum, the outcomes, then the histogram in
     * HdrHistogram's compressed encoding. Reading refuses more outcomes than {@link #MAX_OUTCOMES} (plus
     * {@link #OTHER_OUTCOME}) and a histogram larger than 1 MiB, so a corrupt length cannot allocate without bound.
     */
    public static Serde<DurationSketch> serde() {
        return Serdes.serdeFrom(new SketchSerializer(), new SketchDeserializer());
    }

    /** The histogram alone, in HdrHistogram's compressed encoding (the {@code DeliveryMetric.histogram} field). */
    public byte[] histogramBytes() {
        return compressed().clone();
    }

    private byte[] compressed() {
        if (encoded == null) {
            ByteBuffer buffer = ENCODING_BUFFER.get();
            buffer.clear();
            int length = histogram.encodeIntoCompressedByteBuffer(buffer);
            encoded = Arrays.copyOf(buffer.array(), length);
        }
        return encoded;
    }

    /**
     * Room for the largest encoding of a histogram of the fixed range, one per thread (stream threads, query
     * workers): every change is encoded once, and a fresh ~200 KB buffer each time was most of what the stream thread
     * allocated.
     */
    private static final ThreadLocal<ByteBuffer> ENCODING_BUFFER = ThreadLocal.withInitial(() ->
            ByteBuffer.allocate(newHistogram().getNeededByteBufferCapacity()));

    /** {@link #serde()}'s bytes of this sketch. */
    public byte[] toBytes() {
        try {
            byte[] histogramBytes = compressed();
            int length = histogramBytes.length;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 24 * outcomes.size() + length);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT_VERSION);
            out.writeLong(count);
            out.writeLong(sumMs);
            out.writeLong(minMs);
            out.writeLong(maxMs);
            out.writeInt(outcomes.size());
            for (Map.Entry<String, Long> entry : outcomes.entrySet()) {
                out.writeUTF(entry.getKey());
                out.writeLong(entry.getValue());
            }
            out.writeInt(length);
            out.write(histogramBytes, 0, length);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new SerializationException("Cannot write a duration sketch", e);
        }
    }

    /** Reads {@link #toBytes()}. */
    public static DurationSketch fromBytes(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte format = in.readByte();
            if (format != FORMAT_VERSION) {
                throw new SerializationException("Unknown duration sketch format " + format);
            }
            long count = in.readLong();
            long sum = in.readLong();
            long min = in.readLong();
            long max = in.readLong();
            int outcomeCount = in.readInt();
            if (outcomeCount < 0 || outcomeCount > MAX_OUTCOMES + 1) {
                throw new SerializationException("A duration sketch with " + outcomeCount + " outcomes, at most "
                        + (MAX_OUTCOMES + 1) + " allowed");
            }
            TreeMap<String, Long> outcomes = new TreeMap<>();
            for (int i = 0; i < outcomeCount; i++) {
                outcomes.put(in.readUTF(), in.readLong());
            }
            int length = in.readInt();
            if (length < 0 || length > MAX_HISTOGRAM_BYTES) {
                throw new SerializationException("A duration histogram of " + length + " bytes, at most "
                        + MAX_HISTOGRAM_BYTES + " allowed");
            }
            byte[] encoded = in.readNBytes(length);
            if (encoded.length != length) {
                throw new SerializationException("A duration histogram cut short");
            }
            Histogram decoded = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(encoded), 0);
            // Merging into a histogram of the fixed range keeps every stored sketch mergeable with every other.
            Histogram histogram = newHistogram();
            histogram.add(decoded);
            DurationSketch sketch = new DurationSketch(count, outcomes, sum, min, max, histogram);
            if (decoded.getLowestDiscernibleValue() == 1 && decoded.getHighestTrackableValue() == HIGHEST_TRACKABLE_MS
                    && decoded.getNumberOfSignificantValueDigits() == SIGNIFICANT_DIGITS) {
                // Read back unchanged: its encoding is the one just read.
                sketch.encoded = encoded;
            }
            return sketch;
        } catch (IOException | DataFormatException | ArrayIndexOutOfBoundsException e) {
            throw new SerializationException("Cannot read a duration sketch", e);
        }
    }

    private static final class SketchSerializer implements Serializer<DurationSketch> {
        @Override
        public byte[] serialize(String topic, DurationSketch value) {
            return value == null ? null : value.toBytes();
        }
    }

    private static final class SketchDeserializer implements Deserializer<DurationSketch> {
        @Override
        public DurationSketch deserialize(String topic, byte[] data) {
            return data == null ? null : fromBytes(data);
        }
    }
}
