package io.rollstream.collector;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Reads {@code event_time} — an ISO-8601 instant with a zone or offset, or epoch milliseconds — and checks it
 * is plausible against this collector's clock: not further ahead than the allowed clock skew (the pipeline
 * would dead-letter it as a future event) and not older than the maximum age (it would be dead-lettered as
 * late, or could change no feature). Rejecting here tells the client at once instead of silently later.
 */
final class EventTimes {

    /** An instant, or why there is none. */
    record Parsed(Instant instant, String error) {
    }

    /** Epoch milliseconds below this are before 1973: almost surely epoch seconds sent by mistake. */
    private static final long SMALLEST_PLAUSIBLE_MILLIS = 100_000_000_000L;

    private final Duration maxFutureSkew;
    private final Duration maxAge;

    EventTimes(final Duration maxFutureSkew, final Duration maxAge) {
        this.maxFutureSkew = maxFutureSkew;
        this.maxAge = maxAge;
    }

    Parsed parse(final JsonNode json, final Instant now) {
        final Instant time;
        if (json.isIntegralNumber() && json.canConvertToLong()) {
            time = Instant.ofEpochMilli(json.longValue());
        } else if (json.isTextual()) {
            try {
                time = Instant.parse(json.textValue());
            } catch (final DateTimeParseException e) {
                return error("event_time '" + Texts.abbreviate(json.textValue()) + "' is not an ISO-8601 instant; write it "
                        + "like 2026-11-21T12:00:00Z or 2026-11-21T13:00:00+01:00 (the zone is required), or as "
                        + "epoch milliseconds");
            }
        } else {
            return error("event_time must be an ISO-8601 string or epoch milliseconds (an integer), got "
                    + EventReader.describe(json));
        }
        if (time.isAfter(now.plus(maxFutureSkew))) {
            return error("event_time " + time + " is " + Texts.duration(Duration.between(now, time).truncatedTo(ChronoUnit.SECONDS))
                    + " ahead of the collector's clock (" + now + "); at most " + Texts.duration(maxFutureSkew) + " of clock skew "
                    + "is allowed. Check the client's clock.");
        }
        if (time.isBefore(now.minus(maxAge))) {
            final String hint = json.isIntegralNumber() && json.longValue() < SMALLEST_PLAUSIBLE_MILLIS
                    && json.longValue() > 0 ? " It looks like epoch seconds: send milliseconds (multiply by 1000)." : "";
            return error("event_time " + time + " is older than the maximum age of " + Texts.duration(maxAge) + "; "
                    + "the pipeline would drop it as late." + hint);
        }
        return new Parsed(time, null);
    }

    private static Parsed error(final String message) {
        return new Parsed(null, message);
    }
}
