package io.rollstream.collector;

import io.rollstream.schemas.contract.Texts;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Reads {@code event_time} — an ISO-8601 instant with a zone or offset, or epoch milliseconds — and checks it
 * is not older than the maximum age against this collector's clock (it would be dead-lettered as late, or
 * could change no feature). Rejecting here tells the client at once instead of silently later. How far ahead
 * it may be is the contract's rule, checked with the rest of them by
 * {@link io.rollstream.schemas.contract.EventValidator}.
 */
final class EventTimes {

    /** An instant, or why there is none. */
    record Parsed(Instant instant, String error) {
    }

    /** Epoch milliseconds below this are before 1973: almost surely epoch seconds sent by mistake. */
    private static final long SMALLEST_PLAUSIBLE_MILLIS = 100_000_000_000L;

    private final Duration maxAge;

    EventTimes(final Duration maxAge) {
        this.maxAge = maxAge;
    }

    /**
     * The event time at the parser's current token, checked against {@code now}. JSON null reads as no time at
     * all (the caller reports the field as required).
     */
    Parsed read(final JsonParser parser, final Instant now) throws IOException {
        final JsonToken token = parser.currentToken();
        final Instant time;
        boolean fromNumber = false;
        if (token == JsonToken.VALUE_NULL) {
            return new Parsed(null, null);
        } else if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            time = Instant.ofEpochMilli(parser.getLongValue());
            fromNumber = true;
        } else if (token == JsonToken.VALUE_STRING) {
            try {
                time = parseIso(parser.getText());
            } catch (final DateTimeParseException e) {
                return error("event_time '" + Texts.abbreviate(parser.getText()) + "' is not an ISO-8601 instant; write "
                        + "it like 2026-11-21T12:00:00Z or 2026-11-21T13:00:00+01:00 (the zone is required), or as "
                        + "epoch milliseconds");
            }
        } else {
            return error("event_time must be an ISO-8601 string or epoch milliseconds (an integer), got "
                    + JsonValues.describe(parser));
        }
        return check(time, fromNumber, now);
    }

    private Parsed check(final Instant time, final boolean fromNumber, final Instant now) {
        if (time.isBefore(now.minus(maxAge))) {
            final long millis = time.toEpochMilli();
            final String hint = fromNumber && millis > 0 && millis < SMALLEST_PLAUSIBLE_MILLIS
                    ? " It looks like epoch seconds: send milliseconds (multiply by 1000)." : "";
            return error("event_time " + time + " is older than the maximum age of " + Texts.duration(maxAge) + "; "
                    + "the pipeline would drop it as late." + hint);
        }
        return new Parsed(time, null);
    }

    /**
     * {@link Instant#parse}, with a fast path for the form nearly every client sends, {@code 2026-11-21T12:00:00Z}
     * with or without a fraction: the JDK's general parser costs more than all the other checks of an event.
     * Anything else, offsets included, goes to {@link Instant#parse}, which also words the errors.
     */
    static Instant parseIso(final String text) {
        final int length = text.length();
        if (length >= 20 && length <= 30 && text.charAt(length - 1) == 'Z' && text.charAt(4) == '-'
                && text.charAt(7) == '-' && text.charAt(10) == 'T' && text.charAt(13) == ':' && text.charAt(16) == ':'
                && (length == 20 || (length > 21 && text.charAt(19) == '.'))) {
            final int year = digits(text, 0, 4);
            final int month = digits(text, 5, 2);
            final int day = digits(text, 8, 2);
            final int hour = digits(text, 11, 2);
            final int minute = digits(text, 14, 2);
            final int second = digits(text, 17, 2);
            final int fraction = length == 20 ? 0 : digits(text, 20, length - 21);
            if ((year | month | day | hour | minute | second | fraction) >= 0) {
                try {
                    final int nanos = fraction * (int) Math.pow(10, length == 20 ? 0 : 9 - (length - 21));
                    return LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(ZoneOffset.UTC);
                } catch (final DateTimeException outOfRange) {
                    // February 30th, hour 24, a leap second: Instant.parse below decides and explains.
                }
            }
        }
        return Instant.parse(text);
    }

    /** The non-negative number in {@code text[from, from + count)}, or -1 if a character is not a digit. */
    private static int digits(final String text, final int from, final int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            final char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static Parsed error(final String message) {
        return new Parsed(null, message);
    }
}
