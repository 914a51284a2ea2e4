package dev.shipstream.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro data in the Confluent wire format, byte for byte as Confluent's {@code KafkaAvroSerializer}: magic
 * byte 0, the schema's registry id as a big-endian int, then the datum in Avro binary encoding.
 *
 * <p><b>What it accepts.</b> Generated {@link SpecificRecord}s (and generated enums), {@link GenericContainer}s
 * ({@code GenericRecord}, enum symbols, fixed, arrays), and, as Confluent does, the primitives {@code String}
 * (any {@code CharSequence}), {@code Integer}, {@code Long}, {@code Float}, {@code Double}, {@code Boolean} and
 * {@code byte[]} (whose bytes Confluent writes raw, without Avro's length prefix). {@code null} becomes {@code null}.
 *
 * <p><b>Which schema id.</b> The subject follows Confluent's TopicNameStrategy: {@code <topic>-key} or
 * {@code <topic>-value}. With {@code auto.register.schemas=true} (the default) the record's schema is registered
 * under the subject; otherwise, with {@code use.latest.version=true}, the subject's latest schema is used (the
 * record is converted to it, which needs the latest schema to be able to read the record's schema); otherwise the
 * record's schema is looked up and must already be registered. Ids are cached per (subject, schema), so the
 * registry is asked once per schema, not once per record.
 *
 * <p><b>Construction.</b> Either with no arguments, for Kafka to instantiate and {@link #configure} from
 * {@code schema.registry.url} and the other {@link AvroSerdeConfig} keys (the serializer then owns the client it
 * builds and closes it); or with a {@link SchemaRegistryClient}, which the caller keeps owning, and optionally the
 * configuration at once. {@link #configure} on a serializer given a client reads every key but the URL.
 *
 * <p><b>Failures</b> are {@link SerializationException}s naming the topic, the subject and the cause, e.g. that the
 * registry was unreachable or that the schema is incompatible with the subject's. Thread-safe once configured.
 */
public class AvroSerializer<T> implements Serializer<T> {

    private static final int INITIAL_BUFFER_BYTES = 1024;
    private static final ThreadLocal<BinaryEncoder> ENCODER = new ThreadLocal<>();
    private static final Schema STRING = Schema.create(Schema.Type.STRING);
    private static final Schema INT = Schema.create(Schema.Type.INT);
    private static final Schema LONG = Schema.create(Schema.Type.LONG);
    private static final Schema FLOAT = Schema.create(Schema.Type.FLOAT);
    private static final Schema DOUBLE = Schema.create(Schema.Type.DOUBLE);
    private static final Schema BOOLEAN = Schema.create(Schema.Type.BOOLEAN);
    private static final Schema BYTES = Schema.create(Schema.Type.BYTES);

    private record SubjectSchema(String subject, Schema schema) {
    }

    private record ConversionCheck(int latestId, Schema recordSchema) {
    }

    private SchemaRegistryClient client;
    private boolean ownsClient;
    private AvroSerdeConfig config;
    private boolean isKey;
    private BoundedCache<SubjectSchema, Integer> ids;
    private BoundedCache<Integer, Schema> registeredSchemas;
    private BoundedCache<ConversionCheck, List<String>> conversionChecks;
    private BoundedCache<WriterKey, DatumWriter<Object>> writers;

    /** For Kafka: configured by {@link #configure(Map, boolean)}, which builds the registry client. */
    public AvroSerializer() {
    }

    /** A value serializer using this client (which the caller closes), with the default configuration. */
    public AvroSerializer(SchemaRegistryClient client) {
        this(client, new AvroSerdeConfig(Map.of()), false);
    }

    /** A value serializer using this client (which the caller closes), configured at once. */
    public AvroSerializer(SchemaRegistryClient client, Map<String, ?> configs) {
        this(client, new AvroSerdeConfig(configs), false);
    }

    /** A key or value serializer using this client (which the caller closes), configured at once. */
    public AvroSerializer(SchemaRegistryClient client, Map<String, ?> configs, boolean isKey) {
        this(client, new AvroSerdeConfig(configs), isKey);
    }

    AvroSerializer(SchemaRegistryClient client, AvroSerdeConfig config, boolean isKey) {
        this.client = Objects.requireNonNull(client, "client");
        apply(config, isKey);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig parsed = new AvroSerdeConfig(configs);
        if (client == null) {
            client = SchemaRegistryClients.fromConfig(parsed);
            ownsClient = true;
        }
        apply(parsed, isKey);
    }

    private void apply(AvroSerdeConfig parsed, boolean isKey) {
        this.config = parsed;
        this.isKey = isKey;
        this.ids = new BoundedCache<>(parsed.cacheCapacity());
        this.registeredSchemas = new BoundedCache<>(parsed.cacheCapacity());
        this.conversionChecks = new BoundedCache<>(parsed.cacheCapacity());
        this.writers = new BoundedCache<>(parsed.cacheCapacity());
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("AvroSerializer is not configured: call configure(configs, isKey) "
                    + "or construct it with a SchemaRegistryClient");
        }
        String subject = subject(topic);
        Schema schema = schemaOf(data, topic);
        Object datum = data;
        Schema writerSchema = schema;
        int id;
        if (config.autoRegisterSchemas()) {
            id = ids.computeIfAbsent(new SubjectSchema(subject, schema), key -> callRegistry(
                    () -> client.register(subject, schema.toString()), "register", topic, subject, schema));
        } else if (config.useLatestVersion()) {
            RegisteredSchema latest = callRegistry(() -> client.latest(subject),
                    "find the latest version for", topic, subject, schema);
            Schema latestSchema = registeredSchemas.computeIfAbsent(latest.id(),
                    key -> parseRegistered(latest, topic, subject));
            id = latest.id();
            if (!latestSchema.equals(schema)) {
                datum = convert(data, schema, latest, latestSchema, topic, subject);
                writerSchema = latestSchema;
            }
        } else {
            id = ids.computeIfAbsent(new SubjectSchema(subject, schema), key -> lookUp(topic, subject, schema));
        }
        return write(datum, writerSchema, id, topic, subject);
    }

    @Override
    public void close() {
        if (ownsClient && client != null) {
            client.close();
        }
    }

    /** The subject of this topic's keys or values under TopicNameStrategy. */
    String subject(String topic) {
        if (topic == null) {
            throw new SerializationException("AvroSerializer needs a topic to name the schema subject, got null");
        }
        return topic + (isKey ? "-key" : "-value");
    }

    private int lookUp(String topic, String subject, Schema schema) {
        try {
            return client.lookup(subject, schema.toString()).id();
        } catch (SchemaRegistryException e) {
            if (e.httpStatus() == 404) {
                throw new SerializationException("Schema " + schema.getFullName() + " is not registered under subject '"
                        + subject + "' (topic '" + topic + "'), and " + AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG
                        + " is false: register it first, or set " + AvroSerdeConfig.USE_LATEST_VERSION_CONFIG
                        + " to write with the latest registered schema. Registry: " + e.getMessage(), e);
            }
            throw registryFailure("look up", topic, subject, schema, e);
        }
    }

    private <R> R callRegistry(Supplier<R> call, String action, String topic, String subject, Schema schema) {
        try {
            return call.get();
        } catch (SchemaRegistryException e) {
            throw registryFailure(action, topic, subject, schema, e);
        }
    }

    private SerializationException registryFailure(String action, String topic, String subject, Schema schema,
                                                   SchemaRegistryException e) {
        return new SerializationException("Could not " + action + " the " + (isKey ? "key" : "value") + " schema "
                + schema.getFullName() + " under subject '" + subject + "' for topic '" + topic + "': "
                + e.describe(), e);
    }

    private Schema parseRegistered(RegisteredSchema registered, String topic, String subject) {
        try {
            return AvroSchemas.parse(registered.schema());
        } catch (SchemaRegistryException e) {
            throw new SerializationException("The latest schema of subject '" + subject + "' (id " + registered.id()
                    + ", topic '" + topic + "') is not a valid Avro schema: " + e.getMessage(), e);
        }
    }

    private Object convert(Object data, Schema schema, RegisteredSchema latest, Schema latestSchema,
                           String topic, String subject) {
        if (!(data instanceof GenericContainer)) {
            throw new SerializationException("With " + AvroSerdeConfig.USE_LATEST_VERSION_CONFIG + " the "
                    + schema.getFullName() + " value for topic '" + topic + "' must have the latest schema of subject '"
                    + subject + "' (version " + latest.version() + ", id " + latest.id() + "), which is "
                    + latestSchema.getFullName());
        }
        List<String> problems = conversionChecks.computeIfAbsent(new ConversionCheck(latest.id(), schema),
                key -> AvroCompatibility.incompatibilities(CompatibilityLevel.BACKWARD, latestSchema, List.of(schema)));
        if (!problems.isEmpty()) {
            throw new SerializationException("With " + AvroSerdeConfig.USE_LATEST_VERSION_CONFIG
                    + " the latest schema of subject '" + subject + "' (version " + latest.version() + ", id "
                    + latest.id() + ") must be able to read records of schema " + schema.getFullName() + " for topic '"
                    + topic + "', but " + String.join("; ", problems));
        }
        try {
            byte[] encoded = encode(data, schema);
            return new GenericDatumReader<>(schema, latestSchema, GenericData.get())
                    .read(null, DecoderFactory.get().binaryDecoder(encoded, null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Could not convert a " + schema.getFullName() + " record to the latest "
                    + "schema of subject '" + subject + "' (id " + latest.id() + ") for topic '" + topic + "': " + e, e);
        }
    }

    private byte[] write(Object datum, Schema writerSchema, int id, String topic, String subject) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(INITIAL_BUFFER_BYTES);
        WireFormat.writeHeader(out, id);
        if (datum instanceof byte[] bytes) {
            // Confluent writes a top-level bytes value raw, without Avro's length prefix; its readers expect that.
            out.writeBytes(bytes);
            return out.toByteArray();
        }
        try {
            // A buffered encoder writes the synchronized stream in blocks rather than byte by byte; reused per thread.
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, ENCODER.get());
            ENCODER.set(encoder);
            DatumWriter<Object> writer = writers.computeIfAbsent(
                    new WriterKey(writerSchema, datum.getClass()), key -> writerFor(datum, writerSchema));
            writer.write(datum, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Could not write a " + writerSchema.getFullName() + " "
                    + (isKey ? "key" : "value") + " for topic '" + topic + "' (subject '" + subject + "', schema id "
                    + id + "): the data does not match its schema: " + e, e);
        }
        return out.toByteArray();
    }

    private static byte[] encode(Object datum, Schema schema) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        writerFor(datum, schema).write(datum, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /**
     * Datum writers are immutable once built and safe to share; they are cached per schema and datum class. The
     * schema is compared by identity: it is the class's or the cached registry schema, always the same object, and
     * Avro's structural {@code equals}/{@code hashCode} would cost more than the writer they look up.
     */
    private record WriterKey(Schema schema, Class<?> datumClass) {
        @Override
        public boolean equals(Object other) {
            return other instanceof WriterKey key && key.schema == schema && key.datumClass == datumClass;
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(schema) + datumClass.hashCode();
        }
    }

    private static DatumWriter<Object> writerFor(Object datum, Schema schema) {
        if (datum instanceof SpecificRecord || datum instanceof Enum<?>) {
            // The generated class's own model carries its logical-type conversions (e.g. Instant for timestamps).
            return new SpecificDatumWriter<>(schema, SpecificData.getForClass(datum.getClass()));
        }
        return new GenericDatumWriter<>(schema, GenericData.get());
    }

    private static Schema schemaOf(Object data, String topic) {
        if (data instanceof GenericContainer container) {
            return container.getSchema();
        }
        if (data instanceof CharSequence) {
            return STRING;
        }
        if (data instanceof Integer) {
            return INT;
        }
        if (data instanceof Long) {
            return LONG;
        }
        if (data instanceof Float) {
            return FLOAT;
        }
        if (data instanceof Double) {
            return DOUBLE;
        }
        if (data instanceof Boolean) {
            return BOOLEAN;
        }
        if (data instanceof byte[]) {
            return BYTES;
        }
        throw new SerializationException("AvroSerializer cannot serialize a " + data.getClass().getName()
                + " for topic '" + topic + "': expected a SpecificRecord, GenericRecord or other GenericContainer, "
                + "or a String, Integer, Long, Float, Double, Boolean or byte[]");
    }
}
