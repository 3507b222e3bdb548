package io.rollstream.collector;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a UTF-8 body into its events: a JSON object (one event), a JSON array (a batch) or NDJSON (one event
 * per line, blank lines ignored), each event read by the {@link EventReader}. Whole-body problems — not JSON
 * at all, empty, too many events — refuse the request; in NDJSON a line that is not JSON is that event's
 * rejection, since the other lines stand on their own.
 */
final class BatchParser {

    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private final EventReader reader;
    private final int maxEvents;

    BatchParser(final EventReader reader, final int maxEvents) {
        this.reader = reader;
        this.maxEvents = maxEvents;
    }

    /** @throws RequestException 400 for invalid JSON or an empty batch, 413 for too many events */
    List<EventReader.Reading> parse(final byte[] body, final BodyFormat format, final Instant now) throws RequestException {
        try {
            return format == BodyFormat.NDJSON ? parseLines(body, now) : parseJson(body, now);
        } catch (final JsonProcessingException e) {
            throw new RequestException(400, "The body is not valid JSON: " + describe(e) + ". Send one event as a "
                    + "JSON object or several as a JSON array of objects.");
        } catch (final IOException e) {
            throw new IllegalStateException("reading JSON from memory failed", e);
        }
    }

    private List<EventReader.Reading> parseJson(final byte[] body, final Instant now) throws IOException, RequestException {
        try (JsonParser parser = JSON.createParser(body)) {
            final JsonToken first = parser.nextToken();
            if (first == null) {
                throw empty("The body is empty");
            }
            final List<EventReader.Reading> readings = new ArrayList<>();
            if (first == JsonToken.START_OBJECT) {
                readings.add(reader.read(parser, now));
            } else if (first == JsonToken.START_ARRAY) {
                for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                    if (readings.size() == maxEvents) {
                        throw tooMany(maxEvents + countRest(parser));
                    }
                    readings.add(reader.read(parser, now));
                }
                if (readings.isEmpty()) {
                    throw empty("The batch is an empty JSON array");
                }
            } else {
                throw new RequestException(400, "The body is " + JsonValues.describe(parser) + ", not an event: send "
                        + "one event as a JSON object or several as a JSON array of objects.");
            }
            requireEnd(parser);
            return readings;
        }
    }

    private List<EventReader.Reading> parseLines(final byte[] body, final Instant now) throws IOException, RequestException {
        final List<int[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                if (!isBlank(body, start, i)) {
                    lines.add(new int[] {start, i});
                }
                start = i + 1;
            }
        }
        if (lines.isEmpty()) {
            throw empty("The NDJSON body has no events (no non-blank line)");
        }
        if (lines.size() > maxEvents) {
            throw tooMany(lines.size());
        }
        final List<EventReader.Reading> readings = new ArrayList<>(lines.size());
        for (final int[] line : lines) {
            try (JsonParser parser = JSON.createParser(body, line[0], line[1] - line[0])) {
                parser.nextToken();
                final EventReader.Reading reading = reader.read(parser, now);
                requireEnd(parser);
                readings.add(reading);
            } catch (final JsonProcessingException e) {
                readings.add(new EventReader.Invalid(null, "this line is not valid JSON: " + describe(e)
                        + " (NDJSON holds one complete JSON object per line)"));
            }
        }
        return readings;
    }

    /** Anything after the value is not what the client thinks it sent: refuse rather than ignore it. */
    private static void requireEnd(final JsonParser parser) throws IOException {
        if (parser.nextToken() != null) {
            throw new JsonProcessingException("Unexpected " + JsonValues.describe(parser) + " after the end of the value",
                    parser.currentLocation()) {
                private static final long serialVersionUID = 1L;
            };
        }
    }

    /** How many more elements the array holds, skipping them: for a message that states the real count. */
    private static int countRest(final JsonParser parser) throws IOException {
        int rest = 0;
        for (JsonToken token = parser.currentToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            parser.skipChildren();
            rest++;
        }
        return rest;
    }

    private RequestException tooMany(final int events) {
        return new RequestException(413, "The batch has " + events + " events, over the limit of " + maxEvents
                + " per request; split it into smaller batches.", Map.of("limit_events", maxEvents));
    }

    private static RequestException empty(final String what) {
        return new RequestException(400, what + "; send at least one event.");
    }

    private static String describe(final JsonProcessingException e) {
        final String message = e.getOriginalMessage();
        return e.getLocation() == null ? message
                : message + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }

    private static boolean isBlank(final byte[] body, final int from, final int to) {
        for (int i = from; i < to; i++) {
            final byte b = body[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
