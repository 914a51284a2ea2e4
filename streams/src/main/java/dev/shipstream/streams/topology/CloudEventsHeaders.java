package dev.shipstream.streams.topology;

import dev.shipstream.schemas.DeliveryEvent;
import dev.shipstream.schemas.EventCategory;
import dev.shipstream.schemas.Source;
import dev.shipstream.schemas.keys.SafeIds;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The CloudEvents 1.0 Kafka protocol binding, binary mode: the event's attributes as {@code ce_*} headers next to
 * the Avro value, so CloudEvents tooling can route records on {@code shipstream.events} without decoding them.
 *
 * <ul>
 *   <li>{@code ce_id}: the provider event id, percent-encoded outside {@code A-Z a-z 0-9 - . _ ~ :}
 *       ({@link SafeIds#attribute(String)}). CloudEvents requires (source, id) to be unique, and the id is unique
 *       per provider; the encoding keeps distinct ids distinct and a payload's CR/LF out of the headers.</li>
 *   <li>{@code ce_source}: {@code /shipstream/<provider>}, e.g. {@code /shipstream/app-store-connect}. Not the
 *       ingress endpoint: the event does not carry it, and an event held by enrichment is re-emitted from a store
 *       without the raw record's context.</li>
 *   <li>{@code ce_type}: {@code dev.shipstream.delivery.<category in lower case>}, e.g.
 *       {@code dev.shipstream.delivery.app_version_state}.</li>
 *   <li>{@code ce_subject}: the entity key, the thing the event is about. Keys are built encoded; a key that
 *       still holds anything else (an event written before keys were encoded) is encoded here.</li>
 *   <li>{@code ce_time}: {@code occurredAt} in RFC 3339 (UTC, {@code Z}).</li>
 *   <li>{@code ce_specversion}: {@code 1.0}; {@code content-type}: {@code application/avro}.</li>
 * </ul>
 * Pure.
 */
public final class CloudEventsHeaders {

    /** {@code ce_specversion}. */
    public static final String SPEC_VERSION = "ce_specversion";
    /** {@code ce_id}. */
    public static final String ID = "ce_id";
    /** {@code ce_source}. */
    public static final String SOURCE = "ce_source";
    /** {@code ce_type}. */
    public static final String TYPE = "ce_type";
    /** {@code ce_subject}. */
    public static final String SUBJECT = "ce_subject";
    /** {@code ce_time}. */
    public static final String TIME = "ce_time";
    /** The binary mode's data content type header (no {@code ce_} prefix, as the binding prescribes). */
    public static final String CONTENT_TYPE = "content-type";
    /** The value's media type: Avro in the Confluent wire format. */
    public static final String AVRO = "application/avro";
    /** The prefix of every {@code ce_type}. */
    public static final String TYPE_PREFIX = "dev.shipstream.delivery.";

    // Per record otherwise: worked out once per constant.
    private static final Map<Source, String> SOURCES = byConstant(Source.class,
            source -> "/shipstream/" + source.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    private static final Map<EventCategory, String> TYPES = byConstant(EventCategory.class,
            category -> TYPE_PREFIX + category.name().toLowerCase(Locale.ROOT));

    private CloudEventsHeaders() {
    }

    private static <E extends Enum<E>> Map<E, String> byConstant(Class<E> type, Function<E, String> value) {
        Map<E, String> values = new EnumMap<>(type);
        for (E constant : type.getEnumConstants()) {
            values.put(constant, value.apply(constant));
        }
        return values;
    }

    /**
     * The headers of one event.
     *
     * @param event a delivery event
     * @return fresh headers with the attributes above
     */
    public static Headers of(DeliveryEvent event) {
        RecordHeaders headers = new RecordHeaders();
        add(headers, SPEC_VERSION, "1.0");
        add(headers, ID, SafeIds.attribute(event.getEventId()));
        add(headers, SOURCE, source(event.getSource()));
        add(headers, TYPE, type(event.getCategory()));
        add(headers, SUBJECT, subject(event.getEntityKey()));
        add(headers, TIME, event.getOccurredAt().toString());
        add(headers, CONTENT_TYPE, AVRO);
        return headers;
    }

    /**
     * The {@code ce_source} of a provider.
     *
     * @param source the provider
     * @return e.g. {@code /shipstream/app-store-connect}
     */
    public static String source(Source source) {
        return SOURCES.get(source);
    }

    /**
     * The {@code ce_type} of a category.
     *
     * @param category the event category
     * @return e.g. {@code dev.shipstream.delivery.app_version_state}
     */
    public static String type(EventCategory category) {
        return TYPES.get(category);
    }

    /**
     * The {@code ce_subject} of an entity key.
     *
     * @param entityKey the event's entity key
     * @return the key itself when it is already encoded (every key built by {@code EntityKeys} is), else the key
     *     percent-encoded
     */
    public static String subject(String entityKey) {
        return SafeIds.isEncoded(entityKey) ? entityKey : SafeIds.attribute(entityKey);
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
