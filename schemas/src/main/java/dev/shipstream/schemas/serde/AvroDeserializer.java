package dev.shipstream.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.util.Utf8;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Avro data in the Confluent wire format, as Confluent's {@code KafkaAvroDeserializer}: it checks the magic
 * byte, fetches the writer's schema by the id that follows (once per id, then cached), and decodes the rest.
 *
 * <p>With {@code specific.avro.reader=true} a record comes back as its generated {@code SpecificRecord} class
 * (found by the writer schema's full name via {@link SpecificData}; the class's own schema is the reader schema, so
 * Avro's schema resolution fills in fields the writer did not know). Otherwise records come back as
 * {@code GenericRecord}s with the writer's schema. A top-level string comes back as {@code String} and a top-level
 * bytes value as the raw {@code byte[]}, as Confluent's deserializer returns them. {@code null} or empty input
 * gives {@code null} (a tombstone).
 *
 * <p>Construction and ownership of the registry client are as for {@link AvroSerializer}. Every failure (wrong
 * magic byte, id not in the registry, registry unreachable, bytes that do not decode) is a
 * {@link SerializationException} naming the topic and the schema id. Thread-safe once configured.
 *
 * <p>Bounded memory: before Avro decodes, {@link DatumBounds} checks that no length or item count the bytes declare
 * exceeds the bytes that are really there, and that nesting stays within
 * {@value AvroSerdeConfig#MAX_NESTING_DEPTH_CONFIG}. A record that would make Avro allocate gigabytes (a 14-byte
 * record can declare a two-billion-byte string) is a {@link SerializationException} like any other undecodable
 * record, never an {@link OutOfMemoryError} or a {@link StackOverflowError} that would kill the consuming thread.
 */
public class AvroDeserializer<T> implements Deserializer<T> {

    private SchemaRegistryClient client;
    private boolean ownsClient;
    private boolean specific;
    private boolean isKey;
    private int maxNestingDepth;
    private BoundedCache<Integer, Schema> writerSchemas;
    private BoundedCache<Integer, DatumReader<Object>> readers;

    /** For Kafka: configured by {@link #configure(Map, boolean)}, which builds the registry client. */
    public AvroDeserializer() {
    }

    /** A value deserializer using this client (which the caller closes), with the default configuration. */
    public AvroDeserializer(SchemaRegistryClient client) {
        this(client, new AvroSerdeConfig(Map.of()), false);
    }

    /** A value deserializer using this client (which the caller closes), configured at once. */
    public AvroDeserializer(SchemaRegistryClient client, Map<String, ?> configs) {
        this(client, new AvroSerdeConfig(configs), false);
    }

    /** A key or value deserializer using this client (which the caller closes), configured at once. */
    public AvroDeserializer(SchemaRegistryClient client, Map<String, ?> configs, boolean isKey) {
        this(client, new AvroSerdeConfig(configs), isKey);
    }

    AvroDeserializer(SchemaRegistryClient client, AvroSerdeConfig config, boolean isKey) {
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

    private void apply(AvroSerdeConfig config, boolean isKey) {
        this.specific = config.specificAvroReader();
        this.isKey = isKey;
        this.maxNestingDepth = config.maxNestingDepth();
        this.writerSchemas = new BoundedCache<>(config.cacheCapacity());
        this.readers = new BoundedCache<>(config.cacheCapacity());
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, byte[] data) {
        if (data == null || data.length == 0) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("AvroDeserializer is not configured: call configure(configs, isKey) "
                    + "or construct it with a SchemaRegistryClient");
        }
        int id = WireFormat.readSchemaId(ByteBuffer.wrap(data), describe(topic));
        Schema writer = writerSchemas.computeIfAbsent(id, key -> fetchWriterSchema(id, topic));
        if (writer.getType() == Schema.Type.BYTES) {
            return (T) Arrays.copyOfRange(data, WireFormat.HEADER_SIZE, data.length);
        }
        DatumReader<Object> reader = readers.computeIfAbsent(id, key -> newReader(writer, id, topic));
        int datumLength = data.length - WireFormat.HEADER_SIZE;
        try {
            DatumBounds.check(writer, data, WireFormat.HEADER_SIZE, datumLength, maxNestingDepth);
            Object value = reader.read(null, DecoderFactory.get()
                    .binaryDecoder(data, WireFormat.HEADER_SIZE, datumLength, null));
            return (T) (value instanceof Utf8 ? value.toString() : value);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Could not decode the Avro " + writer.getFullName() + " in a "
                    + describe(topic) + " written with schema id " + id
                    + (specific ? " into its generated class" : "") + ": " + e, e);
        }
    }

    @Override
    public void close() {
        if (ownsClient && client != null) {
            client.close();
        }
    }

    private Schema fetchWriterSchema(int id, String topic) {
        String text;
        try {
            text = client.schemaById(id);
        } catch (SchemaRegistryException e) {
            if (e.httpStatus() == 404) {
                throw new SerializationException("Schema id " + id + " of a " + describe(topic)
                        + " was not found in the schema registry: " + e.getMessage(), e);
            }
            throw new SerializationException("Could not fetch schema id " + id + " of a " + describe(topic) + ": "
                    + e.describe(), e);
        }
        try {
            return AvroSchemas.parse(text);
        } catch (SchemaRegistryException e) {
            throw new SerializationException("Schema id " + id + " of a " + describe(topic)
                    + " is not a valid Avro schema: " + e.getMessage(), e);
        }
    }

    private DatumReader<Object> newReader(Schema writer, int id, String topic) {
        if (!specific) {
            return new GenericDatumReader<>(writer, writer, GenericData.get());
        }
        Schema reader = specificReaderSchema(writer, id, topic);
        return new SpecificDatumReader<>(writer, reader, SpecificData.getForSchema(reader));
    }

    private Schema specificReaderSchema(Schema writer, int id, String topic) {
        switch (writer.getType()) {
            case RECORD, ENUM, FIXED -> {
                Class<?> generated;
                try {
                    generated = SpecificData.get().getClass(writer);
                } catch (SecurityException e) {
                    throw new SerializationException("Avro does not trust the class " + writer.getFullName()
                            + " named by schema id " + id + " of a " + describe(topic) + ": list it in the system "
                            + "property org.apache.avro.SERIALIZABLE_CLASSES if it is to be read: " + e.getMessage(), e);
                }
                if (generated == null) {
                    throw new SerializationException(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG + " is true but no "
                            + "generated class " + writer.getFullName() + " (named by schema id " + id + " of a "
                            + describe(topic) + ") is on the classpath");
                }
                return SpecificData.get().getSchema(generated);
            }
            default -> {
                return writer;
            }
        }
    }

    private String describe(String topic) {
        return (isKey ? "key" : "value") + " from topic '" + topic + "'";
    }
}
