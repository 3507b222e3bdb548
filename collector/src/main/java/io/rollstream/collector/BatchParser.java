package io.rollstream.collector;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits a UTF-8 body into its events: a JSON object (one event), a JSON array (a batch) or NDJSON (one
 * event per line, blank lines ignored). Whole-body problems — not JSON at all, empty, too many events — refuse
 * the request; a single NDJSON line that is not JSON is that event's rejection.
 */
final class BatchParser {

    // Duplicate keys would let two values of one field race; trailing garbage means the body is not what the
    // client thinks it sent. Both are refused rather than guessed at.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private final int maxEvents;

    BatchParser(final int maxEvents) {
        this.maxEvents = maxEvents;
    }

    /** @throws RequestException 400 for invalid JSON or an empty batch, 413 for too many events */
    List<BatchItem> parse(final byte[] body, final BodyFormat format) throws RequestException {
        return format == BodyFormat.NDJSON ? parseLines(body) : parseJson(body);
    }

    private List<BatchItem> parseJson(final byte[] body) throws RequestException {
        if (isBlank(body, 0, body.length)) {
            throw empty("The body is empty");
        }
        final JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (final JsonProcessingException e) {
            throw new RequestException(400, "The body is not valid JSON: " + describe(e) + ". Send one event as a "
                    + "JSON object or several as a JSON array of objects.");
        } catch (final IOException e) {
            throw new IllegalStateException("reading JSON from memory failed", e);
        }
        if (root.isObject()) {
            return List.of(BatchItem.of(root));
        }
        if (!root.isArray()) {
            throw new RequestException(400, "The body is a JSON " + root.getNodeType().name().toLowerCase()
                    + ", not an event: send one event as a JSON object or several as a JSON array of objects.");
        }
        if (root.isEmpty()) {
            throw empty("The batch is an empty JSON array");
        }
        requireWithinLimit(root.size());
        final List<BatchItem> items = new ArrayList<>(root.size());
        root.forEach(element -> items.add(BatchItem.of(element)));
        return items;
    }

    private List<BatchItem> parseLines(final byte[] body) throws RequestException {
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
        requireWithinLimit(lines.size());
        final List<BatchItem> items = new ArrayList<>(lines.size());
        for (final int[] line : lines) {
            try {
                items.add(BatchItem.of(JSON.readTree(body, line[0], line[1] - line[0])));
            } catch (final JsonProcessingException e) {
                items.add(BatchItem.unparseable("this line is not valid JSON: " + describe(e) + " (NDJSON holds one "
                        + "complete JSON object per line)"));
            } catch (final IOException e) {
                throw new IllegalStateException("reading JSON from memory failed", e);
            }
        }
        return items;
    }

    private void requireWithinLimit(final int events) throws RequestException {
        if (events > maxEvents) {
            throw new RequestException(413, "The batch has " + events + " events, over the limit of " + maxEvents
                    + " per request; split it into smaller batches.", Map.of("limit_events", maxEvents));
        }
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
