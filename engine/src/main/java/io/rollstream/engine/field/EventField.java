package io.rollstream.engine.field;

import io.rollstream.schemas.ClickEvent;

import java.util.function.Function;

/**
 * A named value read from an event: a schema field, a property, or a value derived from fields
 * (such as revenue). Features name the field they aggregate; an event whose field is absent does
 * not change that feature.
 */
public record EventField(String name, FieldType type, Function<ClickEvent, Object> reader) {

    /** The value, typed per {@link FieldType}, or null when the event does not have it. */
    public Object value(final ClickEvent event) {
        return reader.apply(event);
    }

    /** The value as a double, or NaN when absent; only for NUMBER and TIMESTAMP fields. */
    public double doubleValue(final ClickEvent event) {
        final Object value = reader.apply(event);
        return value == null ? Double.NaN : ((Number) value).doubleValue();
    }

    public boolean isNumeric() {
        return type == FieldType.NUMBER || type == FieldType.TIMESTAMP;
    }
}
