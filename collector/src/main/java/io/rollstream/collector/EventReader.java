package io.rollstream.collector;

import io.rollstream.schemas.contract.Texts;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import io.rollstream.schemas.contract.RejectReason;
import org.apache.avro.Schema;

import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one JSON event straight from the parser into a {@link ClickEvent}, checking it against the schema
 * on the way. The field list and types come from the schema itself ({@link FieldReader}), so a field added to
 * {@code ClickEvent.avsc} is accepted without a change here; on top of the schema come the pipeline's rules:
 * {@code event_type}, {@code user_id} and {@code event_time} are required and the event time is not too old
 * ({@link EventTimes}). The contract's rules — ids, lengths, sizes, clock skew — are checked on the complete
 * event by the one {@link io.rollstream.schemas.contract.EventValidator}, after {@link EventIds} has filled
 * in a missing {@code event_id}.
 *
 * <p>Streaming rather than building a JSON tree first: the tree cost as much as all the checks together. Each
 * event gets the first problem found, named by field, and the rest of the event is skipped, so the next event
 * of the batch is read normally.
 */
final class EventReader {

    /** The outcome for one event: a valid event, or the field at fault and why. */
    sealed interface Reading permits Valid, Invalid {
    }

    /** A valid event; {@code hasOwnId} is false when the client sent no event_id. */
    record Valid(ClickEvent event, boolean hasOwnId) implements Reading {
    }

    /**
     * An invalid event: {@code field} is null when the problem is not one field's (not an object, not
     * JSON); {@code reason} is the contract's when a rule of {@link io.rollstream.schemas.contract.EventValidator}
     * failed, null for a problem of the JSON itself.
     */
    record Invalid(String field, String error, RejectReason reason) implements Reading {
        Invalid(final String field, final String error) {
            this(field, error, null);
        }
    }

    private static final Schema SCHEMA = ClickEvent.getClassSchema();
    static final String EVENT_TIME = "event_time";
    private static final String EVENT_TYPE = "event_type";
    private static final String USER_ID = "user_id";
    private static final List<String> REQUIRED = List.of(EVENT_TYPE, USER_ID, EVENT_TIME);

    private final EventTimes times;
    private final Map<String, FieldReader> fields = new HashMap<>();
    private final String fieldNames;
    private final String clientEventTypes;
    private final int eventTimePosition;

    EventReader(final EventTimes times) {
        this.times = times;
        for (final Schema.Field field : SCHEMA.getFields()) {
            if (!field.name().equals(EVENT_TIME)) {
                fields.put(field.name(), FieldReader.of(field));
            }
        }
        this.fieldNames = String.join(", ", SCHEMA.getFields().stream().map(Schema.Field::name).toList());
        this.clientEventTypes = FieldReader.symbols(SCHEMA.getField(EVENT_TYPE).schema());
        this.eventTimePosition = SCHEMA.getField(EVENT_TIME).pos();
    }

    /**
     * Reads the value at the parser's current token as one event and leaves the parser on that value's last
     * token, whatever was wrong with it.
     *
     * @throws IOException when the JSON itself is broken (the caller decides what that costs)
     */
    Reading read(final JsonParser parser, final Instant now) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            final String got = JsonValues.describe(parser);
            parser.skipChildren();
            return new Invalid(null, "an event is a JSON object, got " + got);
        }
        final ClickEvent event = new ClickEvent();
        long seen = 0;
        Invalid problem = null;
        for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
            final String name = parser.currentName();
            parser.nextToken();
            if (problem != null) {
                parser.skipChildren();
                continue;
            }
            final FieldReader field = fields.get(name);
            final int position = field != null ? field.position() : name.equals(EVENT_TIME) ? eventTimePosition : -1;
            if (position < 0) {
                problem = new Invalid(name, "unknown field '" + Texts.abbreviate(name) + "'; a ClickEvent has "
                        + fieldNames + " (put free-form values in properties)");
            } else if ((seen & (1L << position)) != 0) {
                problem = new Invalid(name, name + " appears twice in the event; send each field once");
            } else {
                seen |= 1L << position;
                problem = field == null ? readTime(parser, event, now) : readField(parser, field, event);
            }
            if (problem != null) {
                parser.skipChildren();
            }
        }
        return problem != null ? problem : complete(event, seen);
    }

    private static Invalid readField(final JsonParser parser, final FieldReader field, final ClickEvent event)
            throws IOException {
        final Object value;
        try {
            value = field.read(parser);
        } catch (final FieldReader.InvalidField wrong) {
            return new Invalid(wrong.field(), wrong.getMessage());
        }
        event.put(field.position(), value);
        return null;
    }

    private Invalid readTime(final JsonParser parser, final ClickEvent event, final Instant now) throws IOException {
        final EventTimes.Parsed time = times.read(parser, now);
        if (time.error() != null) {
            return new Invalid(EVENT_TIME, time.error());
        }
        event.setEventTime(time.instant());
        return null;
    }

    /** The checks that need the whole event: required fields, the client-facing enum, defaults. */
    private Reading complete(final ClickEvent event, final long seen) {
        for (final String name : REQUIRED) {
            final int position = name.equals(EVENT_TIME) ? eventTimePosition : fields.get(name).position();
            if ((seen & (1L << position)) == 0 || event.get(position) == null) {
                return new Invalid(name, name + " is required");
            }
        }
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
}
