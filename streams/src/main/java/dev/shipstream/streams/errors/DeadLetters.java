package dev.shipstream.streams.errors;

import dev.shipstream.schemas.DeadLetter;
import dev.shipstream.schemas.DeadLetterReason;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Makes {@link DeadLetter}s and, for the exception handlers, the producer records that carry them to the
 * dead-letter topic. Every dead letter made here is counted in {@link DeadLetterMetrics}, so none goes unnoticed.
 *
 * <p>Kafka instantiates exception handlers by class name, so the application hands them this object through the
 * Streams configuration under {@link #CONFIG}; {@link #fromConfigs(Map)} fetches it. Thread-safe.
 */
public final class DeadLetters {

    /** The Streams configuration key under which the application passes its instance to the handlers. */
    public static final String CONFIG = "shipstream.dead.letters";

    // Exception messages can be long (a stack of causes); a dead letter is for humans and holds the bytes anyway.
    private static final int MAX_MESSAGE_LENGTH = 1_000;

    private final String topic;
    private final String application;
    private final Serializer<DeadLetter> serializer;
    private final DeadLetterMetrics metrics;
    private final Clock clock;

    /**
     * @param topic       the dead-letter topic
     * @param application the Streams application id, recorded in every dead letter
     * @param serializer  serializes dead letters for {@link #producerRecord}; thread-safe
     * @param metrics     counts every dead letter
     * @param clock       gives {@code failedAt}
     */
    public DeadLetters(String topic, String application, Serializer<DeadLetter> serializer, DeadLetterMetrics metrics,
                       Clock clock) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.application = Objects.requireNonNull(application, "application");
        this.serializer = Objects.requireNonNull(serializer, "serializer");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The instance the application put into the handler configuration.
     *
     * @param configs what Kafka passes to {@code configure}
     * @return the instance under {@link #CONFIG}
     * @throws ConfigException if there is none
     */
    public static DeadLetters fromConfigs(Map<String, ?> configs) {
        Object value = configs.get(CONFIG);
        if (value instanceof DeadLetters deadLetters) {
            return deadLetters;
        }
        throw new ConfigException(CONFIG, value, "the Shipstream exception handlers need the application's "
                + DeadLetters.class.getName() + " instance under this key");
    }

    /** The dead-letter topic. */
    public String topic() {
        return topic;
    }

    /**
     * Makes a dead letter and counts it.
     *
     * @param failed  the record that failed
     * @param reason  why
     * @param message what went wrong, for humans
     * @param cause   the exception, or null
     * @return the dead letter, {@code failedAt} now
     */
    public DeadLetter letter(FailedRecord failed, DeadLetterReason reason, String message, Throwable cause) {
        return letter(failed, reason, message, cause, clock.millis());
    }

    /**
     * Makes a dead letter at a given time and counts it; processors pass their context's wall-clock time.
     *
     * @param failed       the record that failed
     * @param reason       why
     * @param message      what went wrong, for humans
     * @param cause        the exception, or null
     * @param failedAtMillis when the failure was detected
     * @return the dead letter
     */
    public DeadLetter letter(FailedRecord failed, DeadLetterReason reason, String message, Throwable cause,
                             long failedAtMillis) {
        DeadLetter letter = DeadLetter.newBuilder()
                .setTopic(failed.topic() == null ? "" : failed.topic())
                .setPartition(failed.partition())
                .setOffset(failed.offset())
                .setKey(failed.key() == null ? null : ByteBuffer.wrap(failed.key()))
                .setReason(reason)
                .setMessage(truncate(message))
                .setExceptionClass(cause == null ? null : cause.getClass().getName())
                .setFailedAt(Instant.ofEpochMilli(failedAtMillis))
                .setApplication(application)
                .setOriginalValue(failed.value() == null ? null : ByteBuffer.wrap(failed.value()))
                .build();
        metrics.increment(reason);
        return letter;
    }

    /**
     * A dead letter as a producer record for an exception handler's response, keyed by the failed record's key.
     *
     * @param failed  the record that failed
     * @param reason  why
     * @param message what went wrong, for humans
     * @param cause   the exception, or null
     * @return the record for the dead-letter topic
     */
    public ProducerRecord<byte[], byte[]> producerRecord(FailedRecord failed, DeadLetterReason reason, String message,
                                                         Throwable cause) {
        DeadLetter letter = letter(failed, reason, message, cause);
        return new ProducerRecord<>(topic, null, failed.key(), serializer.serialize(topic, letter));
    }

    /**
     * A short description of an exception and its causes, for a dead letter's message.
     *
     * @param prefix what was being done
     * @param e      the failure
     * @return {@code prefix: message (caused by: ...)}
     */
    public static String describe(String prefix, Throwable e) {
        StringBuilder text = new StringBuilder(prefix).append(": ").append(e);
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append(" (caused by: ").append(cause).append(')');
            if (text.length() > MAX_MESSAGE_LENGTH) {
                break;
            }
        }
        return text.toString();
    }

    private static String truncate(String message) {
        String text = message == null ? "" : message;
        return text.length() <= MAX_MESSAGE_LENGTH ? text : text.substring(0, MAX_MESSAGE_LENGTH - 1) + "…";
    }
}
