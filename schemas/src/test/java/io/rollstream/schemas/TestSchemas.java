package io.rollstream.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.Schema;

/** Sample events and edited copies of the ClickEvent schema, for evolution and compatibility tests. */
public final class TestSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestSchemas() {
    }

    public static ClickEvent sampleEvent() {
        return ClickEvent.newBuilder()
                .setEventId("evt-1")
                .setEventType(EventType.PURCHASE)
                .setUserId("user-7")
                .setSessionId("session-3")
                .setEventTime(Instant.parse("2026-03-01T12:00:00.123Z"))
                .setItemId("item-42")
                .setCategory("shoes")
                .setPrice(59.90)
                .setQuantity(2)
                .setCountry("DE")
                .setProperties(Map.of("ab_test", "b"))
                .build();
    }

    /** ClickEvent plus one field, given as its JSON declaration. */
    public static Schema clickEventPlusField(String fieldJson) {
        return edited(fields -> fields.add(json(fieldJson)));
    }

    /** ClickEvent without the named field. */
    public static Schema clickEventWithoutField(String name) {
        return edited(fields -> fields.remove(indexOf(fields, name)));
    }

    /** ClickEvent with the named field's type replaced by {@code typeJson}. */
    public static Schema clickEventWithFieldType(String name, String typeJson) {
        return edited(fields -> ((ObjectNode) fields.get(indexOf(fields, name))).set("type", json(typeJson)));
    }

    /** ClickEvent whose EventType enum has these symbols. */
    public static Schema clickEventWithEventTypes(String... symbols) {
        return edited(fields -> {
            ArrayNode list = ((ObjectNode) fields.get(indexOf(fields, "event_type")).get("type")).putArray("symbols");
            for (String symbol : symbols) {
                list.add(symbol);
            }
        });
    }

    private static Schema edited(Consumer<ArrayNode> edit) {
        ObjectNode schema = (ObjectNode) json(ClickEvent.getClassSchema().toString());
        edit.accept((ArrayNode) schema.get("fields"));
        return new Schema.Parser().parse(schema.toString());
    }

    private static int indexOf(ArrayNode fields, String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).get("name").asText().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("ClickEvent has no field " + name);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
