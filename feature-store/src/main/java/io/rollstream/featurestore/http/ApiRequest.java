package io.rollstream.featurestore.http;

import java.util.Map;

/**
 * One HTTP request as the endpoints see it, detached from the server's buffers: it may be read on
 * any thread, after the I/O thread has moved on.
 *
 * @param method   upper-case method, e.g. {@code GET}
 * @param rawPath  the path, still percent-encoded
 * @param rawQuery the query string without {@code ?}, still percent-encoded; {@code null} when absent
 * @param headers  header values by lower-case name (the first value of a repeated header)
 * @param body     the request body, empty when there is none
 */
record ApiRequest(String method, String rawPath, String rawQuery, Map<String, String> headers, byte[] body) {

    /** A header's value, or {@code null}; {@code name} in lower case. */
    String header(final String name) {
        return headers.get(name);
    }

    boolean isHead() {
        return "HEAD".equals(method);
    }

    /** The path and query as the client sent them, for messages and logs. */
    String target() {
        return rawQuery == null ? rawPath : rawPath + "?" + rawQuery;
    }
}
