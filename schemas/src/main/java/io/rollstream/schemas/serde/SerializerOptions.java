package io.rollstream.schemas.serde;

/**
 * How a directly constructed {@link ConfluentAvroSerializer} behaves; a serializer Kafka creates from a
 * class name reads the same from {@link AvroSerdeConfig}.
 *
 * @param isKey whether it serializes record keys: the subject is {@code <topic>-key}, else {@code <topic>-value}
 * @param autoRegisterSchemas whether it registers the record's schema (true, the Confluent default) or only
 *     looks up its id and fails when it is not registered (for producers that must not change the contract)
 */
public record SerializerOptions(boolean isKey, boolean autoRegisterSchemas) {

    /** Values, registering schemas on first use. */
    public static SerializerOptions forValues() {
        return new SerializerOptions(false, true);
    }

    /** Keys, registering schemas on first use. */
    public static SerializerOptions forKeys() {
        return new SerializerOptions(true, true);
    }

    public SerializerOptions withAutoRegisterSchemas(boolean autoRegister) {
        return new SerializerOptions(isKey, autoRegister);
    }

    /** The subject under TopicNameStrategy. */
    String subject(String topic) {
        return topic + (isKey ? "-key" : "-value");
    }
}
