package io.rollstream.schemas.serde;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Confluent-wire Avro {@link ClickEvent}s. Construct it with a registry client, or name it as
 * {@code default.value.serde} and let Kafka Streams configure it with {@code schema.registry.url} (no
 * {@code specific.avro.value.type} needed: the class is fixed).
 */
public final class ClickEventSerde implements Serde<ClickEvent> {

    private final ConfluentAvroSerializer<ClickEvent> serializer;
    private final ConfluentAvroDeserializer<ClickEvent> deserializer;

    /** For Kafka Streams, which creates serdes from class names; {@link #configure} must follow. */
    public ClickEventSerde() {
        this.serializer = new ConfluentAvroSerializer<>();
        this.deserializer = new ConfluentAvroDeserializer<>(ClickEvent.class);
    }

    /** Values, registering the schema on first use; the caller keeps ownership of {@code registry}. */
    public ClickEventSerde(SchemaRegistryClient registry) {
        this(registry, SerializerOptions.forValues());
    }

    /** The caller keeps ownership of {@code registry}. */
    public ClickEventSerde(SchemaRegistryClient registry, SerializerOptions options) {
        this.serializer = new ConfluentAvroSerializer<>(registry, options);
        this.deserializer = new ConfluentAvroDeserializer<>(registry, ClickEvent.class);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<ClickEvent> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<ClickEvent> deserializer() {
        return deserializer;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
    }
}
