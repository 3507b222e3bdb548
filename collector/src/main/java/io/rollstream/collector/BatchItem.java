package io.rollstream.collector;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One event of a request as parsed: its JSON, or, for an NDJSON line that is not JSON, why not (a bad line is
 * that event's problem, not the whole request's).
 */
record BatchItem(JsonNode json, String syntaxError) {

    static BatchItem of(final JsonNode json) {
        return new BatchItem(json, null);
    }

    static BatchItem unparseable(final String error) {
        return new BatchItem(null, error);
    }
}
