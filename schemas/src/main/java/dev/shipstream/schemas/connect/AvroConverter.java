package dev.shipstream.schemas.connect;

import dev.shipstream.schemas.serde.BoundedCache;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import dev.shipstream.schemas.serde.AvroDeserializer;
import dev.shipstream.schemas.serde.AvroSerdeConfig;
import dev.shipstream.schemas.serde.AvroSerializer;
import dev.shipstream.schemas.serde.SchemaRegistryClient;
import dev.shipstream.schemas.serde.SchemaRegistryClients;
import dev.shipstream.schemas.serde.SchemaLimits;
import dev.shipstream.schemas.serde.SchemaRegistryException;
import dev.shipstream.schemas.serde.WireFormat;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.storage.Converter;

/**
 * A Kafka Connect {@link Converter} between Connect data and Avro in the Confluent wire format, configured like
 * Confluent's {@code io.confluent.connect.avro.AvroConverter} and producing the same {@code Struct}s, so that sink
 * tasks behave the same under either.
 *
 * <p><b>Configuration</b> (as {@code key.converter.*} / {@code value.converter.*} properties): every
 * {@link AvroSerdeConfig} key, {@code schema.registry.url} first ({@code mock://<scope>} gives a shared in-memory
 * registry), and Confluent's {@value #SCHEMAS_CACHE_SIZE_CONFIG}. Subjects follow TopicNameStrategy
 * ({@code <topic>-key} / {@code <topic>-value}); with {@code auto.register.schemas} (default true) a schema written
 * back is registered, and a schema that {@link AvroConnectData} regenerated from a topic's own schema is equal to
 * it, so it keeps its id.
 *
 * <p><b>Reading</b>: bytes are decoded with the writer's schema into generic Avro data, then converted by
 * {@link AvroConnectData}; the top-level Connect schema gets the writer schema's version under the topic's subject,
 * as Confluent's converter sets it (none if the schema is not registered under that subject). Null bytes (a
 * tombstone) give {@link SchemaAndValue#NULL}. <b>Writing</b>: a null value gives null bytes.
 *
 * <p><b>Errors</b>: data that does not fit its schema and bytes that cannot be read are {@link DataException}s
 * with the cause chained; a schema registry that cannot be reached or answers 5xx is a {@link RetriableException},
 * so that Connect's {@code errors.retry.timeout} retries it instead of dead-lettering the record. Bytes whose declared
 * lengths, item counts or nesting exceed what the record can hold are refused by the deserializer's bounds check
 * before anything is allocated, so one such record is a {@link DataException} (dead-lettered under
 * {@code errors.tolerance=all}), never an {@link OutOfMemoryError} that kills the task.
 */
public class AvroConverter implements Converter, Versioned {

    /** Confluent's key for the number of schemas {@link AvroConnectData} caches in each direction. */
    public static final String SCHEMAS_CACHE_SIZE_CONFIG = "schemas.cache.config";
    public static final String SCHEMAS_CACHE_SIZE_DOC = "How many converted schemas are cached in each direction.";
    public static final int SCHEMAS_CACHE_SIZE_DEFAULT = AvroConnectData.DEFAULT_CACHE_SIZE;

    private static final ConfigDef CONFIG_DEF = AvroSerdeConfig.configDef()
            .define(SCHEMAS_CACHE_SIZE_CONFIG, ConfigDef.Type.INT, SCHEMAS_CACHE_SIZE_DEFAULT,
                    ConfigDef.Range.atLeast(1), ConfigDef.Importance.LOW, SCHEMAS_CACHE_SIZE_DOC);

    private SchemaRegistryClient client;
    private boolean ownsClient;
    private boolean isKey;
    private AvroSerializer<Object> serializer;
    private AvroDeserializer<Object> deserializer;
    private AvroConnectData connectData;
    private BoundedCache<Integer, WriterSchema> writerSchemas;

    /** The schema a payload was written with, and its version under the topic's subject (null if none). */
    private record WriterSchema(org.apache.avro.Schema schema, Integer version) {
    }

    /** For Connect: {@link #configure} builds the registry client from {@code schema.registry.url}. */
    public AvroConverter() {
    }

    /** A converter using this registry client, which the caller keeps owning (e.g. in tests). */
    public AvroConverter(SchemaRegistryClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    @Override
    public ConfigDef config() {
        return new ConfigDef(CONFIG_DEF);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Map<String, Object> serdeConfigs = new HashMap<>(configs);
        // Connect data is built from generic Avro data, whatever the deserializer would otherwise return.
        serdeConfigs.put(AvroSerdeConfig.SPECIFIC_AVRO_READER_CONFIG, false);
        int cacheSize = new AbstractConfig(CONFIG_DEF, serdeConfigs, false).getInt(SCHEMAS_CACHE_SIZE_CONFIG);
        if (client == null) {
            client = SchemaRegistryClients.fromConfig(serdeConfigs);
            ownsClient = true;
        }
        this.isKey = isKey;
        this.serializer = new AvroSerializer<>(client, serdeConfigs, isKey);
        this.deserializer = new AvroDeserializer<>(client, serdeConfigs, isKey);
        this.connectData = new AvroConnectData(cacheSize);
        this.writerSchemas = new BoundedCache<>(cacheSize);
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        requireConfigured();
        if (value == null) {
            return null;
        }
        Object avro = connectData.fromConnectData(schema, value);
        if (avro instanceof ByteBuffer buffer) {
            // The serializer writes a top-level bytes value raw, as Confluent's does, and takes it as byte[].
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            avro = bytes;
        }
        try {
            return serializer.serialize(topic, avro);
        } catch (SerializationException e) {
            throw translate(e, "Could not write Connect data as Avro for topic '" + topic + "'");
        }
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        requireConfigured();
        if (value == null) {
            return SchemaAndValue.NULL;
        }
        try {
            Object avro = deserializer.deserialize(topic, value);
            if (avro == null) {
                return SchemaAndValue.NULL;
            }
            int id = WireFormat.schemaId(value);
            WriterSchema writer = writerSchemas.computeIfAbsent(id, key -> writerSchema(topic, id, avro));
            return connectData.toConnectData(writer.schema(), avro, writer.version());
        } catch (SerializationException e) {
            throw translate(e, "Could not read Avro data from topic '" + topic + "'");
        }
    }

    @Override
    public String version() {
        String version = AvroConverter.class.getPackage().getImplementationVersion();
        return version != null ? version : "unknown";
    }

    @Override
    public void close() {
        if (ownsClient && client != null) {
            client.close();
        }
    }

    private WriterSchema writerSchema(String topic, int id, Object avro) {
        String text = callRegistry(() -> client.schemaById(id), topic, "fetch schema id " + id);
        org.apache.avro.Schema schema;
        if (avro instanceof GenericContainer container) {
            schema = container.getSchema();
        } else {
            try {
                schema = SchemaLimits.parse(text);
            } catch (AvroRuntimeException e) {
                throw new DataException("Schema id " + id + " of topic '" + topic + "' is not a valid Avro schema", e);
            }
        }
        String subject = topic + (isKey ? "-key" : "-value");
        Integer version;
        try {
            version = client.lookup(subject, text).version();
        } catch (SchemaRegistryException e) {
            if (e.isTransient()) {
                throw retriable(e, "Could not look up the version of schema id " + id + " under subject '" + subject
                        + "' for topic '" + topic + "'");
            }
            // Written under another subject (another naming strategy): the Connect schema just has no version.
            version = null;
        }
        return new WriterSchema(schema, version);
    }

    private <T> T callRegistry(java.util.function.Supplier<T> call, String topic, String what) {
        try {
            return call.get();
        } catch (SchemaRegistryException e) {
            String message = "Could not " + what + " for topic '" + topic + "' from the schema registry";
            throw e.isTransient() ? retriable(e, message) : new DataException(message + ": " + e.getMessage(), e);
        }
    }

    private static RuntimeException translate(SerializationException e, String message) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof SchemaRegistryException registry && registry.isTransient()) {
                return retriable(e, message);
            }
        }
        return new DataException(message + ": " + e.getMessage(), e);
    }

    private static RetriableException retriable(Exception e, String message) {
        return new RetriableException(message + "; the schema registry is unavailable: " + e.getMessage(), e);
    }

    private void requireConfigured() {
        if (connectData == null) {
            throw new IllegalStateException("AvroConverter is not configured: call configure(configs, isKey) first");
        }
    }
}
