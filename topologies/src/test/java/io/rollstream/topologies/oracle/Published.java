package io.rollstream.topologies.oracle;

import io.rollstream.schemas.ClickEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One record as a producer published it to {@code clickstream.events}: keyed by user id, with the
 * producer's record timestamp, carrying an event or (for {@link #garbage}) bytes that are not
 * Avro at all.
 *
 * @param event     the event, or null for a garbage record
 * @param timestamp the record timestamp (producer time), epoch millis
 */
public record Published(String key, ClickEvent event, long timestamp) {

    public static Published of(final ClickEvent event, final long timestamp) {
        Objects.requireNonNull(event, "event");
        return new Published(event.getUserId() == null ? "" : event.getUserId(), event, timestamp);
    }

    public static Published garbage(final String key, final long timestamp) {
        return new Published(key, null, timestamp);
    }

    public boolean isGarbage() {
        return event == null;
    }

    /** Times are shown relative to {@code origin} (as +1d02:03:04.005) so counterexamples stay readable. */
    public String describe(final long origin) {
        if (event == null) {
            return "garbage key=" + key + " ts=" + relative(timestamp, origin);
        }
        final long eventTime = event.getEventTime().toEpochMilli();
        final StringBuilder text = new StringBuilder()
                .append(event.getEventType()).append(' ').append(event.getEventId())
                .append(" user=").append(quoteIfOdd(event.getUserId()))
                .append(" ts=").append(relative(timestamp, origin))
                .append(" t=").append(relative(eventTime, origin))
                .append(" (t-ts=").append(signed(eventTime - timestamp)).append(')');
        optional(text, "item", event.getItemId());
        optional(text, "cat", event.getCategory());
        optional(text, "price", event.getPrice());
        optional(text, "qty", event.getQuantity());
        optional(text, "query", event.getSearchQuery());
        optional(text, "device", event.getDevice());
        optional(text, "country", event.getCountry());
        return text.toString();
    }

    @Override
    public String toString() {
        return describe(0);
    }

    private static String quoteIfOdd(final String value) {
        return value == null ? "null" : value.isBlank() ? "'" + value + "'" : value;
    }

    private static void optional(final StringBuilder text, final String name, final Object value) {
        if (value != null) {
            text.append(' ').append(name).append('=').append(value);
        }
    }

    /** {@code +1d02:03:04.005} after the origin, or the instant itself when the origin is 0. */
    public static String relative(final long time, final long origin) {
        return origin == 0 ? Instant.ofEpochMilli(time).toString() : signed(time - origin);
    }

    static String signed(final long millis) {
        final Duration d = Duration.ofMillis(Math.abs(millis));
        final String body = (d.toDays() > 0 ? d.toDays() + "d" : "")
                + String.format("%02d:%02d:%02d.%03d", d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart(), d.toMillisPart());
        return (millis < 0 ? "-" : "+") + body;
    }
}
