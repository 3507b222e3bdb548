package io.rollstream.schemas.serde;

import io.rollstream.schemas.registry.SchemaNotFoundException;
import io.rollstream.schemas.registry.SchemaRegistryClient;
import io.rollstream.schemas.registry.SchemaRegistryClients;
import io.rollstream.schemas.registry.SubjectNotFoundException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes generated Avro records in the Confluent wire format, under subject {@code <topic>-value} (or
 * {@code <topic>-key}), TopicNameStrategy. Interchangeable with Confluent's {@code KafkaAvroSerializer}.
 *
 * <p>Two ways to make one: construct it with a registry client and {@link SerializerOptions}, or let
 * Kafka create it from {@code value.serializer=io.rollstream.schemas.serde.ConfluentAvroSerializer} and
 * configure it from {@link AvroSerdeConfig} keys ({@code schema.registry.url}, {@code auto.register.schemas},
 * ...); a serializer configured that way owns its registry client and closes it.
 *
 * <p>Failures: the registry's typed {@link io.rollstream.schemas.registry.SchemaRegistryException}s pass
 * through (only {@link io.rollstream.schemas.registry.SchemaRegistryUnavailableException} is retriable);
 * a record Avro cannot encode, or a schema that is not registered while auto-registration is off, is a
 * plain {@link SerializationException}. {@code null} serializes to {@code null} (a tombstone).
 */
public final class ConfluentAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

    private final Map<Schema, DatumWriter<T>> writers = new ConcurrentHashMap<>();
    private SchemaRegistryClient registry;
    private boolean ownsRegistry;
    private SerializerOptions options;

    /** For Kafka, which creates serializers from class names; {@link #configure} must follow. */
    public ConfluentAvroSerializer() {
    }

    /** A ready serializer; the caller keeps ownership of {@code registry}. */
    public ConfluentAvroSerializer(SchemaRegistryClient registry, SerializerOptions options) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry != null) {
            throw new IllegalStateException("This serializer is already set up with " + registry + "; configure() "
                    + "is for instances Kafka creates from a class name. Pass the options to the constructor.");
        }
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        options = new SerializerOptions(isKey, config.getBoolean(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG));
        registry = SchemaRegistryClients.create(configs);
        ownsRegistry = true;
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("Serializer not configured: call configure(configs, isKey) or "
                    + "construct it with a schema registry client");
        }
        Schema schema = record.getSchema();
        int schemaId = schemaId(options.subject(topic), schema);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        ConfluentWireFormat.writeHeader(out, schemaId);
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writerFor(schema, record).write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Could not encode a " + schema.getFullName() + " for topic '" + topic
                    + "' as Avro: " + e.getMessage() + ". A field holds a value its schema does not allow (often "
                    + "null in a non-nullable field); fix the record before sending it.", e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        if (ownsRegistry) {
            registry.close();
        }
    }

    private int schemaId(String subject, Schema schema) {
        if (options.autoRegisterSchemas()) {
            return registry.register(subject, schema);
        }
        try {
            return registry.lookup(subject, schema).id();
        } catch (SubjectNotFoundException | SchemaNotFoundException notRegistered) {
            throw new SerializationException("Schema " + schema.getFullName() + " is not registered under subject '"
                    + subject + "' and auto.register.schemas=false forbids registering it. Register it first "
                    + "(POST /subjects/" + subject + "/versions) or set auto.register.schemas=true. The registry "
                    + "said: " + notRegistered.getMessage(), notRegistered);
        }
    }

    private DatumWriter<T> writerFor(Schema schema, T record) {
        DatumWriter<T> writer = writers.get(schema);
        if (writer == null) {
            // The generated class's own model carries its logical-type conversions (timestamp-millis -> Instant).
            writer = new SpecificDatumWriter<>(schema, SpecificData.getForClass(record.getClass()));
            writers.putIfAbsent(schema, writer);
        }
        return writer;
    }
}
