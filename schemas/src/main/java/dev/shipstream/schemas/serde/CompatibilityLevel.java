package dev.shipstream.schemas.serde;

/** The compatibility levels of the Confluent Schema Registry, with their REST names. */
public enum CompatibilityLevel {
    NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE
}
