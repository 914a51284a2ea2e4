/**
 * The Confluent wire format for Avro, and a client of the Confluent Schema Registry REST API (why: docs/architecture.md).
 *
 * <ul>
 *   <li>{@link dev.shipstream.schemas.serde.AvroSerializer}, {@link dev.shipstream.schemas.serde.AvroDeserializer}
 *       and {@link dev.shipstream.schemas.serde.AvroSerde}: Kafka serdes whose bytes are those of Confluent's
 *       {@code KafkaAvroSerializer} ({@link dev.shipstream.schemas.serde.WireFormat}), configured by the keys of
 *       {@link dev.shipstream.schemas.serde.AvroSerdeConfig}, with TopicNameStrategy subjects.</li>
 *   <li>{@link dev.shipstream.schemas.serde.SchemaRegistryClient} and its implementations: over HTTP
 *       ({@link dev.shipstream.schemas.serde.HttpSchemaRegistryClient}), cached
 *       ({@link dev.shipstream.schemas.serde.CachingSchemaRegistryClient}), and in memory
 *       ({@link dev.shipstream.schemas.serde.InMemorySchemaRegistryClient}, behind {@code mock://} URLs).
 *       {@link dev.shipstream.schemas.serde.SchemaRegistryClients} picks one from a configuration.</li>
 *   <li>{@link dev.shipstream.schemas.serde.AvroCompatibility}: the registry's compatibility levels, decided by
 *       Avro's own schema resolution rules.</li>
 * </ul>
 */
package dev.shipstream.schemas.serde;
