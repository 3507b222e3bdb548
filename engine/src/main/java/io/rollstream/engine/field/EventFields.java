package io.rollstream.engine.field;

import io.rollstream.schemas.ClickEvent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The fields a feature can aggregate: every scalar field of {@code ClickEvent}, {@code revenue}
 * (price × quantity, quantity defaulting to 1), and {@code properties.<key>} for free-form
 * properties.
 */
public final class EventFields {

    public static final String PROPERTY_PREFIX = "properties.";

    private static final Map<String, EventField> FIELDS = new LinkedHashMap<>();

    static {
        string("event_id", ClickEvent::getEventId);
        add(new EventField("event_type", FieldType.STRING, e -> e.getEventType() == null ? null : e.getEventType().name()));
        string("user_id", ClickEvent::getUserId);
        string("session_id", ClickEvent::getSessionId);
        add(new EventField("event_time", FieldType.TIMESTAMP, e -> e.getEventTime().toEpochMilli()));
        string("item_id", ClickEvent::getItemId);
        string("category", ClickEvent::getCategory);
        add(new EventField("price", FieldType.NUMBER, ClickEvent::getPrice));
        add(new EventField("quantity", FieldType.NUMBER, e -> e.getQuantity() == null ? null : e.getQuantity().doubleValue()));
        add(new EventField("revenue", FieldType.NUMBER, e -> e.getPrice() == null ? null
                : e.getPrice() * (e.getQuantity() == null ? 1 : e.getQuantity())));
        string("search_query", ClickEvent::getSearchQuery);
        string("page_url", ClickEvent::getPageUrl);
        string("referrer", ClickEvent::getReferrer);
        string("device", ClickEvent::getDevice);
        string("country", ClickEvent::getCountry);
    }

    private EventFields() {
    }

    /** The field called {@code name}. */
    public static Optional<EventField> find(final String name) {
        if (name == null) {
            return Optional.empty();
        }
        if (name.startsWith(PROPERTY_PREFIX) && name.length() > PROPERTY_PREFIX.length()) {
            final String key = name.substring(PROPERTY_PREFIX.length());
            return Optional.of(new EventField(name, FieldType.STRING,
                    e -> e.getProperties() == null ? null : e.getProperties().get(key)));
        }
        return Optional.ofNullable(FIELDS.get(name));
    }

    /** @throws IllegalArgumentException naming the known fields when there is no such field */
    public static EventField resolve(final String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("'" + name
                + "' is not a field of ClickEvent; known fields: " + String.join(", ", FIELDS.keySet())
                + ", or properties.<key>"));
    }

    private static void string(final String name, final java.util.function.Function<ClickEvent, String> reader) {
        add(new EventField(name, FieldType.STRING, reader::apply));
    }

    private static void add(final EventField field) {
        FIELDS.put(field.name(), field);
    }
}
