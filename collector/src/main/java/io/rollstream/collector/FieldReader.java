package io.rollstream.collector;

import io.rollstream.schemas.contract.Texts;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.rollstream.schemas.ClickEvent;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How one {@link ClickEvent} field is read from JSON, derived once from the field's Avro type: strings,
 * numbers, booleans, the event-type enum and maps of strings, each optionally null. A schema field of another
 * type fails the collector's start, not a request.
 *
 * @param symbols for an enum, the symbols a client may send (all but the reader's fallback)
 */
record FieldReader(String name, int position, Schema.Type type, boolean nullable, Schema schema, String symbols) {

    /** The generated classes' model: turns an enum symbol into the generated Java enum. */
    private static final SpecificData MODEL = SpecificData.getForClass(ClickEvent.class);

    /** A value that does not fit its field; {@code field} is dotted for a value inside a map. */
    static final class InvalidField extends Exception {
        private static final long serialVersionUID = 1L;
        private final String field;

        InvalidField(final String field, final String message) {
            super(message, null, false, false);
            this.field = field;
        }

        String field() {
            return field;
        }
    }

    static FieldReader of(final Schema.Field field) {
        Schema schema = field.schema();
        boolean nullable = false;
        if (schema.isUnion()) {
            final List<Schema> branches = new ArrayList<>(schema.getTypes());
            nullable = branches.removeIf(branch -> branch.getType() == Schema.Type.NULL);
            if (branches.size() != 1) {
                throw new IllegalStateException("ClickEvent field " + field.name() + " is a union of " + branches
                        + "; the collector reads only optional single types. Extend FieldReader.");
            }
            schema = branches.getFirst();
        }
        switch (schema.getType()) {
            case STRING, INT, LONG, FLOAT, DOUBLE, BOOLEAN, ENUM -> {
            }
            case MAP -> {
                if (schema.getValueType().getType() != Schema.Type.STRING) {
                    throw new IllegalStateException("ClickEvent field " + field.name() + " is a map of "
                            + schema.getValueType() + "; the collector reads maps of strings only. Extend FieldReader.");
                }
            }
            default -> throw new IllegalStateException("ClickEvent field " + field.name() + " has type "
                    + schema.getType() + ", which the collector cannot read from JSON. Extend FieldReader.");
        }
        // A field with a default (event_type: UNKNOWN, properties: {}) may be left out: Avro or EventReader fills it.
        return new FieldReader(field.name(), field.pos(), schema.getType(), nullable || field.hasDefaultValue(), schema,
                schema.getType() == Schema.Type.ENUM ? symbols(schema) : null);
    }

    /** The Avro value at the parser's current token (null for JSON null); leaves the parser on the value's last token. */
    Object read(final JsonParser parser) throws IOException, InvalidField {
        final JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            if (!nullable) {
                throw new InvalidField(name, name + " must not be null");
            }
            return null;
        }
        return switch (type) {
            case STRING -> {
                require(token == JsonToken.VALUE_STRING, "a string", parser);
                yield parser.getText();
            }
            case INT -> {
                require(token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT,
                        "an integer (32-bit)", parser);
                yield parser.getIntValue();
            }
            case LONG -> {
                require(token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER,
                        "an integer (64-bit)", parser);
                yield parser.getLongValue();
            }
            case FLOAT, DOUBLE -> {
                require(token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT, "a number", parser);
                final double value = parser.getDoubleValue();
                require(Double.isFinite(value), "a finite number", parser);
                yield type == Schema.Type.FLOAT ? (Object) (float) value : (Object) value;
            }
            case BOOLEAN -> {
                require(token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE, "true or false", parser);
                yield token == JsonToken.VALUE_TRUE;
            }
            case ENUM -> {
                require(token == JsonToken.VALUE_STRING, "a string, one of " + symbols, parser);
                if (!schema.hasEnumSymbol(parser.getText())) {
                    throw new InvalidField(name, name + " '" + Texts.abbreviate(parser.getText()) + "' is not one of "
                            + symbols);
                }
                yield MODEL.createEnum(parser.getText(), schema);
            }
            case MAP -> readMap(parser);
            default -> throw new IllegalStateException("unreachable: of() admits no other type");
        };
    }

    private Map<String, String> readMap(final JsonParser parser) throws IOException, InvalidField {
        require(parser.currentToken() == JsonToken.START_OBJECT, "an object of string values", parser);
        // Sorted, so that the same properties always encode to the same bytes (see EventIds).
        final Map<String, String> map = new TreeMap<>();
        for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
            final String key = parser.currentName();
            final String dotted = name + "." + key;
            if (parser.nextToken() != JsonToken.VALUE_STRING) {
                final String got = JsonValues.describe(parser);
                parser.skipChildren();
                skipRestOfObject(parser);
                throw new InvalidField(dotted, dotted + " must be a string, got " + got);
            }
            if (map.put(key, parser.getText()) != null) {
                skipRestOfObject(parser);
                throw new InvalidField(dotted, dotted + " appears twice; send each key once");
            }
        }
        return map;
    }

    /** Leaves the parser on the END_OBJECT of the object it is inside, so the caller's reading stays in step. */
    private static void skipRestOfObject(final JsonParser parser) throws IOException {
        for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
            parser.nextToken();
            parser.skipChildren();
        }
    }

    private void require(final boolean ok, final String expected, final JsonParser parser) throws IOException, InvalidField {
        if (!ok) {
            throw new InvalidField(name, name + " must be " + expected + ", got " + JsonValues.describe(parser));
        }
    }

    /** The symbols a client may send: all but the reader's fallback UNKNOWN. */
    static String symbols(final Schema enumSchema) {
        return String.join(", ", enumSchema.getEnumSymbols().stream()
                .filter(symbol -> !symbol.equals(enumSchema.getEnumDefault())).toList());
    }
}
