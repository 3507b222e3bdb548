package io.rollstream.collector;

import com.fasterxml.jackson.databind.JsonNode;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks one JSON event against the {@link ClickEvent} schema and turns it into one. The field list and
 * types come from the schema itself, so a field added to {@code ClickEvent.avsc} is accepted without a change
 * here; on top of the schema come the pipeline's rules: {@code event_type}, {@code user_id} and
 * {@code event_time} are required, ids are readable back over the feature API, and the event time is sane
 * ({@link EventTimes}). A missing {@code event_id} is left empty for {@link EventIds} to fill in.
 *
 * <p>Each event gets the first problem found, named by field, so a client can fix it.
 */
final class EventReader {

    /** The outcome for one event: a valid event, or the field at fault and why. */
    sealed interface Reading permits Valid, Invalid {
    }

    /** A valid event; {@code hasOwnId} is false when the client sent no event_id. */
    record Valid(ClickEvent event, boolean hasOwnId) implements Reading {
    }

    /** An invalid event: {@code field} is null when the problem is not one field's (not an object, not JSON). */
    record Invalid(String field, String error) implements Reading {
    }

    private static final Schema SCHEMA = ClickEvent.getClassSchema();
    /** The generated classes' model: turns an enum symbol into the generated Java enum. */
    private static final SpecificData MODEL = SpecificData.getForClass(ClickEvent.class);
    private static final String EVENT_ID = "event_id";
    private static final String EVENT_TYPE = "event_type";
    private static final String USER_ID = "user_id";
    private static final String EVENT_TIME = "event_time";
    private static final Set<String> REQUIRED = Set.of(EVENT_TYPE, USER_ID, EVENT_TIME);
    /** Entity keys: read back at /v1/features/{entity}/{id}, which takes at most this many characters. */
    private static final Set<String> IDS = Set.of(EVENT_ID, USER_ID, "item_id");
    private static final int MAX_ID_LENGTH = 256;

    private final EventTimes times;
    private final Map<String, FieldType> fields = new LinkedHashMap<>();
    private final String fieldNames;
    private final String clientEventTypes;

    EventReader(final EventTimes times) {
        this.times = times;
        for (final Schema.Field field : SCHEMA.getFields()) {
            if (!field.name().equals(EVENT_TIME)) {
                fields.put(field.name(), FieldType.of(field));
            }
        }
        this.fieldNames = String.join(", ", SCHEMA.getFields().stream().map(Schema.Field::name).toList());
        this.clientEventTypes = FieldType.symbols(SCHEMA.getField(EVENT_TYPE).schema());
    }

    Reading read(final JsonNode json, final Instant now) {
        if (json == null || !json.isObject()) {
            return new Invalid(null, "an event is a JSON object, got " + describe(json));
        }
        for (final Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            final String name = names.next();
            if (!name.equals(EVENT_TIME) && !fields.containsKey(name)) {
                return new Invalid(name, "unknown field '" + name + "'; a ClickEvent has " + fieldNames
                        + " (put free-form values in properties)");
            }
        }
        for (final String name : REQUIRED) {
            if (!json.hasNonNull(name)) {
                return new Invalid(name, name + " is required");
            }
        }
        final ClickEvent event = new ClickEvent();
        for (final FieldType field : fields.values()) {
            final String name = field.name();
            final JsonNode value = json.get(name);
            if (name.equals(EVENT_ID) && (value == null || value.isNull())) {
                continue;
            }
            final Object converted;
            try {
                converted = field.convert(value);
            } catch (final InvalidField wrong) {
                return new Invalid(wrong.field, wrong.getMessage());
            }
            final String idProblem = field.isId() && converted != null ? idProblem(name, (String) converted) : null;
            if (idProblem != null) {
                return new Invalid(name, idProblem);
            }
            event.put(field.position(), converted);
        }
        final EventTimes.Parsed time = times.parse(json.get(EVENT_TIME), now);
        if (time.error() != null) {
            return new Invalid(EVENT_TIME, time.error());
        }
        event.setEventTime(time.instant());
        if (event.getEventType() == EventType.UNKNOWN) {
            return new Invalid(EVENT_TYPE, "UNKNOWN is not an event type a client may send; use one of "
                    + clientEventTypes);
        }
        final boolean hasOwnId = event.getEventId() != null;
        if (!hasOwnId) {
            event.setEventId("");
        }
        if (event.getProperties() == null) {
            event.setProperties(Map.of());
        }
        return new Valid(event, hasOwnId);
    }

    private static String idProblem(final String field, final String id) {
        if (id.isBlank()) {
            return field + " must not be blank";
        }
        if (id.length() > MAX_ID_LENGTH) {
            return field + " has " + id.length() + " characters, over the limit of " + MAX_ID_LENGTH
                    + " (ids are read back at /v1/features/{entity}/{id})";
        }
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i))) {
                return field + " contains a control character (U+" + String.format("%04X", (int) id.charAt(i))
                        + ") at position " + i;
            }
        }
        return null;
    }

    static String describe(final JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "nothing";
        }
        final String type = switch (value.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> value.isIntegralNumber() ? "an integer" : "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> value.getNodeType().name().toLowerCase();
        };
        final String text = value.isContainerNode() ? "" : " " + Texts.abbreviate(value.toString());
        return type + text;
    }

    /** A value that does not fit its field; {@code field} is dotted for a value inside a map. */
    private static final class InvalidField extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String field;

        InvalidField(final String field, final String message) {
            super(message, null, false, false);
            this.field = field;
        }
    }

    /** How one schema field is read from JSON; derived from the field's Avro type once, at startup. */
    private record FieldType(String name, int position, Schema.Type type, boolean nullable, Schema schema,
                             boolean isId, String symbols) {

        static FieldType of(final Schema.Field field) {
            Schema schema = field.schema();
            boolean nullable = false;
            if (schema.isUnion()) {
                final List<Schema> branches = new ArrayList<>(schema.getTypes());
                nullable = branches.removeIf(branch -> branch.getType() == Schema.Type.NULL);
                if (branches.size() != 1) {
                    throw new IllegalStateException("ClickEvent field " + field.name() + " is a union of " + branches
                            + "; the collector reads only optional single types. Extend EventReader.");
                }
                schema = branches.getFirst();
            }
            switch (schema.getType()) {
                case STRING, INT, LONG, FLOAT, DOUBLE, BOOLEAN, ENUM -> {
                }
                case MAP -> {
                    if (schema.getValueType().getType() != Schema.Type.STRING) {
                        throw new IllegalStateException("ClickEvent field " + field.name() + " is a map of "
                                + schema.getValueType() + "; the collector reads maps of strings only. Extend EventReader.");
                    }
                }
                default -> throw new IllegalStateException("ClickEvent field " + field.name() + " has type "
                        + schema.getType() + ", which the collector cannot read from JSON. Extend EventReader.");
            }
            // A map with a default (properties: {}) may be left out; Avro fills the default in.
            return new FieldType(field.name(), field.pos(), schema.getType(), nullable || field.hasDefaultValue(), schema,
                    IDS.contains(field.name()), schema.getType() == Schema.Type.ENUM ? symbols(schema) : null);
        }

        /** The Avro value of {@code json}, or null when absent. */
        Object convert(final JsonNode json) {
            if (json == null || json.isNull()) {
                if (!nullable) {
                    throw new InvalidField(name, name + " must not be null");
                }
                return null;
            }
            return switch (type) {
                case STRING -> {
                    require(json.isTextual(), "a string", json);
                    yield json.textValue();
                }
                case INT -> {
                    require(json.isIntegralNumber() && json.canConvertToInt(), "an integer (32-bit)", json);
                    yield json.intValue();
                }
                case LONG -> {
                    require(json.isIntegralNumber() && json.canConvertToLong(), "an integer (64-bit)", json);
                    yield json.longValue();
                }
                case FLOAT, DOUBLE -> {
                    require(json.isNumber(), "a number", json);
                    final double value = json.doubleValue();
                    require(Double.isFinite(value), "a finite number", json);
                    yield type == Schema.Type.FLOAT ? (Object) (float) value : (Object) value;
                }
                case BOOLEAN -> {
                    require(json.isBoolean(), "true or false", json);
                    yield json.booleanValue();
                }
                case ENUM -> {
                    if (!json.isTextual()) {
                        throw new InvalidField(name, name + " must be a string, one of " + symbols + ", got " + describe(json));
                    }
                    if (!schema.hasEnumSymbol(json.textValue())) {
                        throw new InvalidField(name, name + " '" + Texts.abbreviate(json.textValue()) + "' is not one of "
                                + symbols);
                    }
                    yield MODEL.createEnum(json.textValue(), schema);
                }
                case MAP -> {
                    require(json.isObject(), "an object of string values", json);
                    // Sorted, so that the same properties always encode to the same bytes (see EventIds).
                    final Map<String, String> map = new TreeMap<>();
                    for (final Map.Entry<String, JsonNode> entry : json.properties()) {
                        if (!entry.getValue().isTextual()) {
                            final String key = name + "." + entry.getKey();
                            throw new InvalidField(key, key + " must be a string, got " + describe(entry.getValue()));
                        }
                        map.put(entry.getKey(), entry.getValue().textValue());
                    }
                    yield map;
                }
                default -> throw new IllegalStateException("unreachable: checked in of()");
            };
        }

        private void require(final boolean ok, final String expected, final JsonNode json) {
            if (!ok) {
                throw new InvalidField(name, name + " must be " + expected + ", got " + describe(json));
            }
        }

        /** The symbols a client may send: all but the reader's fallback UNKNOWN. */
        static String symbols(final Schema enumSchema) {
            return String.join(", ", enumSchema.getEnumSymbols().stream()
                    .filter(symbol -> !symbol.equals(enumSchema.getEnumDefault())).toList());
        }
    }
}
