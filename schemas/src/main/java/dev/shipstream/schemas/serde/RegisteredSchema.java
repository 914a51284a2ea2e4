package dev.shipstream.schemas.serde;

/** One version of a subject in a schema registry: its subject, version number, global id and schema text. */
public record RegisteredSchema(String subject, int version, int id, String schema) {
}
