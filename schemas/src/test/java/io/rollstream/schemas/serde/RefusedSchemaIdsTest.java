package io.rollstream.schemas.serde;

import static io.rollstream.schemas.TestSchemas.sampleEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.registry.CompatibilityLevel;
import io.rollstream.schemas.registry.InMemorySchemaRegistryClient;
import io.rollstream.schemas.registry.RegisteredSchema;
import io.rollstream.schemas.registry.SchemaNotFoundException;
import io.rollstream.schemas.registry.SchemaRegistryClient;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** A flood of records naming ids the registry refuses costs one registry call an id, not one a record. */
class RefusedSchemaIdsTest {

    private static final String TOPIC = "clickstream.events";

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient("refused-ids-test");
    private final AtomicInteger lookups = new AtomicInteger();
    private final ConfluentAvroDeserializer<ClickEvent> deserializer = new ConfluentAvroDeserializer<>(
            new Counting(registry, lookups), ClickEvent.class);

    @Test
    void shouldAskTheRegistryOnceForAnUnknownIdHoweverManyRecordsNameIt() {
        final byte[] record = new ConfluentAvroSerializer<ClickEvent>(registry, SerializerOptions.forValues())
                .serialize(TOPIC, sampleEvent());
        ByteBuffer.wrap(record).putInt(1, 777_777);

        for (int i = 0; i < 1_000; i++) {
            assertThatThrownBy(() -> deserializer.deserialize(TOPIC, record)).isInstanceOf(SchemaNotFoundException.class);
        }
        assertThat(lookups).hasValue(1);
    }

    @Test
    void shouldAskOnceForAWriterSchemaThisReaderCannotRead() {
        final Schema other = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"ClickEvent\",\"namespace\":"
                + "\"io.rollstream.schemas\",\"fields\":[{\"name\":\"event_id\",\"type\":\"long\"}]}");
        final int id = registry.register("other-value", other);
        final byte[] record = {0, 0, 0, 0, (byte) id, 2};

        for (int i = 0; i < 100; i++) {
            assertThatThrownBy(() -> deserializer.deserialize(TOPIC, record)).isInstanceOf(MalformedRecordException.class)
                    .hasMessageContaining("cannot read");
        }
        assertThat(lookups).hasValue(1);
    }

    /** The registry, counting the lookups by id. */
    private record Counting(SchemaRegistryClient registry, AtomicInteger lookups) implements SchemaRegistryClient {
        @Override
        public int register(final String subject, final Schema schema) {
            return registry.register(subject, schema);
        }

        @Override
        public Schema schemaById(final int id) {
            lookups.incrementAndGet();
            return registry.schemaById(id);
        }

        @Override
        public RegisteredSchema latest(final String subject) {
            return registry.latest(subject);
        }

        @Override
        public RegisteredSchema lookup(final String subject, final Schema schema) {
            return registry.lookup(subject, schema);
        }

        @Override
        public boolean isCompatible(final String subject, final Schema schema) {
            return registry.isCompatible(subject, schema);
        }

        @Override
        public CompatibilityLevel compatibility(final String subject) {
            return registry.compatibility(subject);
        }

        @Override
        public void setCompatibility(final String subject, final CompatibilityLevel level) {
            registry.setCompatibility(subject, level);
        }

        @Override
        public List<String> subjects() {
            return registry.subjects();
        }

        @Override
        public void close() {
        }
    }
}
