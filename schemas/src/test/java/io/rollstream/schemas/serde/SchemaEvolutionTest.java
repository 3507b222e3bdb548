package io.rollstream.schemas.serde;

import static io.rollstream.schemas.TestSchemas.clickEventPlusField;
import static io.rollstream.schemas.TestSchemas.clickEventWithEventTypes;
import static io.rollstream.schemas.TestSchemas.clickEventWithFieldType;
import static io.rollstream.schemas.TestSchemas.clickEventWithoutField;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.schemas.registry.CompatibilityLevel;
import io.rollstream.schemas.registry.InMemorySchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/** Records written by producers with another version of the schema, read into today's ClickEvent. */
class SchemaEvolutionTest {

    private static final String TOPIC = "clickstream.events";
    private static final String SUBJECT = TOPIC + "-value";
    private static final long EVENT_TIME = 1_772_366_400_123L;

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient("evolution-test");
    private final ConfluentAvroDeserializer<ClickEvent> deserializer =
            new ConfluentAvroDeserializer<>(registry, ClickEvent.class);

    @Test
    void shouldReadRecordFromNewerProducerWithAnExtraOptionalField() throws IOException {
        Schema newer = clickEventPlusField("{\"name\":\"campaign\",\"type\":[\"null\",\"string\"],\"default\":null}");
        registry.register(SUBJECT, ClickEvent.getClassSchema());
        int newerId = registry.register(SUBJECT, newer);
        GenericRecord written = baseRecord(newer, "PURCHASE");
        written.put("campaign", "spring-sale");

        ClickEvent read = deserializer.deserialize(TOPIC, confluentBytes(newerId, written));

        assertThat(read.getEventId()).isEqualTo("evt-9");
        assertThat(read.getEventType()).isEqualTo(EventType.PURCHASE);
        assertThat(read.getUserId()).isEqualTo("user-9");
        assertThat(read.getEventTime().toEpochMilli()).isEqualTo(EVENT_TIME);
        assertThat(read.getPrice()).isEqualTo(12.5);
        assertThat(read.getProperties()).containsEntry("source", "ios");
    }

    @Test
    void shouldReadEventTypeFromNewerProducerAsUnknown() throws IOException {
        Schema newer = clickEventWithEventTypes("UNKNOWN", "PAGE_VIEW", "PRODUCT_VIEW", "CLICK", "ADD_TO_CART",
                "REMOVE_FROM_CART", "PURCHASE", "SEARCH", "SHARE");
        int newerId = registry.register(SUBJECT, newer);

        ClickEvent read = deserializer.deserialize(TOPIC, confluentBytes(newerId, baseRecord(newer, "SHARE")));

        assertThat(read.getEventType()).isEqualTo(EventType.UNKNOWN);
        assertThat(read.getEventId()).isEqualTo("evt-9");
    }

    @Test
    void shouldReadRecordFromOlderProducerFillingTheMissingFieldsDefault() throws IOException {
        Schema older = clickEventWithoutField("country");
        int olderId = registry.register(SUBJECT, older);

        ClickEvent read = deserializer.deserialize(TOPIC, confluentBytes(olderId, baseRecord(older, "CLICK")));

        assertThat(read.getCountry()).isNull();
        assertThat(read.getEventType()).isEqualTo(EventType.CLICK);
    }

    @Test
    void shouldRejectRecordWhoseWriterSchemaTheReaderCannotRead() throws IOException {
        Schema broken = clickEventWithFieldType("event_time", "\"string\"");
        registry.setCompatibility(SUBJECT, CompatibilityLevel.NONE);
        int brokenId = registry.register(SUBJECT, broken);
        GenericRecord written = baseRecord(broken, "CLICK");
        written.put("event_time", "yesterday");

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, confluentBytes(brokenId, written)))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("written with schema id " + brokenId)
                .hasMessageContaining("TYPE_MISMATCH at /fields/4/type")
                .hasMessageContaining("dead-letter");
    }

    /** The fields every version has, set through the generic API as a non-Java producer would. */
    private static GenericRecord baseRecord(Schema schema, String eventType) {
        GenericRecord record = new GenericData.Record(schema);
        record.put("event_id", "evt-9");
        record.put("event_type", new GenericData.EnumSymbol(schema.getField("event_type").schema(), eventType));
        record.put("user_id", "user-9");
        record.put("event_time", EVENT_TIME);
        record.put("price", 12.5);
        record.put("properties", Map.of("source", "ios"));
        return record;
    }

    private static byte[] confluentBytes(int schemaId, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConfluentWireFormat.writeHeader(out, schemaId);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
