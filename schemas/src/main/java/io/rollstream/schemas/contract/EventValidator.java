package io.rollstream.schemas.contract;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;
import org.apache.avro.Schema;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules a decoded event must satisfy before it may change a feature: the one statement of them.
 * The collector runs it on every event it is sent and refuses what fails; the ingest runs it on every
 * record it decodes and dead-letters what fails, with the same reason and the same words.
 *
 * <p>Time is judged against a reference the caller chooses: the ingest passes the record's own
 * timestamp (when the producer sent it), so a replay of old data gets the verdicts the live run
 * got; the collector passes its clock, as it is the producer.
 */
public final class EventValidator {

    /**
     * A failed rule: why, the field at fault ({@code event} when it is the whole event), and a
     * message naming the value and the limit.
     */
    public record Violation(RejectReason reason, String field, String message) {
    }

    private static final String PROPERTIES = "properties";
    /** What a violation of the whole event, not one field, names as its field. */
    public static final String WHOLE_EVENT = "event";

    private final long maxFutureSkewMs;
    private final Duration maxFutureSkew;
    private final EventLimits limits;
    private final int[] stringPositions;
    private final String[] stringNames;
    private final int propertiesPosition;

    public EventValidator(final ClockSkew skew, final EventLimits limits) {
        this.maxFutureSkew = Objects.requireNonNull(skew, "skew").maxFutureSkew();
        this.maxFutureSkewMs = maxFutureSkew.toMillis();
        this.limits = Objects.requireNonNull(limits, "limits");
        final List<Schema.Field> strings = new ArrayList<>();
        for (final Schema.Field field : ClickEvent.getClassSchema().getFields()) {
            if (isString(field.schema())) {
                strings.add(field);
            }
        }
        this.stringPositions = strings.stream().mapToInt(Schema.Field::pos).toArray();
        this.stringNames = strings.stream().map(Schema.Field::name).toArray(String[]::new);
        this.propertiesPosition = ClickEvent.getClassSchema().getField(PROPERTIES).pos();
    }

    /** The contract's defaults: {@link ClockSkew#defaults()}, {@link EventLimits#defaults()}. */
    public static EventValidator defaults() {
        return new EventValidator(ClockSkew.defaults(), EventLimits.defaults());
    }

    public EventLimits limits() {
        return limits;
    }

    /**
     * The first rule {@code event} breaks, or empty.
     *
     * @param encodedBytes    the size of the event's Avro encoding, without the Confluent header
     * @param referenceTimeMs what "now" is for the event time: the record's timestamp, or the collector's clock
     */
    public Optional<Violation> check(final ClickEvent event, final int encodedBytes, final long referenceTimeMs) {
        if (isBlank(event.getEventId())) {
            return violation(RejectReason.MISSING_EVENT_ID, "event_id", "event_id is missing or blank");
        }
        if (isBlank(event.getUserId())) {
            return violation(RejectReason.MISSING_USER_ID, "user_id", "user_id is missing or blank");
        }
        for (int i = 0; i < stringPositions.length; i++) {
            final Object value = event.get(stringPositions[i]);
            if (value != null) {
                final Optional<Violation> problem = checkString(stringNames[i], (CharSequence) value);
                if (problem.isPresent()) {
                    return problem;
                }
            }
        }
        final Optional<Violation> properties = checkProperties(event.get(propertiesPosition));
        if (properties.isPresent()) {
            return properties;
        }
        if (encodedBytes > limits.maxEventBytes()) {
            return violation(RejectReason.OVERSIZED, WHOLE_EVENT, "the event encodes to " + encodedBytes
                    + " bytes of Avro, over the limit of " + limits.maxEventBytes() + " ("
                    + EventLimits.MAX_EVENT_BYTES_CONFIG + ")");
        }
        if (event.getEventType() == null || event.getEventType() == EventType.UNKNOWN) {
            return violation(RejectReason.UNKNOWN_EVENT_TYPE, "event_type", "event_type is not one this pipeline "
                    + "knows (event " + event.getEventId() + "); known types: " + knownTypes());
        }
        final Instant eventTime = event.getEventTime();
        if (eventTime == null) {
            return violation(RejectReason.MALFORMED, "event_time", "event_time is missing");
        }
        if (eventTime.toEpochMilli() > referenceTimeMs + maxFutureSkewMs) {
            return violation(RejectReason.FUTURE_EVENT_TIME, "event_time", "event_time " + eventTime + " is "
                    + Texts.duration(Duration.ofMillis(eventTime.toEpochMilli() - referenceTimeMs)) + " ahead of "
                    + Instant.ofEpochMilli(referenceTimeMs) + ", when it was sent; at most " + Texts.duration(maxFutureSkew)
                    + " of clock skew is allowed (" + ClockSkew.MAX_FUTURE_SKEW_CONFIG + "). Check the client's clock.");
        }
        return Optional.empty();
    }

    private Optional<Violation> checkString(final String field, final CharSequence value) {
        final int max = limits.maxChars(field);
        if (value.length() > max) {
            return violation(RejectReason.OVERSIZED, field, field + " has " + value.length()
                    + " characters, over the limit of " + max + " (" + EventLimits.configOf(field) + ")");
        }
        // Ids are keys (read back over the API, written in store keys and log lines): never blank, no control characters.
        if (EventLimits.ID_FIELDS.contains(field)) {
            if (isBlank(value)) {
                return violation(RejectReason.INVALID_ID, field, field + " must not be blank");
            }
            for (int i = 0; i < value.length(); i++) {
                if (Character.isISOControl(value.charAt(i))) {
                    return violation(RejectReason.INVALID_ID, field, field + " contains a control character (U+"
                            + String.format("%04X", (int) value.charAt(i)) + ") at position " + i);
                }
            }
        }
        return Optional.empty();
    }

    private Optional<Violation> checkProperties(final Object value) {
        if (!(value instanceof Map<?, ?> properties)) {
            return Optional.empty();
        }
        if (properties.size() > limits.maxPropertyEntries()) {
            return violation(RejectReason.OVERSIZED, PROPERTIES, "properties has " + properties.size()
                    + " entries, over the limit of " + limits.maxPropertyEntries() + " ("
                    + EventLimits.MAX_PROPERTY_ENTRIES_CONFIG + ")");
        }
        for (final Map.Entry<?, ?> entry : properties.entrySet()) {
            final CharSequence key = (CharSequence) entry.getKey();
            if (key.length() > limits.maxPropertyKeyChars()) {
                return violation(RejectReason.OVERSIZED, PROPERTIES, "a key of properties has " + key.length()
                        + " characters, over the limit of " + limits.maxPropertyKeyChars() + " ("
                        + EventLimits.MAX_PROPERTY_KEY_CHARS_CONFIG + ")");
            }
            final CharSequence text = (CharSequence) entry.getValue();
            if (text != null && text.length() > limits.maxPropertyValueChars()) {
                final String field = PROPERTIES + "." + key;
                return violation(RejectReason.OVERSIZED, field, field + " has " + text.length()
                        + " characters, over the limit of " + limits.maxPropertyValueChars() + " ("
                        + EventLimits.MAX_PROPERTY_VALUE_CHARS_CONFIG + ")");
            }
        }
        return Optional.empty();
    }

    private static boolean isString(final Schema schema) {
        if (schema.getType() == Schema.Type.STRING) {
            return true;
        }
        return schema.isUnion() && schema.getTypes().stream().anyMatch(branch -> branch.getType() == Schema.Type.STRING);
    }

    private static Optional<Violation> violation(final RejectReason reason, final String field, final String message) {
        return Optional.of(new Violation(reason, field, message));
    }

    private static boolean isBlank(final CharSequence value) {
        return value == null || value.toString().isBlank();
    }

    private static String knownTypes() {
        final StringBuilder names = new StringBuilder();
        for (final EventType type : EventType.values()) {
            if (type != EventType.UNKNOWN) {
                names.append(names.isEmpty() ? "" : ", ").append(type.name());
            }
        }
        return names.toString();
    }
}
