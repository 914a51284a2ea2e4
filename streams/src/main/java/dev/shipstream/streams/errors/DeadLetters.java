package dev.shipstream.streams.errors;

import dev.shipstream.schemas.DeadLetter;
import dev.shipstream.schemas.DeadLetterReason;
import dev.shipstream.schemas.serde.SchemaRegistryException;
import dev.shipstream.schemas.serde.SchemaRegistryUnavailableException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Makes {@link DeadLetter}s and, for the exception handlers, the producer records that carry them to the
 * dead-letter topic. Every dead letter made here is counted in {@link DeadLetterMetrics} and logged once at INFO
 * with its reason, origin and ingress request id, so none goes unnoticed and each can be found by the id its sender
 * got back.
 *
 * <p>Kafka instantiates exception handlers by class name, so the application hands them this object through the
 * Streams configuration under {@link #CONFIG}; {@link #fromConfigs(Map)} fetches it. Thread-safe.
 *
 * <p><b>Registry outages are not the record's fault.</b> {@link #registryOutage(Throwable)} tells the handlers when
 * a failure came from a schema registry that is down, slow or overloaded; they then make Kafka Streams retry the
 * record instead of dead-lettering it. The dead letter's own schema id is fetched once at start-up by
 * {@link #warmUp(Duration)}, so writing a dead letter does not depend on the registry being up at that moment.
 */
public final class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

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
        DeadLetter letter = build(failed, reason, message, cause, failedAtMillis);
        counted(letter);
        return letter;
    }

    // The one place every dead letter passes once made: counted, and logged once with what a user searches by.
    private void counted(DeadLetter letter) {
        metrics.increment(letter.getReason());
        LOG.info("dead letter {} for {}-{}@{}, request id {}: {}", letter.getReason(), letter.getTopic(),
                letter.getPartition(), letter.getOffset(),
                letter.getRequestId() == null ? "unknown" : letter.getRequestId(), letter.getMessage());
    }

    private DeadLetter build(FailedRecord failed, DeadLetterReason reason, String message, Throwable cause,
                             long failedAtMillis) {
        return DeadLetter.newBuilder()
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
                .setRequestId(failed.requestId())
                .build();
    }

    /**
     * A dead letter as a producer record for an exception handler's response, keyed by the failed record's key and
     * carrying its headers (so a replay can restore them). Counted only once it is serialized.
     *
     * @param failed  the record that failed
     * @param reason  why
     * @param message what went wrong, for humans
     * @param cause   the exception, or null
     * @return the record for the dead-letter topic
     * @throws RuntimeException if the dead letter cannot be serialized, e.g. while the registry is unavailable and
     *                          the dead letter's schema id is not known yet ({@link #registryOutage} tells)
     */
    public ProducerRecord<byte[], byte[]> producerRecord(FailedRecord failed, DeadLetterReason reason, String message,
                                                         Throwable cause) {
        DeadLetter letter = build(failed, reason, message, cause, clock.millis());
        byte[] value = serializer.serialize(topic, letter);
        counted(letter);
        RecordHeaders headers = new RecordHeaders();
        for (Header header : failed.headers()) {
            headers.add(header.key(), header.value());
        }
        return new ProducerRecord<>(topic, null, failed.key(), value, headers);
    }

    /**
     * Serializes one dead letter so that its schema is registered (or looked up) and its id cached before the first
     * real failure needs it. Retries with a growing pause while the registry is unavailable, up to {@code budget};
     * then gives up with a warning, since the handlers cope with an unavailable registry by retrying the record.
     *
     * @param budget how long to keep trying
     * @return true if the schema id is cached now
     * @throws SchemaRegistryException if the registry refuses the dead letter's schema (e.g. as incompatible):
     *                                 no dead letter could ever be written, so the application must not start
     */
    public boolean warmUp(Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        long pauseMillis = 200;
        DeadLetter sample = build(new FailedRecord(topic, 0, 0L, null, null), DeadLetterReason.OTHER,
                "start-up check", null, clock.millis());
        while (true) {
            try {
                serializer.serialize(topic, sample);
                return true;
            } catch (RuntimeException e) {
                Optional<SchemaRegistryException> outage = registryOutage(e);
                if (outage.isEmpty()) {
                    throw e;
                }
                if (System.nanoTime() + pauseMillis * 1_000_000L - deadline > 0) {
                    LOG.warn("could not fetch the dead-letter schema id within {} (the registry is unavailable: {});"
                            + " records that fail before it is back are retried, not dead-lettered", budget,
                            outage.get().getMessage());
                    return false;
                }
                LOG.info("the schema registry is unavailable ({}); retrying in {} ms", outage.get().getMessage(),
                        pauseMillis);
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                pauseMillis = Math.min(pauseMillis * 2, 5_000);
            }
        }
    }

    /**
     * The registry outage behind a failure, if that is what it is: the registry could not be reached, timed out,
     * answered 5xx or 429. Such a failure says nothing about the record, so it must be retried, not dead-lettered.
     * A 404, 409 or 422 answer, or bytes that do not decode, are the record's (or the schema's) fault and are not
     * outages.
     *
     * @param failure what a serializer, deserializer or processor threw
     * @return the registry's exception, if the failure is an outage
     */
    public static Optional<SchemaRegistryException> registryOutage(Throwable failure) {
        return SchemaRegistryUnavailableException.findIn(failure);
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
