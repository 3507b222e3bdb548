package io.rollstream.it.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rollstream.devstack.ApicurioRegistry;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.schemas.registry.CompatibilityLevel;
import io.rollstream.schemas.registry.IncompatibleSchemaException;
import io.rollstream.schemas.registry.RegisteredSchema;
import io.rollstream.schemas.registry.RestSchemaRegistryClient;
import io.rollstream.schemas.registry.SchemaNotFoundException;
import io.rollstream.schemas.registry.SubjectNotFoundException;
import io.rollstream.schemas.serde.ClickEventSerde;
import io.rollstream.schemas.serde.ConfluentAvroDeserializer;
import io.rollstream.schemas.serde.ConfluentAvroSerializer;
import io.rollstream.schemas.serde.ConfluentWireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The schema-registry client and the Confluent-wire serdes against a real Apicurio Registry, through its
 * Confluent-compatible API. Each test uses its own subjects: the registry is shared by the class.
 */
class SchemaRegistryClientIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema CLICK = ClickEvent.getClassSchema();

    private static ApicurioRegistry apicurio;
    private static RestSchemaRegistryClient registry;

    @BeforeAll
    static void startRegistry() {
        apicurio = ApicurioRegistry.start();
        registry = newClient();
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
        if (apicurio != null) {
            apicurio.close();
        }
    }

    @Test
    void shouldRegisterClickEventAndFindItByIdSubjectAndSchema() {
        String subject = "register.events-value";

        int id = registry.register(subject, CLICK);

        // A fresh client, so the answers come from the registry and not from a cache.
        try (RestSchemaRegistryClient fresh = newClient()) {
            assertThat(fresh.register(subject, CLICK)).isEqualTo(id);
            assertThat(fresh.schemaById(id)).isEqualTo(CLICK);
            assertThat(fresh.latest(subject)).isEqualTo(new RegisteredSchema(subject, id, 1, CLICK));
            assertThat(fresh.lookup(subject, CLICK)).isEqualTo(new RegisteredSchema(subject, id, 1, CLICK));
            assertThat(fresh.subjects()).contains(subject);
        }
    }

    @Test
    void shouldAcceptAnEvolvedSchemaWithANewOptionalFieldAsTheNextVersion() {
        String subject = "evolve.events-value";
        Schema evolved = clickEventPlusField("{\"name\":\"campaign\",\"type\":[\"null\",\"string\"],\"default\":null}");
        int firstId = registry.register(subject, CLICK);

        assertThat(registry.isCompatible(subject, evolved)).isTrue();
        int evolvedId = registry.register(subject, evolved);

        assertThat(evolvedId).isNotEqualTo(firstId);
        RegisteredSchema latest = registry.latest(subject);
        assertThat(latest.version()).isEqualTo(2);
        assertThat(latest.id()).isEqualTo(evolvedId);
        assertThat(latest.schema()).isEqualTo(evolved);
    }

    @Test
    void shouldRejectANewRequiredFieldWithoutDefault() {
        String subject = "incompatible.events-value";
        Schema requiredField = clickEventPlusField("{\"name\":\"campaign\",\"type\":\"string\"}");
        registry.register(subject, CLICK);

        assertThat(registry.isCompatible(subject, requiredField)).isFalse();
        assertThatThrownBy(() -> registry.register(subject, requiredField))
                .isInstanceOfSatisfying(IncompatibleSchemaException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isIn(IncompatibleSchemaException.ERROR_CODE,
                            IncompatibleSchemaException.ALTERNATIVE_ERROR_CODE);
                })
                .hasMessageContaining("under subject '" + subject + "'")
                .hasMessageContaining(apicurio.confluentApiUrl() + "/subjects/" + subject + "/versions")
                .hasMessageContaining("campaign")
                .hasMessageContaining("compatibility rule")
                .hasMessageNotContaining("RuleViolationException");
        assertThat(registry.latest(subject).version()).isEqualTo(1);
    }

    @Test
    void shouldRejectAChangedFieldType() {
        String subject = "retyped.events-value";
        Schema eventTimeAsString = clickEventWithFieldType("event_time", "\"string\"");
        registry.register(subject, CLICK);

        assertThat(registry.isCompatible(subject, eventTimeAsString)).isFalse();
        assertThatThrownBy(() -> registry.register(subject, eventTimeAsString))
                .isInstanceOf(IncompatibleSchemaException.class);
    }

    @Test
    void shouldReportAnUnknownIdAsSchemaNotFound() {
        assertThatThrownBy(() -> registry.schemaById(987_654))
                .isInstanceOfSatisfying(SchemaNotFoundException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(SchemaNotFoundException.ERROR_CODE);
                })
                .hasMessageContaining("schema id 987654")
                .hasMessageContaining("dead-letter");
    }

    @Test
    void shouldReportAnUnknownSubjectAsSubjectNotFound() {
        assertThatThrownBy(() -> registry.latest("never-registered-value"))
                .isInstanceOfSatisfying(SubjectNotFoundException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(SubjectNotFoundException.ERROR_CODE);
                })
                .hasMessageContaining("'never-registered-value'");
    }

    @Test
    void shouldReportAnUnregisteredSchemaUnderAKnownSubjectAsSchemaNotFound() {
        String subject = "lookup.events-value";
        registry.register(subject, CLICK);

        assertThatThrownBy(() -> registry.lookup(subject, clickEventWithFieldType("event_id", "[\"null\",\"string\"]")))
                .isInstanceOfSatisfying(SchemaNotFoundException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaNotFoundException.ERROR_CODE))
                .hasMessageContaining("auto.register.schemas");
    }

    @Test
    void shouldReadAndSetCompatibilityRules() {
        String subject = "config.events-value";

        assertThat(registry.compatibility(null)).isEqualTo(CompatibilityLevel.BACKWARD);
        assertThat(registry.compatibility(subject)).isEqualTo(CompatibilityLevel.BACKWARD);
        registry.register(subject, CLICK);
        assertThat(registry.compatibility(subject)).isEqualTo(CompatibilityLevel.BACKWARD);
        registry.setCompatibility(subject, CompatibilityLevel.FULL);
        assertThat(registry.compatibility(subject)).isEqualTo(CompatibilityLevel.FULL);
        assertThat(registry.compatibility(null)).isEqualTo(CompatibilityLevel.BACKWARD);
    }

    @Test
    void shouldRoundTripClickEventsThroughTheConfluentWireSerdes() {
        String topic = "serde.events";
        ClickEvent event = sampleEvent();

        byte[] bytes;
        try (ClickEventSerde serde = new ClickEventSerde(registry)) {
            bytes = serde.serializer().serialize(topic, event);
        }

        // Read back by a deserializer configured like a plain Kafka consumer's, with its own client.
        try (ConfluentAvroDeserializer<ClickEvent> deserializer = new ConfluentAvroDeserializer<>()) {
            deserializer.configure(Map.of("schema.registry.url", apicurio.confluentApiUrl(),
                    "specific.avro.value.type", ClickEvent.class.getName()), false);
            assertThat(ConfluentWireFormat.schemaId(bytes)).isEqualTo(registry.latest(topic + "-value").id());
            assertThat(deserializer.deserialize(topic, bytes)).isEqualTo(event);
        }
    }

    @Test
    void shouldReadARecordWrittenWithAnEvolvedSchemaIntoTodaysClickEvent() throws IOException {
        String topic = "evolved-writer.events";
        try (ConfluentAvroSerializer<ClickEvent> serializer = new ConfluentAvroSerializer<>()) {
            serializer.configure(Map.of("schema.registry.url", apicurio.confluentApiUrl()), false);
            serializer.serialize(topic, sampleEvent());
        }
        Schema evolved = clickEventPlusField("{\"name\":\"campaign\",\"type\":[\"null\",\"string\"],\"default\":null}");
        int evolvedId = registry.register(topic + "-value", evolved);
        GenericRecord written = new GenericData.Record(evolved);
        written.put("event_id", "evt-evolved");
        written.put("event_type", new GenericData.EnumSymbol(evolved.getField("event_type").schema(), "CLICK"));
        written.put("event_time", 1_772_366_400_000L);
        written.put("properties", Map.of());
        written.put("campaign", "spring-sale");

        try (RestSchemaRegistryClient fresh = newClient();
                ConfluentAvroDeserializer<ClickEvent> deserializer =
                        new ConfluentAvroDeserializer<>(fresh, ClickEvent.class)) {
            ClickEvent read = deserializer.deserialize(topic, confluentBytes(evolvedId, written));

            assertThat(read.getEventId()).isEqualTo("evt-evolved");
            assertThat(read.getEventType()).isEqualTo(EventType.CLICK);
            assertThat(read.getEventTime()).isEqualTo(Instant.ofEpochMilli(1_772_366_400_000L));
        }
    }

    private static RestSchemaRegistryClient newClient() {
        return RestSchemaRegistryClient.builder(apicurio.confluentApiUrl()).build();
    }

    private static ClickEvent sampleEvent() {
        return ClickEvent.newBuilder()
                .setEventId("evt-1")
                .setEventType(EventType.ADD_TO_CART)
                .setUserId("user-1")
                .setEventTime(Instant.parse("2026-03-01T12:00:00.123Z"))
                .setItemId("item-9")
                .setPrice(19.99)
                .setQuantity(1)
                .setProperties(Map.of("ab_test", "a"))
                .build();
    }

    private static Schema clickEventPlusField(String fieldJson) {
        ObjectNode schema = clickEventJson();
        ((ArrayNode) schema.get("fields")).add(parse(fieldJson));
        return new Schema.Parser().parse(schema.toString());
    }

    private static Schema clickEventWithFieldType(String field, String typeJson) {
        ObjectNode schema = clickEventJson();
        schema.get("fields").forEach(node -> {
            if (node.get("name").asText().equals(field)) {
                ((ObjectNode) node).set("type", parse(typeJson));
            }
        });
        return new Schema.Parser().parse(schema.toString());
    }

    private static ObjectNode clickEventJson() {
        return (ObjectNode) parse(CLICK.toString());
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("Not JSON: " + json, e);
        }
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
