package dev.shipstream.devstack;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shipstream.schemas.Topics;
import dev.shipstream.schemas.serde.AvroDeserializer;
import dev.shipstream.schemas.serde.AvroSerdeConfig;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code ./shipstream tail events|raw|deadletter}: prints a topic's records as JSON, one record a line: topic,
 * partition, offset, time, key, headers and the value decoded with its schema from the registry. A dead letter also
 * gets its reason, its message, the ingress request id and, when it came from the raw topic, the webhook body of the
 * record that failed (as text when it is text), so a signed but malformed body can be traced to the request that
 * sent it.
 *
 * <p>By default prints the last {@code --limit} records (by time, over all partitions) and stops at the end offsets
 * seen at the start; {@code --from-beginning} starts at the beginning instead; {@code --follow} then keeps printing
 * new records until Ctrl-C. Reads with {@code read_committed}, as every consumer of the pipeline's exactly-once
 * output must, and without a consumer group (assign and seek), so it never moves anyone's offsets.
 *
 * <p>Signatures and tokens are never printed: the {@code signature} field and any header or header-map entry whose
 * name contains "signature", "authorization" or "token" are shown as {@value #REDACTED}, and a dead letter's original
 * record (which carries its signature) only by its size.
 */
public final class TailCommand {

    static final String USAGE = """
            Usage: ./shipstream tail events|raw|deadletter [--from-beginning] [--follow] [options]
              events       shipstream.events: normalised delivery events
              raw          shipstream.webhooks.raw: accepted webhook requests, body as text
              deadletter   shipstream.deadletter: what failed, why, and the request and body it came from
            Options:
              --from-beginning   start at the beginning (default: the last --limit records)
              --follow           keep printing new records until Ctrl-C
              --limit N          how many of the latest records to print first (default 20)
              --data-dir DIR     the devstack's data directory, to find Kafka and the registry (default ./.shipstream)
              --bootstrap H:P    Kafka (default: the running devstack's, else 127.0.0.1:9092)
              --registry URL     the schema registry (default: the running devstack's, else http://127.0.0.1:8081)
            One JSON object a line: topic, partition, offset, timestamp, key, headers, value.""";

    static final String REDACTED = "<redacted>";
    static final int MAX_LIMIT = 10_000;
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * The parsed command line.
     *
     * @param topic         the topic to read
     * @param fromBeginning start at the beginning instead of the last {@code limit} records
     * @param follow        keep reading after the end
     * @param limit         how many of the latest records to print first
     * @param dataDir       where the running devstack wrote its addresses
     * @param bootstrap     Kafka, or null for the devstack's
     * @param registry      the registry, or null for the devstack's
     */
    record Options(String topic, boolean fromBeginning, boolean follow, int limit, Path dataDir, String bootstrap,
                   String registry) {

        static Options parse(List<String> args) {
            if (args.isEmpty() || args.get(0).startsWith("--")) {
                throw new IllegalArgumentException("which topic? events, raw or deadletter");
            }
            String topic = switch (args.get(0)) {
                case "events" -> Topics.EVENTS.name();
                case "raw" -> Topics.WEBHOOKS_RAW.name();
                case "deadletter", "deadletters" -> Topics.DEADLETTER.name();
                default -> throw new IllegalArgumentException("unknown topic '" + args.get(0)
                        + "'; one of events, raw, deadletter");
            };
            boolean fromBeginning = false;
            boolean follow = false;
            int limit = 20;
            Path dataDir = Path.of(".shipstream");
            String bootstrap = null;
            String registry = null;
            for (int i = 1; i < args.size(); i++) {
                String arg = args.get(i);
                switch (arg) {
                    case "--from-beginning" -> fromBeginning = true;
                    case "--follow", "-f" -> follow = true;
                    case "--limit" -> limit = positive(value(args, ++i, arg), arg);
                    case "--data-dir" -> dataDir = Path.of(value(args, ++i, arg));
                    case "--bootstrap" -> bootstrap = value(args, ++i, arg);
                    case "--registry" -> registry = value(args, ++i, arg);
                    default -> throw new IllegalArgumentException("unexpected argument '" + arg + "'");
                }
            }
            return new Options(topic, fromBeginning, follow, limit, dataDir, bootstrap, registry);
        }

        private static String value(List<String> args, int index, String option) {
            if (index >= args.size() || args.get(index).startsWith("--")) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args.get(index);
        }

        private static int positive(String text, String option) {
            try {
                int value = Integer.parseInt(text);
                if (value < 1 || value > MAX_LIMIT) {
                    throw new IllegalArgumentException(option + " must be between 1 and " + MAX_LIMIT + ", was "
                            + text);
                }
                return value;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " must be a number, was '" + text + "'", e);
            }
        }
    }

    private final Options options;
    private final String bootstrap;
    private final String registry;
    private final PrintStream out;

    TailCommand(Options options, String bootstrap, String registry, PrintStream out) {
        this.options = options;
        this.bootstrap = bootstrap;
        this.registry = registry;
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    /**
     * Runs one command line.
     *
     * @return the exit status: 0 done, 1 failed (e.g. Kafka unreachable), 2 bad command line
     */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        CommandLine<Options> line = CommandLine.parse(args, "tail", USAGE, Options::parse, out, err);
        if (!line.runs()) {
            return line.exitStatus();
        }
        Options options = line.options();
        try {
            Optional<StackConnection> stack = StackConnection.read(options.dataDir());
            String bootstrap = options.bootstrap() != null ? options.bootstrap()
                    : stack.map(StackConnection::bootstrap).orElse("127.0.0.1:9092");
            String registry = options.registry() != null ? options.registry()
                    : stack.map(StackConnection::registryUrl).orElse("http://127.0.0.1:8081");
            new TailCommand(options, bootstrap, registry, out).execute();
            return 0;
        } catch (RuntimeException e) {
            err.println("shipstream tail: " + e.getMessage());
            return 1;
        }
    }

    void execute() {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer();
             AvroDeserializer<GenericRecord> values = deserializer()) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions);
            for (TopicPartition partition : partitions) {
                long start = options.fromBeginning() ? beginning.get(partition)
                        : Math.max(beginning.get(partition), end.get(partition) - options.limit());
                consumer.seek(partition, start);
            }
            List<ConsumerRecord<byte[], byte[]>> existing = new ArrayList<>();
            drain(consumer, end, existing);
            // Partitions interleave by time; only the latest `limit` of them all are wanted without --from-beginning.
            existing.sort(Comparator.comparingLong(ConsumerRecord<byte[], byte[]>::timestamp));
            int skip = options.fromBeginning() ? 0 : Math.max(0, existing.size() - options.limit());
            existing.stream().skip(skip).forEach(record -> print(record, values));
            out.flush();
            while (options.follow()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    print(record, values);
                }
                out.flush();
            }
        }
    }

    private void drain(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end,
                       Collection<ConsumerRecord<byte[], byte[]>> sink) {
        long idleSince = System.nanoTime();
        while (!reached(consumer, end)) {
            var records = consumer.poll(POLL);
            if (records.isEmpty()) {
                if (System.nanoTime() - idleSince > IDLE_TIMEOUT.toNanos()) {
                    throw new IllegalStateException("no progress reading " + options.topic() + " for "
                            + IDLE_TIMEOUT.toSeconds() + " s; is Kafka at " + bootstrap + "?");
                }
                continue;
            }
            idleSince = System.nanoTime();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                Long stop = end.get(new TopicPartition(record.topic(), record.partition()));
                if (stop != null && record.offset() < stop) {
                    sink.add(record);
                } else if (options.follow()) {
                    // Already past the snapshot: printed in order after it rather than dropped.
                    sink.add(record);
                }
            }
        }
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> stop : end.entrySet()) {
            if (consumer.position(stop.getKey()) < stop.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void print(ConsumerRecord<byte[], byte[]> record, AvroDeserializer<GenericRecord> values) {
        out.println(line(record, values));
    }

    /** One record as one line of JSON. */
    String line(ConsumerRecord<byte[], byte[]> record, AvroDeserializer<GenericRecord> values) {
        ObjectNode line = NODES.objectNode();
        line.put("topic", record.topic());
        line.put("partition", record.partition());
        line.put("offset", record.offset());
        line.put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
        line.set("key", bytes(record.key()));
        ObjectNode headers = NODES.objectNode();
        for (Header header : record.headers()) {
            headers.set(header.key(), secretName(header.key()) ? NODES.textNode(REDACTED) : bytes(header.value()));
        }
        line.set("headers", headers);
        if (record.value() == null) {
            line.putNull("value");
            return write(line);
        }
        GenericRecord value;
        try {
            value = values.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            line.put("error", "cannot decode the value: " + e.getMessage());
            line.set("value", bytes(record.value()));
            return write(line);
        }
        JsonNode decoded = json(value, null);
        if (record.topic().equals(Topics.DEADLETTER.name())) {
            deadLetterSummary(value, values, line);
            // The original record's bytes carry its signature header; requestId and originalBody say what it was.
            if (decoded instanceof ObjectNode letter && field(value, "originalValue") instanceof ByteBuffer original) {
                letter.putObject("originalValue").put("bytes", original.remaining());
            }
        }
        line.set("value", decoded);
        return write(line);
    }

    /**
     * The reason, the message, the ingress request id and, for a raw-topic record, its body, ahead of the whole
     * letter. The request id is the letter's own field (DeadLetter v3 on); a letter written before has it only
     * inside its original raw record, where it is looked up instead.
     */
    private void deadLetterSummary(GenericRecord letter, AvroDeserializer<GenericRecord> values, ObjectNode line) {
        line.put("reason", String.valueOf(field(letter, "reason")));
        line.put("message", String.valueOf(field(letter, "message")));
        Object requestId = field(letter, "requestId");
        if (requestId != null) {
            line.put("requestId", requestId.toString());
        }
        Object topic = field(letter, "topic");
        if (!(field(letter, "originalValue") instanceof ByteBuffer original) || topic == null
                || !topic.toString().equals(Topics.WEBHOOKS_RAW.name())) {
            return;
        }
        try {
            GenericRecord raw = values.deserialize(topic.toString(), copy(original));
            if (requestId == null) {
                line.put("requestId", String.valueOf(field(raw, "requestId")));
            }
            line.set("originalBody", field(raw, "body") instanceof ByteBuffer body ? bytes(copy(body))
                    : NODES.nullNode());
        } catch (RuntimeException e) {
            // A raw record too broken to decode is why it is here; its bytes are in value.originalValue.
            line.put("originalBody", "(the original record does not decode: " + e.getMessage() + ")");
        }
    }

    private static Object field(GenericRecord record, String name) {
        return record.getSchema().getField(name) == null ? null : record.get(name);
    }

    /** An Avro value as JSON; bytes as text when they are text, base64 otherwise; secrets redacted. */
    static JsonNode json(Object value, String name) {
        if (name != null && (name.equals("signature") || secretName(name))) {
            return value == null ? NODES.nullNode() : NODES.textNode(REDACTED);
        }
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof GenericRecord record) {
            ObjectNode object = NODES.objectNode();
            for (Schema.Field field : record.getSchema().getFields()) {
                object.set(field.name(), json(record.get(field.name()), field.name()));
            }
            return object;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            map.forEach((k, v) -> object.set(k.toString(), secretName(k.toString())
                    ? NODES.textNode(REDACTED) : json(v, null)));
            return object;
        }
        if (value instanceof Collection<?> items) {
            ArrayNode array = NODES.arrayNode();
            items.forEach(item -> array.add(json(item, null)));
            return array;
        }
        if (value instanceof ByteBuffer buffer) {
            return bytes(copy(buffer));
        }
        if (value instanceof GenericFixed fixed) {
            return bytes(fixed.bytes());
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Integer || value instanceof Long) {
            return NODES.numberNode(((Number) value).longValue());
        }
        if (value instanceof Float || value instanceof Double) {
            return NODES.numberNode(((Number) value).doubleValue());
        }
        if (value instanceof GenericEnumSymbol<?> || value instanceof Enum<?>) {
            return NODES.textNode(value.toString());
        }
        return NODES.textNode(value.toString());
    }

    private static boolean secretName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.contains("signature") || lower.contains("authorization") || lower.contains("token");
    }

    /** Text when the bytes are UTF-8 without control characters other than white space, else base64. */
    static JsonNode bytes(byte[] bytes) {
        if (bytes == null) {
            return NODES.nullNode();
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            boolean printable = text.chars().allMatch(c -> !Character.isISOControl(c)
                    || c == '\n' || c == '\r' || c == '\t');
            if (printable) {
                return NODES.textNode(text);
            }
        } catch (CharacterCodingException e) {
            // Not text: shown as base64 below.
        }
        ObjectNode encoded = NODES.objectNode();
        encoded.put("base64", Base64.getEncoder().encodeToString(bytes));
        return encoded;
    }

    private static byte[] copy(ByteBuffer buffer) {
        ByteBuffer duplicate = buffer.duplicate();
        byte[] bytes = new byte[duplicate.remaining()];
        duplicate.get(bytes);
        return bytes;
    }

    private static String write(ObjectNode line) {
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a record as JSON", e);
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer) {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(options.topic());
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrap + " did not answer within "
                    + IDLE_TIMEOUT.toSeconds() + " s; is ./shipstream dev running?", e);
        }
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("the topic " + options.topic() + " does not exist at " + bootstrap);
        }
        return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "shipstream-tail");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) IDLE_TIMEOUT.toMillis());
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private AvroDeserializer<GenericRecord> deserializer() {
        AvroDeserializer<GenericRecord> deserializer = new AvroDeserializer<>();
        deserializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, registry), false);
        return deserializer;
    }
}
