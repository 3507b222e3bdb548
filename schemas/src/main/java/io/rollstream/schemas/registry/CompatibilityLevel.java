package io.rollstream.schemas.registry;

/**
 * A subject's compatibility rule, as the Confluent Schema Registry protocol names it. {@code BACKWARD}
 * (readers using the new schema can read data written with the previous one) is the registry default
 * and the one Rollstream relies on: consumers upgrade first, producers later.
 */
public enum CompatibilityLevel {
    BACKWARD,
    BACKWARD_TRANSITIVE,
    FORWARD,
    FORWARD_TRANSITIVE,
    FULL,
    FULL_TRANSITIVE,
    NONE
}
