package io.rollstream.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.rollstream.schemas.ClickEvent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's request bodies: the events as JSON arrays of {@code batchSize}, rendered before the clock
 * starts so the load client measures the collector, not its own JSON writing.
 */
final class EventBodies {

    private static final JsonFactory JSON = new JsonFactory();

    private EventBodies() {
    }

    static List<byte[]> batches(final List<ClickEvent> events, final int batchSize) {
        final List<byte[]> bodies = new ArrayList<>((events.size() + batchSize - 1) / batchSize);
        for (int from = 0; from < events.size(); from += batchSize) {
            bodies.add(array(events.subList(from, Math.min(events.size(), from + batchSize))));
        }
        return bodies;
    }

    private static byte[] array(final List<ClickEvent> events) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(events.size() * 300);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartArray();
            for (final ClickEvent event : events) {
                write(json, event);
            }
            json.writeEndArray();
        } catch (final IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return out.toByteArray();
    }

    /** As a web or mobile client would send it: ISO-8601 event time, optional fields only when set. */
    private static void write(final JsonGenerator json, final ClickEvent event) throws IOException {
        json.writeStartObject();
        json.writeStringField("event_id", event.getEventId());
        json.writeStringField("event_type", event.getEventType().name());
        json.writeStringField("user_id", event.getUserId());
        json.writeStringField("event_time", event.getEventTime().toString());
        optional(json, "session_id", event.getSessionId());
        optional(json, "item_id", event.getItemId());
        optional(json, "category", event.getCategory());
        if (event.getPrice() != null) {
            json.writeNumberField("price", event.getPrice());
        }
        if (event.getQuantity() != null) {
            json.writeNumberField("quantity", event.getQuantity());
        }
        optional(json, "search_query", event.getSearchQuery());
        optional(json, "page_url", event.getPageUrl());
        optional(json, "referrer", event.getReferrer());
        optional(json, "device", event.getDevice());
        optional(json, "country", event.getCountry());
        if (!event.getProperties().isEmpty()) {
            json.writeObjectFieldStart("properties");
            for (final Map.Entry<String, String> property : event.getProperties().entrySet()) {
                json.writeStringField(property.getKey(), property.getValue());
            }
            json.writeEndObject();
        }
        json.writeEndObject();
    }

    private static void optional(final JsonGenerator json, final String name, final String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value);
        }
    }
}
