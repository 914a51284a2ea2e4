package dev.shipstream.devstack;

import dev.shipstream.schemas.DeadLetter;
import dev.shipstream.schemas.DeadLetterReason;
import dev.shipstream.schemas.Topics;
import dev.shipstream.schemas.serde.AvroDeserializer;
import dev.shipstream.schemas.serde.AvroSerdeConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * {@code ./shipstream deadletters}: lets an operator see what went to the dead-letter topic and, once the cause is
 * repaired (a normaliser fixed, a schema registered), replay the records to where they came from.
 *
 * <ul>
 *   <li>{@code list} prints the most recent dead letters, one line each: dead-letter offset, time, reason, the
 *       original topic, partition and offset, and the size of the original value.</li>
 *   <li>{@code show} prints one dead letter's metadata and its original key and value: as text when they are
 *       UTF-8, in hex otherwise, cut at {@code --max-bytes}. Headers are counted but never printed, since they may
 *       carry signatures or tokens.</li>
 *   <li>{@code replay} writes the original key, value and headers, byte for byte, back to the original topic and
 *       partition (acks=all, idempotent), and prints where each record went. The dead letter stays where it is; a
 *       record that fails again is dead-lettered again.</li>
 * </ul>
 * Reads with {@code read_committed} and without a consumer group, so it never moves anyone's offsets; reads up to
 * the end offsets seen at the start, so a replay that fails again is not replayed twice in one run. Every loop and
 * every output is bounded by {@code --limit} and {@code --max-bytes}.
 */
public final class DeadLettersCommand {

    static final String USAGE = """
            Usage: ./shipstream deadletters <command> [options]
            Commands:
              list [--limit N] [--reason R]      the most recent dead letters (default 20)
              show OFFSET [--max-bytes N]        one dead letter: where it came from, why, and its key and value
              replay OFFSET                      write the original key, value and headers back to the original topic
              replay --all [--reason R] [--limit N]
                                                 the same for every dead letter (of that reason), oldest first
            Options:
              --bootstrap HOST:PORT   Kafka (default 127.0.0.1:9092)
              --registry URL          the schema registry (default http://127.0.0.1:8081)
              --topic NAME            the dead-letter topic (default shipstream.deadletter)
              --limit N               at most N dead letters (list: default 20; replay --all: default 10000)
              --reason R              only dead letters of this reason (DESERIALIZATION_FAILED, UNPARSEABLE_PAYLOAD,
                                      SCHEMA_VIOLATION, PROCESSING_FAILED, PRODUCTION_FAILED, OTHER)
              --max-bytes N           show: print at most N bytes of the key and the value (default 4096)
            OFFSET is the dead letter's offset as `list` prints it: PARTITION:OFFSET, or OFFSET for partition 0.""";

    static final int MAX_LIMIT = 10_000;
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    /**
     * The parsed command line.
     *
     * @param command   list, show or replay
     * @param position  the dead letter for show and replay, or null for list and replay --all
     * @param limit     at most this many dead letters
     * @param reason    only this reason, or null for all
     * @param bootstrap Kafka's bootstrap servers
     * @param registry  the schema registry URL
     * @param topic     the dead-letter topic
     * @param maxBytes  how much of a key or value show prints
     */
    record Options(String command, Position position, int limit, DeadLetterReason reason, String bootstrap,
                   String registry, String topic, int maxBytes) {

        static Options parse(List<String> args) {
            if (args.isEmpty()) {
                throw new IllegalArgumentException("a command is needed: list, show or replay");
            }
            String command = args.get(0);
            if (!List.of("list", "show", "replay").contains(command)) {
                throw new IllegalArgumentException("unknown command '" + command + "'");
            }
            Position position = null;
            boolean all = false;
            Integer limit = null;
            DeadLetterReason reason = null;
            String bootstrap = "127.0.0.1:9092";
            String registry = "http://127.0.0.1:8081";
            String topic = Topics.DEADLETTER.name();
            int maxBytes = 4_096;
            for (int i = 1; i < args.size(); i++) {
                String arg = args.get(i);
                switch (arg) {
                    case "--all" -> all = true;
                    case "--limit" -> limit = positive(value(args, ++i, arg), arg, MAX_LIMIT);
                    case "--reason" -> reason = reason(value(args, ++i, arg));
                    case "--bootstrap" -> bootstrap = value(args, ++i, arg);
                    case "--registry" -> registry = value(args, ++i, arg);
                    case "--topic" -> topic = value(args, ++i, arg);
                    case "--max-bytes" -> maxBytes = positive(value(args, ++i, arg), arg, 1 << 20);
                    default -> {
                        if (arg.startsWith("--") || position != null) {
                            throw new IllegalArgumentException("unexpected argument '" + arg + "'");
                        }
                        position = Position.parse(arg);
                    }
                }
            }
            switch (command) {
                case "list" -> {
                    if (position != null || all) {
                        throw new IllegalArgumentException("list takes no offset and no --all");
                    }
                }
                case "show" -> {
                    if (position == null || all || reason != null) {
                        throw new IllegalArgumentException("show needs exactly one OFFSET");
                    }
                }
                default -> {
                    if ((position == null) == !all) {
                        throw new IllegalArgumentException("replay needs either one OFFSET or --all");
                    }
                    if (position != null && reason != null) {
                        throw new IllegalArgumentException("--reason goes with --all, not with an OFFSET");
                    }
                }
            }
            int defaultLimit = command.equals("list") ? 20 : MAX_LIMIT;
            return new Options(command, position, limit == null ? defaultLimit : limit, reason, bootstrap, registry,
                    topic, maxBytes);
        }

        private static String value(List<String> args, int index, String option) {
            if (index >= args.size() || args.get(index).startsWith("--")) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args.get(index);
        }

        private static int positive(String text, String option, int max) {
            try {
                int value = Integer.parseInt(text);
                if (value < 1 || value > max) {
                    throw new IllegalArgumentException(option + " must be between 1 and " + max + ", was " + text);
                }
                return value;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " must be a number, was '" + text + "'", e);
            }
        }

        private static DeadLetterReason reason(String text) {
            try {
                return DeadLetterReason.valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown reason '" + text + "'; one of "
                        + Arrays.toString(DeadLetterReason.values()), e);
            }
        }
    }

    /** A dead letter's place in the dead-letter topic. */
    record Position(int partition, long offset) {

        static Position parse(String text) {
            try {
                int colon = text.indexOf(':');
                Position position = colon < 0 ? new Position(0, Long.parseLong(text))
                        : new Position(Integer.parseInt(text.substring(0, colon)),
                        Long.parseLong(text.substring(colon + 1)));
                if (position.partition < 0 || position.offset < 0) {
                    throw new IllegalArgumentException("an offset must not be negative, was '" + text + "'");
                }
                return position;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an offset: '" + text + "' (OFFSET or PARTITION:OFFSET)", e);
            }
        }

        @Override
        public String toString() {
            return partition == 0 ? Long.toString(offset) : partition + ":" + offset;
        }
    }

    /** One record of the dead-letter topic, with its dead letter if it decoded. */
    private record Entry(Position position, long timestamp, byte[] key, Optional<DeadLetter> letter,
                         RecordHeaders headers, String problem) {
    }

    private final Options options;
    private final PrintStream out;

    DeadLettersCommand(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    /**
     * Runs one command line.
     *
     * @return the exit status: 0 done, 1 failed (e.g. no such dead letter), 2 bad command line
     */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        CommandLine<Options> line = CommandLine.parse(args, "deadletters", USAGE, Options::parse, out, err);
        if (!line.runs()) {
            return line.exitStatus();
        }
        Options options = line.options();
        try {
            return new DeadLettersCommand(options, out).execute();
        } catch (RuntimeException e) {
            err.println("shipstream deadletters: " + e.getMessage());
            return 1;
        }
    }

    int execute() {
        return switch (options.command()) {
            case "list" -> list();
            case "show" -> show();
            default -> replay();
        };
    }

    private int list() {
        Deque<Entry> latest = new ArrayDeque<>();
        scan(entry -> {
            if (matches(entry)) {
                if (latest.size() == options.limit()) {
                    latest.removeFirst();
                }
                latest.addLast(entry);
            }
        });
        out.printf("%-10s %-24s %-22s %-40s %s%n", "OFFSET", "FAILED AT", "REASON", "ORIGINAL", "SIZE");
        for (Entry entry : latest) {
            if (entry.letter().isEmpty()) {
                out.printf("%-10s %-24s %-22s %s%n", entry.position(), Instant.ofEpochMilli(entry.timestamp()),
                        "(undecodable)", entry.problem());
                continue;
            }
            DeadLetter letter = entry.letter().get();
            out.printf("%-10s %-24s %-22s %-40s %d%n", entry.position(), letter.getFailedAt(), letter.getReason(),
                    original(letter), size(letter.getOriginalValue()));
        }
        out.printf("%d dead letter(s)%s%n", latest.size(),
                latest.size() == options.limit() ? " (the most recent; --limit shows more)" : "");
        return 0;
    }

    private int show() {
        Optional<Entry> found = find(options.position());
        if (found.isEmpty()) {
            out.println("no dead letter at " + options.position() + " in " + options.topic());
            return 1;
        }
        Entry entry = found.get();
        if (entry.letter().isEmpty()) {
            out.println("the record at " + entry.position() + " is not a dead letter: " + entry.problem());
            return 1;
        }
        DeadLetter letter = entry.letter().get();
        out.printf("dead letter  %s in %s%n", entry.position(), options.topic());
        out.printf("failed at    %s%n", letter.getFailedAt());
        out.printf("reason       %s%n", letter.getReason());
        out.printf("message      %s%n", letter.getMessage());
        out.printf("exception    %s%n", letter.getExceptionClass() == null ? "-" : letter.getExceptionClass());
        out.printf("application  %s%n", letter.getApplication() == null ? "-" : letter.getApplication());
        out.printf("original     %s%n", original(letter));
        out.printf("headers      %d (not shown: they may carry signatures or tokens)%n",
                entry.headers().toArray().length);
        out.printf("key          %s%n", render(bytes(letter.getKey()), options.maxBytes()));
        out.printf("value        %s%n", render(bytes(letter.getOriginalValue()), options.maxBytes()));
        return 0;
    }

    private int replay() {
        List<Entry> toReplay = new ArrayList<>();
        if (options.position() != null) {
            Optional<Entry> found = find(options.position());
            if (found.isEmpty() || found.get().letter().isEmpty()) {
                out.println("no dead letter at " + options.position() + " in " + options.topic());
                return 1;
            }
            toReplay.add(found.get());
        } else {
            scan(entry -> {
                if (toReplay.size() < options.limit() && entry.letter().isPresent() && matches(entry)) {
                    toReplay.add(entry);
                }
            });
        }
        int replayed = 0;
        int skipped = 0;
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            Map<String, Integer> partitionCounts = new HashMap<>();
            for (Entry entry : toReplay) {
                DeadLetter letter = entry.letter().orElseThrow();
                if (letter.getTopic().isEmpty()) {
                    out.printf("skipped %s: it has no original topic (it was emitted by a punctuator)%n",
                            entry.position());
                    skipped++;
                    continue;
                }
                int partitions = partitionCounts.computeIfAbsent(letter.getTopic(),
                        topic -> producer.partitionsFor(topic).size());
                // The original partition restores the record exactly; if the topic has shrunk, the key decides.
                Integer partition = letter.getPartition() >= 0 && letter.getPartition() < partitions
                        ? letter.getPartition() : null;
                byte[] value = bytes(letter.getOriginalValue());
                RecordMetadata written = producer.send(new ProducerRecord<>(letter.getTopic(), partition, null,
                        bytes(letter.getKey()), value, entry.headers())).get();
                out.printf("replayed %s (%s, %s) -> %s-%d@%d: %d bytes, %d header(s)%n", entry.position(),
                        letter.getReason(), original(letter), written.topic(), written.partition(),
                        written.offset(), value == null ? 0 : value.length, entry.headers().toArray().length);
                replayed++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not replay: " + e.getCause().getMessage(), e.getCause());
        }
        out.printf("%d replayed, %d skipped%n", replayed, skipped);
        return 0;
    }

    private boolean matches(Entry entry) {
        return options.reason() == null
                || entry.letter().map(l -> l.getReason() == options.reason()).orElse(false);
    }

    /** Reads every partition of the dead-letter topic from the start up to its end offsets as of now. */
    private void scan(Consumer<Entry> sink) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer();
             AvroDeserializer<DeadLetter> letters = deserializer()) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            drain(consumer, letters, end, sink);
        }
    }

    private Optional<Entry> find(Position position) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer();
             AvroDeserializer<DeadLetter> letters = deserializer()) {
            TopicPartition partition = new TopicPartition(options.topic(), position.partition());
            if (!partitions(consumer).contains(partition)) {
                return Optional.empty();
            }
            consumer.assign(List.of(partition));
            consumer.seek(partition, position.offset());
            Map<TopicPartition, Long> end = consumer.endOffsets(List.of(partition));
            Entry[] found = new Entry[1];
            drain(consumer, letters, Map.of(partition, Math.min(end.get(partition), position.offset() + 1)),
                    entry -> {
                        if (entry.position().offset() == position.offset()) {
                            found[0] = entry;
                        }
                    });
            return Optional.ofNullable(found[0]);
        }
    }

    private void drain(KafkaConsumer<byte[], byte[]> consumer, AvroDeserializer<DeadLetter> letters,
                       Map<TopicPartition, Long> end, Consumer<Entry> sink) {
        long idleSince = System.nanoTime();
        while (!reached(consumer, end)) {
            var records = consumer.poll(POLL);
            if (records.isEmpty()) {
                if (System.nanoTime() - idleSince > IDLE_TIMEOUT.toNanos()) {
                    throw new IllegalStateException("no progress reading " + options.topic() + " for "
                            + IDLE_TIMEOUT.toSeconds() + " s; is Kafka at " + options.bootstrap() + "?");
                }
                continue;
            }
            idleSince = System.nanoTime();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                Long stop = end.get(new TopicPartition(record.topic(), record.partition()));
                if (stop != null && record.offset() < stop) {
                    sink.accept(entry(record, letters));
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

    private Entry entry(ConsumerRecord<byte[], byte[]> record, AvroDeserializer<DeadLetter> letters) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header.key(), header.value());
        }
        Position position = new Position(record.partition(), record.offset());
        try {
            return new Entry(position, record.timestamp(), record.key(),
                    Optional.ofNullable(letters.deserialize(record.topic(), record.value())), headers,
                    record.value() == null ? "no value" : null);
        } catch (RuntimeException e) {
            return new Entry(position, record.timestamp(), record.key(), Optional.empty(), headers, e.getMessage());
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer) {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(options.topic());
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new IllegalStateException("Kafka at " + options.bootstrap() + " did not answer within "
                    + IDLE_TIMEOUT.toSeconds() + " s (is it running? --bootstrap names another broker)", e);
        }
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("the topic " + options.topic() + " does not exist at "
                    + options.bootstrap());
        }
        return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition()))
                .sorted((a, b) -> Integer.compare(a.partition(), b.partition())).toList();
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "shipstream-deadletters");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) IDLE_TIMEOUT.toMillis());
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "shipstream-deadletters-replay");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) IDLE_TIMEOUT.toMillis());
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private AvroDeserializer<DeadLetter> deserializer() {
        AvroDeserializer<DeadLetter> deserializer = new AvroDeserializer<>();
        deserializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, options.registry(),
                AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, true), false);
        return deserializer;
    }

    private static String original(DeadLetter letter) {
        return letter.getTopic().isEmpty() ? "(no source record)"
                : letter.getTopic() + "-" + letter.getPartition() + "@" + letter.getOffset();
    }

    private static int size(ByteBuffer buffer) {
        return buffer == null ? 0 : buffer.remaining();
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }

    /**
     * Bytes for a human: the text when they are UTF-8 without control characters (other than tab and line breaks),
     * hex otherwise; at most {@code maxBytes} of them.
     */
    static String render(byte[] bytes, int maxBytes) {
        if (bytes == null) {
            return "(null)";
        }
        byte[] shown = bytes.length <= maxBytes ? bytes : Arrays.copyOf(bytes, maxBytes);
        String more = bytes.length <= maxBytes ? "" : " ... (" + (bytes.length - maxBytes) + " more bytes)";
        Optional<String> text = text(shown, bytes.length > maxBytes);
        return text.map(t -> bytes.length + " bytes, text:\n" + t + more)
                .orElseGet(() -> bytes.length + " bytes, hex:\n" + HexFormat.of().formatHex(shown) + more);
    }

    private static Optional<String> text(byte[] bytes, boolean cut) {
        CharBuffer chars;
        try {
            chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            // A cut may split the last character; the text before it is still text.
            if (!cut) {
                return Optional.empty();
            }
            for (int drop = 1; drop < 4 && drop < bytes.length; drop++) {
                Optional<String> shorter = text(Arrays.copyOf(bytes, bytes.length - drop), false);
                if (shorter.isPresent()) {
                    return shorter;
                }
            }
            return Optional.empty();
        }
        for (int i = 0; i < chars.length(); i++) {
            char c = chars.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') {
                return Optional.empty();
            }
        }
        return Optional.of(chars.toString());
    }
}
