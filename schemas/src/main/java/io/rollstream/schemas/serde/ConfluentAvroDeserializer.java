package io.rollstream.schemas.serde;

import io.rollstream.schemas.registry.SchemaNotFoundException;
import io.rollstream.schemas.registry.SchemaRegistryClient;
import io.rollstream.schemas.registry.SchemaRegistryClients;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityResult;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-wire Avro records into a generated class. The writer schema comes from the registry by
 * the id in the header (cached) and is resolved against the class's schema, so records written with an
 * older or newer compatible schema (an extra optional field, a new enum symbol read as the enum's default)
 * decode fine. One resolving reader is kept per writer schema id.
 *
 * <p>Two ways to make one: construct it with a registry client and the class, or let Kafka create it from
 * {@code value.deserializer=io.rollstream.schemas.serde.ConfluentAvroDeserializer} with
 * {@code schema.registry.url} and {@code specific.avro.value.type} (or {@code .key.type}); a deserializer
 * configured that way owns its registry client and closes it.
 *
 * <p>Before Avro decodes a record, {@link DeclaredLengthCheck} makes sure that every length it declares
 * fits in its own bytes, so a hostile record cannot make Avro allocate what it merely declares.
 *
 * <p>Failures say whether retrying can help, which is what a dead-letter decision needs:
 * <ul>
 *   <li>{@link MalformedRecordException}: not Confluent-wire Avro, or Avro that does not decode with its
 *       writer schema, or a writer schema this class cannot read. Poison.
 *   <li>{@link SchemaNotFoundException}: the header names an id the registry
 *       does not have. Poison.
 *   <li>{@link io.rollstream.schemas.registry.SchemaRegistryUnavailableException}: the registry did not
 *       answer. Retriable; the record is fine.
 * </ul>
 * All are Kafka {@link org.apache.kafka.common.errors.SerializationException}s. {@code null} deserializes
 * to {@code null}: Kafka's contract for deserializers, and how compacted topics delete (tombstones).
 */
public final class ConfluentAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    /** How records of one writer schema are read: first checked for what they declare, then decoded. */
    private record WriterReader<T>(DeclaredLengthCheck check, DatumReader<T> reader) {
    }

    private final Map<Integer, WriterReader<T>> readersByWriterId = new ConcurrentHashMap<>();
    private final RefusedSchemaIds refusedIds = new RefusedSchemaIds();
    private SchemaRegistryClient registry;
    private boolean ownsRegistry;
    private Class<T> type;
    private SpecificData model;
    private Schema readerSchema;

    /** For Kafka, which creates deserializers from class names; {@link #configure} must follow. */
    public ConfluentAvroDeserializer() {
    }

    /** For a fixed class with the registry from {@link #configure}, e.g. inside a Serde created by name. */
    public ConfluentAvroDeserializer(Class<T> type) {
        setType(Objects.requireNonNull(type, "type"));
    }

    /** A ready deserializer; the caller keeps ownership of {@code registry}. */
    public ConfluentAvroDeserializer(SchemaRegistryClient registry, Class<T> type) {
        this(type);
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry != null) {
            throw new IllegalStateException("This deserializer is already set up with " + registry + "; "
                    + "configure() is for instances Kafka creates from a class name.");
        }
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        String typeKey = isKey ? AvroSerdeConfig.SPECIFIC_AVRO_KEY_TYPE_CONFIG
                : AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE_CONFIG;
        Class<?> configured = config.specificType(isKey);
        if (type == null) {
            if (configured == null) {
                throw new ConfigException(typeKey, null, "Name the generated Avro class to decode into, e.g. "
                        + "io.rollstream.schemas.ClickEvent");
            }
            if (!SpecificRecord.class.isAssignableFrom(configured)) {
                throw new ConfigException(typeKey, configured.getName(), "Not a generated Avro class (it does not "
                        + "implement SpecificRecord)");
            }
            @SuppressWarnings("unchecked")
            Class<T> specific = (Class<T>) configured;
            setType(specific);
        } else if (configured != null && configured != type) {
            throw new ConfigException(typeKey, configured.getName(), "This deserializer reads " + type.getName()
                    + "; remove the setting or make it match");
        }
        registry = SchemaRegistryClients.create(configs);
        ownsRegistry = true;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("Deserializer not configured: call configure(configs, isKey) or "
                    + "construct it with a schema registry client");
        }
        int writerId = ConfluentWireFormat.schemaId(data);
        WriterReader<T> writer = readerFor(writerId, topic);
        String declaredTooMuch = writer.check().problem(data, ConfluentWireFormat.HEADER_SIZE,
                data.length - ConfluentWireFormat.HEADER_SIZE);
        if (declaredTooMuch != null) {
            throw new MalformedRecordException("Avro decoding failed for a " + data.length + "-byte record from topic '"
                    + topic + "' with writer schema id " + writerId + ": it " + declaredTooMuch + ". It was refused "
                    + "before decoding, so nothing was allocated for what it declares: the bytes are corrupt or "
                    + "hostile. Dead-letter it.");
        }
        DatumReader<T> reader = writer.reader();
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, ConfluentWireFormat.HEADER_SIZE,
                data.length - ConfluentWireFormat.HEADER_SIZE, null);
        T value;
        boolean trailingBytes;
        try {
            value = reader.read(null, decoder);
            trailingBytes = !decoder.isEnd();
        } catch (IOException | RuntimeException e) {
            throw new MalformedRecordException("Avro decoding failed for a " + data.length + "-byte record from topic '"
                    + topic + "' with writer schema id " + writerId + ", read as " + type.getName() + ": " + e
                    + ". The payload does not match the schema its header names (the producer "
                    + "wrote with another schema than it registered, or the bytes are corrupt): dead-letter it.", e);
        }
        if (trailingBytes) {
            throw new MalformedRecordException("A " + data.length + "-byte record from topic '" + topic + "' has "
                    + "bytes left over after decoding it with writer schema id " + writerId + ": the payload does "
                    + "not match the schema its header names (the producer wrote with another schema than it "
                    + "registered). Dead-letter it.");
        }
        return value;
    }

    /**
     * The top-level field taking the most bytes of {@code data}, as {@code "category (600003 bytes)"},
     * found without decoding it: for naming what makes a record too large to decode at all.
     *
     * @return empty when the record is not Confluent-wire Avro of a known schema, or does not hold
     *     what it declares
     * @throws io.rollstream.schemas.registry.SchemaRegistryUnavailableException when the registry did not answer
     */
    public Optional<String> largestField(String topic, byte[] data) {
        final int writerId;
        final WriterReader<T> writer;
        try {
            writerId = ConfluentWireFormat.schemaId(data);
            writer = readerFor(writerId, topic);
        } catch (MalformedRecordException | SchemaNotFoundException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(writer.check().largestField(data, ConfluentWireFormat.HEADER_SIZE,
                data.length - ConfluentWireFormat.HEADER_SIZE));
    }

    @Override
    public void close() {
        if (ownsRegistry) {
            registry.close();
        }
    }

    private void setType(Class<T> specificType) {
        type = specificType;
        // The generated class's own model carries its logical-type conversions (timestamp-millis -> Instant).
        model = SpecificData.getForClass(specificType);
        readerSchema = model.getSchema(specificType);
    }

    private WriterReader<T> readerFor(int writerId, String topic) {
        WriterReader<T> known = readersByWriterId.get(writerId);
        if (known != null) {
            return known;
        }
        RuntimeException refusal = refusedIds.refusal(writerId, System.currentTimeMillis());
        if (refusal != null) {
            throw refusal;
        }
        Schema writerSchema;
        try {
            writerSchema = registry.schemaById(writerId);
        } catch (SchemaNotFoundException e) {
            refusedIds.unknown(writerId, e, System.currentTimeMillis());
            throw e;
        }
        SchemaCompatibilityResult compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writerSchema).getResult();
        if (compatibility.getCompatibility() != SchemaCompatibilityType.COMPATIBLE) {
            String problems = compatibility.getIncompatibilities().stream()
                    .map(problem -> problem.getType() + " at " + problem.getLocation() + " (" + problem.getMessage()
                            + ")")
                    .collect(Collectors.joining("; "));
            MalformedRecordException incompatible = new MalformedRecordException("A record from topic '" + topic
                    + "' was written with schema id " + writerId + " (" + writerSchema.getFullName() + "), which "
                    + type.getName() + " cannot read: " + problems + ". The producer's schema broke compatibility "
                    + "with this reader: dead-letter the record, and fix the producer or upgrade this reader's "
                    + "generated class.");
            refusedIds.incompatible(writerId, incompatible);
            throw incompatible;
        }
        WriterReader<T> reader = new WriterReader<>(new DeclaredLengthCheck(writerSchema),
                new SpecificDatumReader<>(writerSchema, readerSchema, model));
        WriterReader<T> raced = readersByWriterId.putIfAbsent(writerId, reader);
        return raced == null ? reader : raced;
    }
}
