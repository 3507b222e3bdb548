package io.rollstream.topologies.ingest;

import io.rollstream.schemas.ClickEvent;
import io.rollstream.schemas.EventType;

import java.time.Duration;
import java.util.Optional;

/**
 * The checks a decoded event must pass before it may change a feature. Time is judged against the
 * record's own timestamp (when the producer sent it) rather than this machine's clock, so a
 * replay of old data gets the same verdicts as the live run did.
 */
public final class EventValidator {

    /** A failed check: why, and a message naming the offending value. */
    public record Violation(RejectReason reason, String message) {
    }

    private final long maxFutureSkewMs;

    public EventValidator(final Duration maxFutureSkew) {
        if (maxFutureSkew.isNegative()) {
            throw new IllegalArgumentException("max future skew must not be negative, got " + maxFutureSkew);
        }
        this.maxFutureSkewMs = maxFutureSkew.toMillis();
    }

    public Optional<Violation> check(final ClickEvent event, final long recordTimestampMs) {
        if (isBlank(event.getEventId())) {
            return violation(RejectReason.MISSING_EVENT_ID, "event_id is missing or blank");
        }
        if (isBlank(event.getUserId())) {
            return violation(RejectReason.MISSING_USER_ID, "user_id is missing or blank (event " + event.getEventId() + ")");
        }
        if (event.getEventType() == null || event.getEventType() == EventType.UNKNOWN) {
            return violation(RejectReason.UNKNOWN_EVENT_TYPE, "event_type is not one this pipeline knows (event "
                    + event.getEventId() + "); known types: " + knownTypes());
        }
        final long eventTime = event.getEventTime().toEpochMilli();
        if (eventTime > recordTimestampMs + maxFutureSkewMs) {
            return violation(RejectReason.FUTURE_EVENT_TIME, "event_time " + event.getEventTime() + " is "
                    + Duration.ofMillis(eventTime - recordTimestampMs) + " after the record was produced; at most "
                    + Duration.ofMillis(maxFutureSkewMs) + " of clock skew is allowed (event " + event.getEventId() + ")");
        }
        return Optional.empty();
    }

    private static Optional<Violation> violation(final RejectReason reason, final String message) {
        return Optional.of(new Violation(reason, message));
    }

    private static boolean isBlank(final String value) {
        return value == null || value.isBlank();
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
